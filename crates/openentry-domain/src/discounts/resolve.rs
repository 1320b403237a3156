//! From the definition's discounts (text amounts) to engine rules (minor units of a currency).

use super::{Cond, Rule, Settings, Value};
use crate::clock::Timestamp;
use crate::project::{ConditionType, DiscountDef, ProjectDefinition, ValueType, percent};

/// A definition value that does not read in the cart's currency (`project check` refuses it
/// for every currency of the catalog, so this is a stale definition).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("discount \"{0}\": {1}")]
pub struct ResolveError(pub String, pub String);

fn amount(text: &str, exp: u32) -> Result<i64, String> {
    crate::money::parse(text, exp).map_err(|e| e.to_string())
}

fn cond(kind: ConditionType, v: &str, exp: u32) -> Result<Cond, String> {
    let v = v.trim();
    let id = || v.parse::<i64>().map_err(|e| e.to_string());
    let pair = || {
        v.split_once('=')
            .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
            .ok_or_else(|| format!("\"{v}\" is not marker=value"))
    };
    Ok(match kind {
        ConditionType::Product => Cond::Product(id()?),
        ConditionType::ProductInCart => Cond::ProductInCart(id()?),
        ConditionType::Category => Cond::Category(v.to_owned()),
        ConditionType::CategoryInCart => Cond::CategoryInCart(v.to_owned()),
        ConditionType::Attribute => {
            let (m, x) = pair()?;
            Cond::Attribute(m, x)
        }
        ConditionType::MinCartAmount => Cond::MinCart(amount(v, exp)?),
        ConditionType::UserLtv => Cond::UserLtv(amount(v, exp)?),
        ConditionType::UserAttribute => Cond::UserGroup(pair()?.1),
    })
}

fn rule(id: i64, d: &DiscountDef, exp: u32) -> Result<Rule, String> {
    let value = match d.value_type {
        ValueType::Percent => Value::Percent(percent(&d.value)?),
        ValueType::FixedAmount => Value::Amount(amount(&d.value, exp)?),
        ValueType::FixedPrice => Value::Price(amount(&d.value, exp)?),
        ValueType::None => Value::None,
    };
    let date = |t: &Option<String>| -> Result<Option<Timestamp>, String> {
        t.as_deref()
            .map(|t| Timestamp::parse_rfc3339(t).ok_or_else(|| format!("bad date \"{t}\"")))
            .transpose()
    };
    Ok(Rule {
        id,
        identifier: d.identifier.clone(),
        position: d.position,
        kind: d.kind,
        value,
        applicability: d.applicability,
        max_amount: d
            .max_amount
            .as_deref()
            .map(|m| amount(m, exp))
            .transpose()?,
        logic: d.condition_logic,
        conditions: d
            .conditions
            .iter()
            .map(|c| cond(c.kind, &c.value, exp))
            .collect::<Result<_, _>>()?,
        exclusions: d.exclusions.clone(),
        gifts: d.gifts.clone(),
        gifts_replace: d.gifts_replace_cart_items,
        user_groups: d.user_groups.clone(),
        user_exclusions: d.user_exclusions.clone(),
        needs_coupon: !d.coupons.is_empty(),
        start: date(&d.start)?,
        end: date(&d.end)?,
    })
}

/// The project's rules (ids = place in `[[discounts]]` from 1) and settings in a currency with
/// `exp` decimals.
pub fn resolve(def: &ProjectDefinition, exp: u32) -> Result<(Vec<Rule>, Settings), ResolveError> {
    let rules = def
        .discounts
        .iter()
        .zip(1_i64..)
        .map(|(d, id)| rule(id, d, exp).map_err(|e| ResolveError(d.identifier.clone(), e)))
        .collect::<Result<Vec<_>, _>>()?;
    let bad = |what: &str, e: String| ResolveError(what.to_owned(), e);
    let s = &def.discount_settings;
    let b = &def.bonus_settings;
    let settings = Settings {
        allow_stacking: s.allow_stacking,
        max_discount_percent: s
            .max_discount_percent
            .as_deref()
            .map(percent)
            .transpose()
            .map_err(|e| bad("discount_settings", e))?,
        allow_gift_stacking: s.allow_gift_stacking,
        max_bonus_percent: b
            .max_payment_percent
            .as_deref()
            .map_or(Ok(10_000), percent)
            .map_err(|e| bad("bonus_settings", e))?,
        min_bonus_balance: b
            .min_balance
            .as_deref()
            .map(|v| amount(v, exp))
            .transpose()
            .map_err(|e| bad("bonus_settings", e))?,
        min_order_for_bonus: b
            .min_order_amount
            .as_deref()
            .map(|v| amount(v, exp))
            .transpose()
            .map_err(|e| bad("bonus_settings", e))?,
    };
    Ok((rules, settings))
}

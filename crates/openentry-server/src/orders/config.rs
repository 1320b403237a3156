//! `discountConfig` from the engine's answer: every applied discount with its amount, the
//! coupon, the settings and the bonus figures, with totals consistent with them.

use openentry_domain::discounts::{Applied, Value as RuleValue};
use openentry_domain::money::Currency;
use openentry_domain::project::{ProjectDefinition, ValueType, percent as read_percent};
use openentry_types::orders::{BonusInfo, DiscountConfig, DiscountSettings};
use serde_json::{Value, json};

use super::discounts::{Discounted, amount, percent};
use crate::error::ApiResult;

fn entry(def: &ProjectDefinition, a: &Applied, currency: Currency) -> ApiResult<Value> {
    let d = usize::try_from(a.id - 1)
        .ok()
        .and_then(|i| def.discounts.get(i));
    let (kind, value) = match a.value {
        RuleValue::Percent(bp) => (ValueType::Percent, percent(bp)),
        RuleValue::Amount(m) => (ValueType::FixedAmount, Value::Number(amount(m, currency)?)),
        RuleValue::Price(m) => (ValueType::FixedPrice, Value::Number(amount(m, currency)?)),
        RuleValue::None => (ValueType::None, json!(0)),
    };
    Ok(json!({
        "id": a.id,
        "identifier": a.identifier,
        "type": d.map_or("DISCOUNT", |d| d.kind.wire()),
        "discountType": kind.wire(),
        "value": value,
        "applicability": a.applicability.wire(),
        "amount": amount(a.amount_minor, currency)?,
        "productIds": a.product_ids,
        "gifts": a.gifts,
    }))
}

fn money_setting(v: Option<&String>, currency: Currency) -> Option<serde_json::Number> {
    let m = openentry_domain::money::Money::parse(v?, currency).ok()?;
    crate::money::number(m).ok()
}

fn settings(def: &ProjectDefinition, currency: Currency) -> DiscountSettings {
    let s = &def.discount_settings;
    let b = &def.bonus_settings;
    let pct = |v: Option<&String>| {
        v.and_then(|t| read_percent(t).ok())
            .and_then(|bp| percent(bp).as_number().cloned())
    };
    DiscountSettings {
        allow_stacking: s.allow_stacking,
        // decisions.md: the cap is a percentage of the raw sum (the platform's admin says so).
        max_discount_value: pct(s.max_discount_percent.as_ref()),
        allow_gift_stacking: s.allow_gift_stacking,
        max_bonus_payment_percent: pct(b.max_payment_percent.as_ref()),
        min_bonus_amount: money_setting(b.min_balance.as_ref(), currency),
        min_order_amount_for_bonus: money_setting(b.min_order_amount.as_ref(), currency),
        gift_refund_policy: "KEEP_GIFT".to_owned(),
    }
}

/// The `discountConfig` of a discounted cart.
pub(crate) fn discount_config(
    def: &ProjectDefinition,
    d: &Discounted,
) -> ApiResult<DiscountConfig> {
    let c = d.currency;
    let o = &d.outcome;
    let (mut order, mut product) = (Vec::new(), Vec::new());
    for a in &o.applied {
        let list = match a.applicability {
            openentry_domain::project::Applicability::ToOrder => &mut order,
            openentry_domain::project::Applicability::ToProduct => &mut product,
        };
        list.push(entry(def, a, c)?);
    }
    let settings = settings(def, c);
    Ok(DiscountConfig {
        order_discounts: order,
        product_discounts: product,
        coupon: d.coupon.as_ref().map(|k| {
            json!({"id": k.id, "discountId": k.discount_id, "code": k.code,
                   "isReusable": k.reusable})
        }),
        additional_discounts_markers: d.markers.clone(),
        total_raw: amount(o.total_raw, c)?,
        total_sum_with_discount: amount(o.total_with_discount, c)?,
        excluded_gift_product_ids: o.excluded_gifts.iter().map(i64::to_string).collect(),
        bonus: BonusInfo {
            available_balance: amount(o.bonus.available, c)?,
            max_bonus_discount: amount(o.bonus.max_usable, c)?,
            min_bonus_amount: settings.min_bonus_amount.clone(),
            min_order_amount_for_bonus: settings.min_order_amount_for_bonus.clone(),
            bonus_applied: amount(o.bonus.applied, c)?,
        },
        settings,
        bonus_applied: amount(o.bonus.applied, c)?,
        total_due: amount(o.total_due, c)?,
    })
}

//! Checks of `[[discounts]]`, `[discount_settings]` and `[bonus_settings]`.

use std::collections::{BTreeSet, HashSet};

use super::check::{Problems, is_marker};
use super::discounts::{ConditionType, CouponDef, DiscountKind, ValueType};
use super::{DiscountDef, ProjectDefinition};
use crate::clock::Timestamp;

/// Most codes one mask may make.
pub const MAX_MASK_CODES: u32 = 10_000;

/// A percentage (`"12.5"`) in hundredths of a percent, 0–100 %.
pub fn percent(text: &str) -> Result<i64, String> {
    match crate::money::parse(text, 2) {
        Ok(v) if v <= 10_000 => Ok(v),
        _ => Err(format!(
            "\"{text}\" is not a percentage between 0 and 100 (at most two decimals)"
        )),
    }
}

/// The decimals of every currency the catalog prices in (2 when it prices nothing yet).
fn exponents(def: &ProjectDefinition) -> BTreeSet<u32> {
    let mut e: BTreeSet<u32> = def
        .products
        .iter()
        .filter_map(|p| def.price_of(p).ok().flatten())
        .map(|p| p.exponent)
        .collect();
    if e.is_empty() {
        e.insert(2);
    }
    e
}

fn amount(exps: &BTreeSet<u32>, text: &str) -> Result<(), String> {
    for &e in exps {
        crate::money::parse(text, e).map_err(|err| {
            format!("\"{text}\" is not an amount in every currency of the catalog: {err}")
        })?;
    }
    Ok(())
}

/// Checks the discounts and both settings tables.
pub(super) fn check_discounts(def: &ProjectDefinition, p: &mut Problems) {
    let exps = exponents(def);
    let s = &def.discount_settings;
    if let Some(m) = &s.max_discount_percent
        && let Err(e) = percent(m)
    {
        p.add("discount_settings.max_discount_percent".to_owned(), e);
    }
    let b = &def.bonus_settings;
    if let Some(m) = &b.max_payment_percent
        && let Err(e) = percent(m)
    {
        p.add("bonus_settings.max_payment_percent".to_owned(), e);
    }
    for (key, v) in [
        ("min_balance", &b.min_balance),
        ("min_order_amount", &b.min_order_amount),
    ] {
        if let Some(v) = v
            && let Err(e) = amount(&exps, v)
        {
            p.add(format!("bonus_settings.{key}"), e);
        }
    }
    let mut seen = HashSet::new();
    let mut codes = HashSet::new();
    for (i, d) in def.discounts.iter().enumerate() {
        let at = format!("discounts[{i}]");
        if !is_marker(&d.identifier) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is not a valid marker", d.identifier),
            );
        }
        if !seen.insert(d.identifier.as_str()) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", d.identifier),
            );
        }
        check_value(&exps, d, &at, p);
        check_window(d, &at, p);
        check_conditions(def, &exps, d, &at, p);
        for (key, ids) in [("exclusions", &d.exclusions), ("gifts", &d.gifts)] {
            for (j, id) in ids.iter().enumerate() {
                if def.product(*id).is_none() {
                    p.add(
                        format!("{at}.{key}[{j}]"),
                        format!("product {id} is not defined"),
                    );
                }
            }
        }
        if d.kind == DiscountKind::PersonalDiscount && d.user_groups.is_empty() {
            p.add(
                format!("{at}.user_groups"),
                "a PERSONAL_DISCOUNT names the user groups it is for",
            );
        }
        if d.bonus_trigger.is_some() && d.kind != DiscountKind::Bonus {
            p.add(
                format!("{at}.bonus_trigger"),
                "only a BONUS discount has a trigger",
            );
        }
        for (j, c) in d.coupons.iter().enumerate() {
            check_coupon(c, &format!("{at}.coupons[{j}]"), &mut codes, p);
        }
    }
}

fn check_value(exps: &BTreeSet<u32>, d: &DiscountDef, at: &str, p: &mut Problems) {
    let r = match d.value_type {
        ValueType::Percent => percent(&d.value).map(|_| ()),
        ValueType::FixedAmount | ValueType::FixedPrice => amount(exps, &d.value),
        ValueType::None if d.kind == DiscountKind::Bonus => {
            Err("a BONUS discount accrues a PERCENT or a FIXED_AMOUNT".to_owned())
        }
        ValueType::None if d.gifts.is_empty() => {
            Err("a NONE discount is a gift-only discount: it needs gifts".to_owned())
        }
        ValueType::None => Ok(()),
    };
    if let Err(e) = r {
        p.add(format!("{at}.value"), e);
    }
    if let Some(m) = &d.max_amount
        && let Err(e) = amount(exps, m)
    {
        p.add(format!("{at}.max_amount"), e);
    }
}

fn check_window(d: &DiscountDef, at: &str, p: &mut Problems) {
    let mut read = |key: &str, v: &Option<String>| {
        let t = v.as_deref()?;
        let ts = Timestamp::parse_rfc3339(t);
        if ts.is_none() {
            p.add(
                format!("{at}.{key}"),
                format!("\"{t}\" is not an RFC 3339 date like 2026-06-01T00:00:00Z"),
            );
        }
        ts
    };
    let (start, end) = (read("start", &d.start), read("end", &d.end));
    if let (Some(s), Some(e)) = (start, end)
        && s >= e
    {
        p.add(format!("{at}.end"), "the end comes before the start");
    }
}

fn check_conditions(
    def: &ProjectDefinition,
    exps: &BTreeSet<u32>,
    d: &DiscountDef,
    at: &str,
    p: &mut Problems,
) {
    for (j, c) in d.conditions.iter().enumerate() {
        let v = c.value.trim();
        let r = match c.kind {
            ConditionType::Product | ConditionType::ProductInCart => match v.parse::<i64>() {
                Ok(id) if def.product(id).is_some() => Ok(()),
                _ => Err(format!("\"{v}\" is not the id of a defined product")),
            },
            ConditionType::Category | ConditionType::CategoryInCart => {
                if def.page(v).is_some() {
                    Ok(())
                } else {
                    Err(format!("\"{v}\" is not the URL of a defined page"))
                }
            }
            ConditionType::Attribute => match v.split_once('=') {
                Some((m, _)) if is_marker(m.trim()) => Ok(()),
                _ => Err(format!("\"{v}\" is not written marker=value")),
            },
            ConditionType::MinCartAmount | ConditionType::UserLtv => amount(exps, v),
            ConditionType::UserAttribute => match v.split_once('=') {
                Some(("group", g)) if is_marker(g.trim()) => Ok(()),
                _ => Err(format!(
                    "\"{v}\" is not written group=<identifier> (the one user attribute known)"
                )),
            },
        };
        if let Err(e) = r {
            p.add(format!("{at}.conditions[{j}].value"), e);
        }
    }
}

/// A coupon code: 1–64 letters, digits, `_` and `-`. Codes match ignoring case. A mask is
/// checked as the code it makes (`#` a digit, `?` a letter: [`crate::discounts::codes`]).
pub fn is_code(c: &str) -> bool {
    is_marker(c)
}

fn check_coupon(c: &CouponDef, at: &str, codes: &mut HashSet<String>, p: &mut Problems) {
    match (&c.code, &c.mask) {
        (Some(code), None) => {
            if !is_code(code) {
                p.add(
                    format!("{at}.code"),
                    format!("\"{code}\" is not a code (letters, digits, _ and -)"),
                );
            }
            if !codes.insert(code.to_ascii_uppercase()) {
                p.add(
                    format!("{at}.code"),
                    format!("\"{code}\" is used twice (codes match ignoring case)"),
                );
            }
            if c.count.is_some() {
                p.add(format!("{at}.count"), "count goes with a mask");
            }
        }
        (None, Some(mask)) => {
            let holes = mask.chars().filter(|&ch| ch == '#' || ch == '?').count();
            let plain = mask.replace(['#', '?'], "A");
            if holes < 4 || !is_code(&plain) {
                p.add(
                    format!("{at}.mask"),
                    format!(
                        "\"{mask}\" needs at least four # (digit) or ? (letter) among letters, digits, _ and -"
                    ),
                );
            }
            if !c.count.is_some_and(|n| (1..=MAX_MASK_CODES).contains(&n)) {
                p.add(
                    format!("{at}.count"),
                    format!("a mask makes 1 to {MAX_MASK_CODES} codes"),
                );
            } else if let Some(n) = c.count
                && u128::from(n) * 2 > crate::discounts::codes::space(mask)
            {
                // Codes drawn at random from a space barely larger than their number are
                // guessable and slow to make unique.
                p.add(
                    format!("{at}.count"),
                    format!(
                        "\"{mask}\" makes {} different codes: ask for at most half of them",
                        crate::discounts::codes::space(mask)
                    ),
                );
            }
        }
        _ => p.add(at.to_owned(), "a coupon has either a code or a mask"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    #[test]
    fn problems_name_their_place() {
        let def: ProjectDefinition = toml::from_str(
            r#"
            [discount_settings]
            max_discount_percent = "120"
            [[discounts]]
            identifier = "spring"
            value_type = "PERCENTAGE"
            value = "10.555"
            end = "yesterday"
            conditions = [{ type = "PRODUCT", value = "99" }]
            coupons = [{ code = "A1" }, { code = "a1" }, { mask = "X#" }]
            [[discounts]]
            identifier = "gift"
            value_type = "NONE"
            "#,
        )
        .unwrap();
        let paths: Vec<String> = check(&def)
            .unwrap_err()
            .into_iter()
            .map(|e| e.path)
            .collect();
        for p in [
            "discount_settings.max_discount_percent",
            "discounts[0].value",
            "discounts[0].end",
            "discounts[0].conditions[0].value",
            "discounts[0].coupons[1].code",
            "discounts[0].coupons[2].mask",
            "discounts[0].coupons[2].count",
            "discounts[1].value",
        ] {
            assert!(paths.iter().any(|x| x == p), "{p} missing from {paths:?}");
        }
    }
}

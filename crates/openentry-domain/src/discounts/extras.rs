//! Gifts, bonus payment and bonus accrual: what follows the discounts.

use std::borrow::Cow;

use super::engine::{reach, share_down};
use super::{Applied, BonusOutcome, Input, Line, Rule, Value};
use crate::project::DiscountKind;

pub(super) fn gifts(applied: &[Applied], stacking: bool) -> (Vec<i64>, Vec<i64>) {
    let (mut given, mut excluded) = (Vec::new(), Vec::new());
    let mut first = true;
    for a in applied.iter().filter(|a| !a.gifts.is_empty()) {
        for &g in &a.gifts {
            let list = if first || stacking {
                &mut given
            } else {
                &mut excluded
            };
            if !list.contains(&g) {
                list.push(g);
            }
        }
        first = false;
    }
    excluded.retain(|g| !given.contains(g));
    (given, excluded)
}

/// The cart as paid for when gifts replace cart items: each gift the top-priority candidates
/// give (all of them with gift stacking) whose discount replaces cart items and whose product
/// is in the cart takes one unit of that line (once per gift product).
pub(super) fn replaced<'l>(lines: &'l [Line], givers: &[&Rule], stacking: bool) -> Cow<'l, [Line]> {
    if !givers.iter().any(|r| r.gifts_replace) {
        return Cow::Borrowed(lines);
    }
    let mut out = lines.to_vec();
    let mut given: Vec<i64> = Vec::new();
    let mut first = true;
    for r in givers.iter().filter(|r| !r.gifts.is_empty()) {
        if first || stacking {
            for &g in &r.gifts {
                if given.contains(&g) {
                    continue;
                }
                given.push(g);
                if r.gifts_replace
                    && let Some(l) = out.iter_mut().find(|l| l.product_id == g && l.quantity > 0)
                {
                    l.quantity -= 1;
                }
            }
        }
        first = false;
    }
    Cow::Owned(out)
}

pub(super) fn bonus(input: &Input<'_>, sum: i64) -> BonusOutcome {
    let s = input.settings;
    let available = input.buyer.bonus_balance.max(0);
    let allowed =
        available >= s.min_bonus_balance.unwrap_or(0) && sum >= s.min_order_for_bonus.unwrap_or(0);
    let max_usable = if allowed {
        available.min(share_down(sum, s.max_bonus_percent))
    } else {
        0
    };
    BonusOutcome {
        available,
        max_usable,
        applied: input.bonus_requested.clamp(0, max_usable),
    }
}

/// What BONUS discounts reaching this cart accrue, of the sum paid in money.
pub(super) fn accruals(input: &Input<'_>, raw: i64, due: i64) -> Vec<(i64, i64)> {
    input
        .rules
        .iter()
        .filter(|r| r.kind == DiscountKind::Bonus && !reach(r, input, raw).is_empty())
        .filter_map(|r| {
            let points = match r.value {
                Value::Percent(bp) => share_down(due, bp),
                Value::Amount(a) => a,
                Value::Price(_) | Value::None => 0,
            };
            (points > 0).then_some((r.id, points))
        })
        .collect()
}

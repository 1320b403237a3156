//! [`apply`]: eligibility, priority, stacking, caps, gifts and bonus payment.

use super::extras::{accruals, bonus, gifts, replaced};
use super::{Applied, Cond, Input, Line, LineOutcome, Outcome, Rule, Value};
use crate::project::{Applicability, ConditionLogic, DiscountKind};

/// `x × bp / 10 000`, rounded half up (x ≥ 0, 0 ≤ bp ≤ 10 000: never more than x).
fn share(x: i64, bp: i64) -> i64 {
    let v = (i128::from(x) * i128::from(bp) + 5_000) / 10_000;
    i64::try_from(v).unwrap_or(x).min(x)
}

/// `x × bp / 10 000`, rounded down (limits: never more than allowed).
pub(super) fn share_down(x: i64, bp: i64) -> i64 {
    let v = i128::from(x) * i128::from(bp) / 10_000;
    i64::try_from(v).unwrap_or(x).min(x)
}

fn line_total(l: &Line) -> i64 {
    l.price_minor.saturating_mul(l.quantity)
}

fn holds(c: &Cond, line: &Line, input: &Input<'_>, raw: i64) -> bool {
    match c {
        Cond::Product(id) => line.product_id == *id,
        Cond::Category(url) => line.categories.iter().any(|c| c == url),
        Cond::Attribute(m, v) => line.attributes.iter().any(|(a, b)| a == m && b == v),
        Cond::ProductInCart(id) => input.lines.iter().any(|l| l.product_id == *id),
        Cond::CategoryInCart(url) => input
            .lines
            .iter()
            .any(|l| l.categories.iter().any(|c| c == url)),
        Cond::MinCart(a) => raw >= *a,
        Cond::UserLtv(a) => input.buyer.ltv_minor >= *a,
        Cond::UserGroup(g) => input.buyer.group.as_deref() == Some(g.as_str()),
    }
}

/// Whether `rule` reaches `line` (conditions combined by its logic; none: every line).
fn reaches(rule: &Rule, line: &Line, input: &Input<'_>, raw: i64) -> bool {
    if rule.exclusions.contains(&line.product_id) {
        return false;
    }
    let mut each = rule.conditions.iter().map(|c| holds(c, line, input, raw));
    match rule.logic {
        ConditionLogic::And => each.all(|b| b),
        ConditionLogic::Or => rule.conditions.is_empty() || each.any(|b| b),
    }
}

/// Active now, for this buyer, with its coupon when it needs one.
fn open(rule: &Rule, input: &Input<'_>) -> bool {
    let group = input.buyer.group.as_deref();
    rule.start.is_none_or(|s| input.now >= s)
        && rule.end.is_none_or(|e| input.now < e)
        && (rule.user_groups.is_empty()
            || group.is_some_and(|g| rule.user_groups.iter().any(|x| x == g)))
        && !group.is_some_and(|g| rule.user_exclusions.iter().any(|x| x == g))
        && (!rule.needs_coupon || input.coupon_rule == Some(rule.id))
}

/// The lines (by index) `rule` reaches, when it is open; empty otherwise.
pub(super) fn reach(rule: &Rule, input: &Input<'_>, raw: i64) -> Vec<usize> {
    if !open(rule, input) {
        return Vec::new();
    }
    (0..input.lines.len())
        .filter(|&i| reaches(rule, &input.lines[i], input, raw))
        .collect()
}

/// One product rule on the lines it reaches; each line's share never exceeds what is left of it.
fn product_amounts(
    rule: &Rule,
    lines: &[Line],
    reach: &[usize],
    left: &[i64],
) -> Vec<(usize, i64)> {
    let mut budget = rule.max_amount.unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for &i in reach {
        let l = &lines[i];
        let want = match rule.value {
            Value::Percent(bp) => share(line_total(l), bp),
            Value::Amount(a) => a.saturating_mul(l.quantity),
            Value::Price(p) => (l.price_minor - p).max(0).saturating_mul(l.quantity),
            Value::None => 0,
        };
        let take = want.min(left[i]).min(budget).max(0);
        budget -= take;
        out.push((i, take));
    }
    out
}

fn order_amount(rule: &Rule, base: i64) -> i64 {
    let want = match rule.value {
        Value::Percent(bp) => share(base, bp),
        Value::Amount(a) => a,
        Value::Price(p) => base - p,
        Value::None => 0,
    };
    want.min(base)
        .min(rule.max_amount.unwrap_or(i64::MAX))
        .max(0)
}

struct Work {
    applied: Vec<Applied>,
    /// Per applied entry, its per-line amounts (product rules).
    per_line: Vec<Vec<(usize, i64)>>,
    left: Vec<i64>,
}

/// Applies every discount of `input` (see the module docs for the rules).
pub fn apply(input: &Input<'_>) -> Outcome {
    // Conditions read the cart as sent (`reach` sees `input.lines` and `sent`); amounts are
    // taken of the cart as paid for, after gifts replaced some of its units.
    let sent = input
        .lines
        .iter()
        .map(line_total)
        .fold(0_i64, i64::saturating_add);
    let mut order: Vec<&Rule> = input.rules.iter().collect();
    order.sort_by_key(|r| (r.position, r.id));
    let mut candidates: Vec<(&Rule, Vec<usize>)> = order
        .into_iter()
        .filter(|r| r.kind != DiscountKind::Bonus)
        .map(|r| (r, reach(r, input, sent)))
        .filter(|(_, reach)| !reach.is_empty())
        .collect();
    if !input.settings.allow_stacking {
        candidates.truncate(1);
    }
    let givers: Vec<&Rule> = candidates.iter().map(|(r, _)| *r).collect();
    let paid = replaced(input.lines, &givers, input.settings.allow_gift_stacking);
    let lines: &[Line] = &paid;
    let totals: Vec<i64> = lines.iter().map(line_total).collect();
    let raw = totals.iter().fold(0_i64, |a, &b| a.saturating_add(b));
    let mut w = Work {
        applied: Vec::new(),
        per_line: Vec::new(),
        left: totals.clone(),
    };
    // Products first, then the order: an order discount sees the lines' sum after theirs.
    for phase in [Applicability::ToProduct, Applicability::ToOrder] {
        for (rule, reach) in candidates.iter().filter(|(r, _)| r.applicability == phase) {
            apply_one(rule, reach, lines, &mut w);
        }
    }
    // Back to priority order (products were taken first), amounts and their lines together.
    let key = |a: &Applied| {
        let r = input.rules.iter().find(|r| r.id == a.id);
        (r.map_or(0, |r| r.position), a.id)
    };
    let mut pairs: Vec<_> = w.applied.drain(..).zip(w.per_line.drain(..)).collect();
    pairs.sort_by_key(|(a, _)| key(a));
    (w.applied, w.per_line) = pairs.into_iter().unzip();
    if input.settings.allow_stacking
        && let Some(cap_bp) = input.settings.max_discount_percent
    {
        cap(&mut w, share_down(raw, cap_bp));
    }
    finish(input, lines, &totals, raw, w)
}

fn apply_one(rule: &Rule, reach: &[usize], lines: &[Line], w: &mut Work) {
    let (amount, per_line) = if rule.applicability == Applicability::ToProduct {
        let per = product_amounts(rule, lines, reach, &w.left);
        (per.iter().map(|(_, a)| a).sum(), per)
    } else {
        let base = reach.iter().map(|&i| w.left[i]).sum();
        let amount = order_amount(rule, base);
        // Spread over the reached lines in order, so what is left of each stays ≥ 0.
        let mut rest = amount;
        let mut per = Vec::new();
        for &i in reach {
            let take = rest.min(w.left[i]);
            rest -= take;
            per.push((i, take));
        }
        (amount, per)
    };
    for &(i, a) in &per_line {
        w.left[i] -= a;
    }
    w.applied.push(Applied {
        id: rule.id,
        identifier: rule.identifier.clone(),
        applicability: rule.applicability,
        value: rule.value,
        amount_minor: amount,
        product_ids: per_line
            .iter()
            .filter(|(_, a)| *a > 0)
            .map(|&(i, _)| lines[i].product_id)
            .collect(),
        gifts: rule.gifts.clone(),
    });
    w.per_line.push(per_line);
}

/// Trims the lowest-priority amounts until all discounts together are at most `cap`.
fn cap(w: &mut Work, cap: i64) {
    let mut excess = w.applied.iter().map(|a| a.amount_minor).sum::<i64>() - cap;
    let idx: Vec<usize> = (0..w.applied.len()).rev().collect();
    for k in idx {
        if excess <= 0 {
            break;
        }
        for (i, a) in w.per_line[k].iter_mut().rev() {
            let cut = excess.min(*a);
            *a -= cut;
            w.left[*i] += cut;
            w.applied[k].amount_minor -= cut;
            excess -= cut;
        }
    }
}

fn finish(input: &Input<'_>, lines: &[Line], totals: &[i64], raw: i64, w: Work) -> Outcome {
    let mut line_discount = vec![0_i64; lines.len()];
    let mut applied = Vec::new();
    for (a, per) in w.applied.into_iter().zip(&w.per_line) {
        if a.applicability == Applicability::ToProduct {
            for &(i, x) in per {
                line_discount[i] += x;
            }
        }
        if a.amount_minor > 0 || !a.gifts.is_empty() {
            applied.push(a);
        }
    }
    let (gifts, excluded_gifts) = gifts(&applied, input.settings.allow_gift_stacking);
    let total_discount: i64 = applied.iter().map(|a| a.amount_minor).sum();
    let total_with_discount = raw - total_discount;
    let bonus = bonus(input, total_with_discount);
    let total_due = total_with_discount - bonus.applied;
    Outcome {
        lines: lines
            .iter()
            .zip(totals)
            .zip(line_discount)
            .filter(|((l, _), _)| l.quantity > 0)
            .map(|((l, &t), d)| LineOutcome {
                product_id: l.product_id,
                quantity: l.quantity,
                price_minor: l.price_minor,
                total_minor: t,
                discount_minor: d,
            })
            .collect(),
        coupon_applied: applied.iter().any(|a| Some(a.id) == input.coupon_rule),
        applied,
        gifts,
        excluded_gifts,
        total_raw: raw,
        total_discount,
        total_with_discount,
        bonus,
        total_due,
        accruals: accruals(input, sent_total(input), total_due),
    }
}

fn sent_total(input: &Input<'_>) -> i64 {
    input
        .lines
        .iter()
        .map(line_total)
        .fold(0_i64, i64::saturating_add)
}

/// What the BONUS discounts reaching `input`'s cart accrue when `paid_minor` was paid for it:
/// `(rule id, minor units)`, each rounded down.
pub fn accruals_for(input: &Input<'_>, paid_minor: i64) -> Vec<(i64, i64)> {
    let raw = input
        .lines
        .iter()
        .map(line_total)
        .fold(0_i64, i64::saturating_add);
    accruals(input, raw, paid_minor)
}

//! Bonus points when an operator approves a refund (docs/decisions.md, "Discounts, second
//! part"): the refunded share of the order gives back that share of the points spent on it and
//! takes back that share of the points it accrued.
//!
//! The share is cumulative and by value: the units of every approved request of the order at
//! their price snapshots, over the value of all its paid lines. Each refund writes the
//! difference between the target for the share so far (rounded down, the customer's favour)
//! and what earlier refunds wrote, so the entries of any sequence of partial refunds add up to
//! exactly what a full refund writes at once. Reversals never take the balance below zero.

use openentry_domain::clock::Timestamp;
use openentry_store::Tx;
use openentry_store::bonus::{self, NewEntry};

use crate::error::ApiResult;

/// `x × num / den`, rounded down (0 when `den` is 0).
fn part(x: i64, num: i64, den: i64) -> i64 {
    if den <= 0 {
        return 0;
    }
    let v = i128::from(x) * i128::from(num.clamp(0, den)) / i128::from(den);
    i64::try_from(v).unwrap_or(x)
}

fn sum_of(sums: &[(String, i64)], discount: &str) -> i64 {
    sums.iter()
        .filter(|(d, _)| d == discount)
        .map(|(_, n)| *n)
        .sum()
}

/// The refunded share of an order, by value: `(refunded, whole)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Share {
    /// Value of the units of every approved request (price snapshots), minor units.
    pub(crate) refunded: i64,
    /// Value of all the order's lines, minor units.
    pub(crate) whole: i64,
}

/// Writes the bonus entries of approved refund `refund_id` of an order (once: a second call
/// writes nothing).
pub(crate) async fn on_refund(
    tx: &mut Tx,
    user_id: Option<i64>,
    order_id: i64,
    refund_id: i64,
    share: Share,
    now: Timestamp,
) -> ApiResult<()> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    bonus::lock_user(&mut *tx, user_id).await?;
    let entry = |amount: i64, kind: &'static str, discount: String| (amount, kind, discount);
    let mut writes = Vec::new();
    // Spent points first: what this share of the order used comes back.
    let used = -sum_of(&bonus::order_sums(&mut *tx, order_id, "USAGE").await?, "");
    let back = sum_of(
        &bonus::order_sums(&mut *tx, order_id, "REVERSAL_USAGE").await?,
        "",
    );
    let give = (part(used, share.refunded, share.whole) - back).min(used - back);
    if give > 0 {
        writes.push(entry(give, "REVERSAL_USAGE", String::new()));
    }
    let accrued = bonus::order_sums(&mut *tx, order_id, "ACCRUAL").await?;
    let reversed = bonus::order_sums(&mut *tx, order_id, "REVERSAL_ACCRUAL").await?;
    for (discount, gross) in accrued {
        let done = -sum_of(&reversed, &discount);
        let take = (part(gross, share.refunded, share.whole) - done).min(gross - done);
        if take > 0 {
            writes.push(entry(-take, "REVERSAL_ACCRUAL", discount));
        }
    }
    for (amount, kind, discount) in writes {
        // Under the user's lock: a reversal takes at most what the balance holds.
        let amount = if amount < 0 {
            -(-amount).min(bonus::balance(&mut *tx, user_id).await?)
        } else {
            amount
        };
        if amount == 0 {
            continue;
        }
        let e = NewEntry {
            user_id,
            amount,
            kind,
            discount: &discount,
            order_id: Some(order_id),
            comment: None,
            by_admin: false,
            expires_at: None,
            refund_id,
        };
        bonus::add(&mut *tx, &e, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::part;

    #[test]
    fn shares_round_down_and_a_whole_share_is_everything() {
        assert_eq!(part(20_00, 1, 3), 6_66);
        assert_eq!(part(20_00, 3, 3), 20_00);
        assert_eq!(part(20_00, 5, 3), 20_00, "never more than the whole");
        assert_eq!(part(20_00, 1, 0), 0);
    }
}

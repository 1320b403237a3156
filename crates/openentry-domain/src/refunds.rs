//! Refund requests: which units of an order may still be refunded, and for how much.

use std::collections::BTreeMap;

pub use openentry_types::orders::RefundStatus;

/// An earlier request of the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// Where it stands.
    pub status: RefundStatus,
    /// Its amount, minor units.
    pub amount_minor: i64,
    /// Product id → units it names.
    pub units: BTreeMap<i64, i64>,
}

/// A line of the order: product, units bought, unit price (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bought {
    /// Product id.
    pub product_id: i64,
    /// Units bought.
    pub quantity: i64,
    /// Unit price, minor units.
    pub price_minor: i64,
}

/// One product of a request: the key as sent, its canonical id if it is one, the units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked<'a> {
    /// The key as the customer wrote it (echoed in errors).
    pub key: &'a str,
    /// The product id, when the key is a canonical id.
    pub product_id: Option<i64>,
    /// Units asked.
    pub quantity: i64,
}

/// Longest note a customer may attach, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Why a refund request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal<'a> {
    /// The order's status does not allow refunds (by default: it is not paid).
    NotRefundable,
    /// The note is longer than [`MAX_NOTE_CHARS`].
    NoteTooLong,
    /// The request names no product.
    NoProducts,
    /// A request is already open.
    Open,
    /// The product is not in the order.
    NotInOrder(&'a str),
    /// More units than can still be refunded (or fewer than one).
    Units {
        /// The key as sent.
        key: &'a str,
        /// Units asked.
        asked: i64,
        /// Units left.
        left: i64,
    },
    /// The amount overflows.
    Overflow,
    /// More than the order's total minus what was refunded.
    AboveLeft {
        /// Asked, minor units.
        amount: i64,
        /// Left, minor units.
        left: i64,
    },
}

/// Checks a request before the order's lines and earlier requests are read: the order's
/// status allows refunds (`refundable`, the storage's rule), the note fits, products are named.
pub fn admissible<'a>(
    refundable: bool,
    note: &str,
    asked: &[Asked<'_>],
) -> Result<(), Refusal<'a>> {
    if !refundable {
        return Err(Refusal::NotRefundable);
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(Refusal::NoteTooLong);
    }
    if asked.is_empty() {
        return Err(Refusal::NoProducts);
    }
    Ok(())
}

/// Decides a refund request on the order as it is: at most one open request, each product in
/// the order with units left (pending and approved requests hold theirs), and never more money
/// than the order's total minus approved refunds. Returns the amount, minor units: the units'
/// share of what was paid (see `paid_share`).
pub fn decide<'a>(
    total_minor: i64,
    lines: &[Bought],
    earlier: &[Earlier],
    asked: &[Asked<'a>],
) -> Result<i64, Refusal<'a>> {
    if earlier.iter().any(|r| r.status == RefundStatus::Pending) {
        return Err(Refusal::Open);
    }
    let mut held: BTreeMap<i64, i64> = BTreeMap::new();
    let holding = [RefundStatus::Pending, RefundStatus::Approved];
    for r in earlier.iter().filter(|r| holding.contains(&r.status)) {
        for (pid, q) in &r.units {
            *held.entry(*pid).or_insert(0) += q;
        }
    }
    let mut amount: i64 = 0;
    for a in asked {
        let line = a
            .product_id
            .and_then(|p| lines.iter().find(|l| l.product_id == p))
            .ok_or(Refusal::NotInOrder(a.key))?;
        let left = line.quantity - held.get(&line.product_id).copied().unwrap_or(0);
        if a.quantity < 1 || a.quantity > left {
            return Err(Refusal::Units {
                key: a.key,
                asked: a.quantity,
                left,
            });
        }
        amount = line
            .price_minor
            .checked_mul(a.quantity)
            .and_then(|v| amount.checked_add(v))
            .ok_or(Refusal::Overflow)?;
    }
    let refunded: i64 = earlier
        .iter()
        .filter(|r| r.status == RefundStatus::Approved)
        .map(|r| r.amount_minor)
        .sum();
    let amount = paid_share(
        total_minor - refunded,
        total_minor,
        lines,
        &held,
        asked,
        amount,
    )?;
    if amount > total_minor - refunded {
        return Err(Refusal::AboveLeft {
            amount,
            left: total_minor - refunded,
        });
    }
    Ok(amount)
}

/// What `value` (units at their price snapshots) is worth of what was paid: the order's total
/// is what discounts and bonuses left to pay, so each unit counts for its share of it, rounded
/// down; the request that takes every paid unit still held gets all that is `left` (the
/// rounding remainders included), so a discounted order can be refunded in full.
fn paid_share<'a>(
    left: i64,
    total_minor: i64,
    lines: &[Bought],
    held: &BTreeMap<i64, i64>,
    asked: &[Asked<'_>],
    value: i64,
) -> Result<i64, Refusal<'a>> {
    let mut raw: i64 = 0;
    let mut rest_held = false;
    for l in lines.iter().filter(|l| l.price_minor > 0) {
        raw = l
            .price_minor
            .checked_mul(l.quantity)
            .and_then(|v| raw.checked_add(v))
            .ok_or(Refusal::Overflow)?;
        let asked_now: i64 = asked
            .iter()
            .filter(|a| a.product_id == Some(l.product_id))
            .map(|a| a.quantity)
            .sum();
        let taken = held.get(&l.product_id).copied().unwrap_or(0) + asked_now;
        rest_held |= taken < l.quantity;
    }
    if !rest_held && value > 0 {
        return Ok(left.max(0));
    }
    if raw <= 0 || total_minor >= raw {
        return Ok(value);
    }
    let v = i128::from(value) * i128::from(total_minor) / i128::from(raw);
    i64::try_from(v).map_err(|_| Refusal::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: [Bought; 1] = [Bought {
        product_id: 15,
        quantity: 3,
        price_minor: 100,
    }];

    fn ask(quantity: i64) -> Asked<'static> {
        Asked {
            key: "15",
            product_id: Some(15),
            quantity,
        }
    }

    fn earlier(status: RefundStatus, units: i64) -> Earlier {
        Earlier {
            status,
            amount_minor: units * 100,
            units: BTreeMap::from([(15, units)]),
        }
    }

    #[test]
    fn a_request_is_admissible_on_a_refundable_order_with_products_and_a_short_note() {
        assert_eq!(admissible(true, "", &[ask(1)]), Ok(()));
        assert_eq!(
            admissible(false, "", &[ask(1)]),
            Err(Refusal::NotRefundable)
        );
        let long = "é".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(
            admissible(true, &long, &[ask(1)]),
            Err(Refusal::NoteTooLong)
        );
        assert_eq!(admissible(true, &long[2..], &[ask(1)]), Ok(()));
        assert_eq!(admissible(true, "", &[]), Err(Refusal::NoProducts));
    }

    #[test]
    fn units_and_money_are_refunded_once() {
        assert_eq!(decide(300, &LINES, &[], &[ask(2)]), Ok(200));
        let approved = [earlier(RefundStatus::Approved, 2)];
        assert_eq!(
            decide(300, &LINES, &approved, &[ask(2)]),
            Err(Refusal::Units {
                key: "15",
                asked: 2,
                left: 1
            })
        );
        let rejected = [earlier(RefundStatus::Rejected, 3)];
        assert_eq!(decide(300, &LINES, &rejected, &[ask(3)]), Ok(300));
        let pending = [earlier(RefundStatus::Pending, 1)];
        assert_eq!(decide(300, &LINES, &pending, &[ask(1)]), Err(Refusal::Open));
        let other = Asked {
            key: "016",
            product_id: None,
            quantity: 1,
        };
        assert_eq!(
            decide(300, &LINES, &[], &[other]),
            Err(Refusal::NotInOrder("016"))
        );
        assert_eq!(
            decide(150, &LINES, &[], &[ask(2)]),
            Ok(100),
            "a discounted order refunds its units' share of what was paid"
        );
        let part = [Earlier {
            amount_minor: 100,
            ..earlier(RefundStatus::Approved, 2)
        }];
        assert_eq!(decide(150, &LINES, &part, &[ask(1)]), Ok(50), "the rest");
        assert_eq!(decide(100, &LINES, &[], &[ask(1)]), Ok(33), "rounded down");
        assert_eq!(decide(100, &LINES, &[], &[ask(3)]), Ok(100), "all of it");
        assert_eq!(
            decide(
                150,
                &LINES,
                &[earlier(RefundStatus::Approved, 2)],
                &[ask(1)]
            ),
            Err(Refusal::AboveLeft {
                amount: 0,
                left: -50
            })
        );
    }

    proptest::proptest! {
        #[test]
        fn notes_pass_up_to_the_limit(n in 0_usize..4_000, wide in proptest::bool::ANY) {
            let note = if wide { "ü" } else { "u" }.repeat(n);
            let ok = admissible(true, &note, &[ask(1)]).is_ok();
            proptest::prop_assert_eq!(ok, n <= MAX_NOTE_CHARS);
        }

        #[test]
        fn never_more_than_bought_or_paid(done in 0_i64..=3, asked in -1_i64..5, total in 0_i64..400) {
            let before = [earlier(RefundStatus::Approved, done)];
            if let Ok(amount) = decide(total, &LINES, &before, &[ask(asked)]) {
                proptest::prop_assert!(asked >= 1 && done + asked <= 3);
                proptest::prop_assert!(amount + done * 100 <= total);
            }
        }
    }
}

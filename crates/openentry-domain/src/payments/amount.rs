//! Whether a provider's event may move its session: it must name the session's order (when it
//! names one) and, to complete it, report exactly the session's amount and currency.

use super::SessionStatus;

/// What the provider's event reports, read from its payload at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported<'a> {
    /// The order id in the event's metadata: `None` when absent, `Some(None)` when present but
    /// not an id.
    pub metadata_order: Option<Option<i64>>,
    /// The amount charged, minor units, net of tax the provider added on top.
    pub amount_minor: Option<i64>,
    /// The currency charged.
    pub currency: Option<&'a str>,
}

/// The session an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected<'a> {
    /// The session's order.
    pub order_id: i64,
    /// The session's amount, minor units.
    pub amount_minor: i64,
    /// The session's currency.
    pub currency: &'a str,
}

/// The verdict on an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The event may move the session.
    Apply,
    /// The event names another order: an alert, nothing moves.
    OrderMismatch,
    /// The event would complete the session with another amount or currency: an alert.
    AmountMismatch,
}

/// The amount of a Checkout Session net of the tax Stripe added on top of the order's total
/// (automatic tax); `None` when the total is missing or the figures do not subtract.
pub fn net_of_tax(total_minor: Option<i64>, tax_minor: Option<i64>) -> Option<i64> {
    total_minor.and_then(|t| t.checked_sub(tax_minor.unwrap_or(0)))
}

/// Judges an event that would move its session to `to`.
pub fn check_amount(
    reported: &Reported<'_>,
    expected: &Expected<'_>,
    to: SessionStatus,
) -> Verdict {
    if let Some(order) = reported.metadata_order
        && order != Some(expected.order_id)
    {
        return Verdict::OrderMismatch;
    }
    if to != SessionStatus::Completed {
        return Verdict::Apply;
    }
    let same_currency = reported
        .currency
        .is_some_and(|c| c.eq_ignore_ascii_case(expected.currency));
    if reported.amount_minor == Some(expected.amount_minor) && same_currency {
        Verdict::Apply
    } else {
        Verdict::AmountMismatch
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const SESSION: Expected<'static> = Expected {
        order_id: 7,
        amount_minor: 400,
        currency: "usd",
    };

    fn paid(amount: i64, currency: &str) -> Reported<'_> {
        Reported {
            metadata_order: Some(Some(7)),
            amount_minor: Some(amount),
            currency: Some(currency),
        }
    }

    #[test]
    fn only_the_exact_amount_completes() {
        let done = SessionStatus::Completed;
        assert_eq!(
            check_amount(&paid(400, "USD"), &SESSION, done),
            Verdict::Apply
        );
        assert_eq!(
            check_amount(&paid(399, "usd"), &SESSION, done),
            Verdict::AmountMismatch
        );
        assert_eq!(
            check_amount(&paid(400, "eur"), &SESSION, done),
            Verdict::AmountMismatch
        );
        let other = Reported {
            metadata_order: Some(Some(8)),
            ..paid(400, "usd")
        };
        assert_eq!(check_amount(&other, &SESSION, done), Verdict::OrderMismatch);
        let unreadable = Reported {
            metadata_order: Some(None),
            ..paid(400, "usd")
        };
        assert_eq!(
            check_amount(&unreadable, &SESSION, done),
            Verdict::OrderMismatch
        );
        let silent = Reported {
            metadata_order: None,
            amount_minor: None,
            currency: None,
        };
        assert_eq!(
            check_amount(&silent, &SESSION, SessionStatus::Canceled),
            Verdict::Apply
        );
        assert_eq!(
            check_amount(&silent, &SESSION, done),
            Verdict::AmountMismatch
        );
        assert_eq!(net_of_tax(Some(450), Some(50)), Some(400));
        assert_eq!(net_of_tax(Some(400), None), Some(400));
        assert_eq!(net_of_tax(None, Some(5)), None);
        assert_eq!(net_of_tax(Some(i64::MIN), Some(1)), None);
    }

    proptest! {
        #[test]
        fn a_completion_never_applies_another_amount(amount in -1_000_i64..1_000, order in 0_i64..10) {
            let reported = Reported {
                metadata_order: Some(Some(order)),
                ..paid(amount, "USD")
            };
            let verdict = check_amount(&reported, &SESSION, SessionStatus::Completed);
            prop_assert_eq!(verdict == Verdict::Apply, amount == 400 && order == 7);
        }
    }
}

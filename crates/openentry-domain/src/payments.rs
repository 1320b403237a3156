//! Payment session statuses and which changes are allowed.
//!
//! Providers deliver events at least once and in any order, so the rules form a ladder rather
//! than a sequence: `waiting` → `canceled` | `expired` → `completed`. A session moves only up the
//! ladder: a late success still wins (the money was taken), a late cancellation never undoes a
//! success, and a session never returns to `waiting`. Between `canceled` and `expired` the
//! first one stays. Applying the same events in any order therefore ends in the same state.

pub use openentry_types::events::AlertKind;
pub use openentry_types::payments::{SessionStatus, SessionType};

mod amount;
mod follow;
mod session_plan;
pub use amount::{Expected, Reported, Verdict, check_amount, net_of_tax};
pub use follow::{Aftermath, Moved, after_move, status_after};
pub use session_plan::{SessionAsk, SessionPlan, Waiting, plan_session};

/// The ladder, as a method of [`SessionStatus`] (the enum itself is a wire type).
pub trait Ladder {
    /// Whether a session in `self` may move to `to`.
    fn may_become(self, to: Self) -> bool;
}

fn rank(s: SessionStatus) -> u8 {
    match s {
        SessionStatus::Waiting => 0,
        SessionStatus::Canceled | SessionStatus::Expired => 1,
        SessionStatus::Completed => 2,
    }
}

impl Ladder for SessionStatus {
    fn may_become(self, to: Self) -> bool {
        rank(to) > rank(self)
    }
}

/// What is known about an order when one of its payment sessions completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderDue<'a> {
    /// The order's status is final (canceled, closed): nothing moves it any more.
    pub is_final: bool,
    /// The order's status counts as paid.
    pub is_paid: bool,
    /// Other sessions of the order whose completion paid it.
    pub settled_before: i64,
    /// The order's current total, minor units.
    pub total_minor: i64,
    /// The order's currency.
    pub currency: &'a str,
}

impl OrderDue<'_> {
    /// Whether the order may be paid at all: it is open and nothing has paid it yet.
    pub fn payable(&self) -> Result<(), Unsettled> {
        if self.is_final {
            return Err(Unsettled::OrderClosed);
        }
        if self.is_paid || self.settled_before > 0 {
            return Err(Unsettled::AlreadyPaid);
        }
        Ok(())
    }
}

/// Why a completed payment does not settle its order; each is an alert for an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsettled {
    /// The order was canceled or closed while the payment went through.
    OrderClosed,
    /// The order was already paid (by this or another session): a second payment.
    AlreadyPaid,
    /// Less than the order's current total was paid (the order changed after the session
    /// was opened), or in another currency.
    BelowOrderTotal,
}

impl Unsettled {
    /// The alert kind operators see.
    pub fn alert_kind(self) -> AlertKind {
        match self {
            Self::OrderClosed => AlertKind::PaymentOnClosedOrder,
            Self::AlreadyPaid => AlertKind::SecondPayment,
            Self::BelowOrderTotal => AlertKind::AmountBelowOrderTotal,
        }
    }

    /// Why, in words an operator can act on.
    pub fn describe(self) -> &'static str {
        match self {
            Self::OrderClosed => "the order is closed",
            Self::AlreadyPaid => "the order is already paid",
            Self::BelowOrderTotal => {
                "the session no longer covers the order's total; cancel it and let the customer open a new one"
            }
        }
    }
}

/// Whether a completed payment of `paid_minor` in `paid_currency` settles the order, judged
/// on the order as it is now (read under the order's lock): an order is never paid by less
/// than its current total, never paid twice, and a closed order is never reopened.
pub fn settle(order: &OrderDue<'_>, paid_minor: i64, paid_currency: &str) -> Result<(), Unsettled> {
    order.payable()?;
    if paid_minor < order.total_minor || !paid_currency.eq_ignore_ascii_case(order.currency) {
        return Err(Unsettled::BelowOrderTotal);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Ladder;
    use super::SessionStatus::{self, *};
    use super::{OrderDue, Unsettled, settle};

    fn due(total_minor: i64) -> OrderDue<'static> {
        OrderDue {
            is_final: false,
            is_paid: false,
            settled_before: 0,
            total_minor,
            currency: "USD",
        }
    }

    #[test]
    fn a_payment_settles_only_an_open_unpaid_order_for_at_least_its_total() {
        assert_eq!(settle(&due(40_000), 40_000, "usd"), Ok(()));
        assert_eq!(
            settle(&due(1_000_000), 40_000, "USD"),
            Err(Unsettled::BelowOrderTotal)
        );
        assert_eq!(
            settle(&due(400), 400, "EUR"),
            Err(Unsettled::BelowOrderTotal)
        );
        let paid = OrderDue {
            is_paid: true,
            ..due(400)
        };
        assert_eq!(settle(&paid, 400, "USD"), Err(Unsettled::AlreadyPaid));
        let twice = OrderDue {
            settled_before: 1,
            ..due(400)
        };
        assert_eq!(settle(&twice, 400, "USD"), Err(Unsettled::AlreadyPaid));
        let closed = OrderDue {
            is_final: true,
            is_paid: true,
            ..due(400)
        };
        assert_eq!(settle(&closed, 400, "USD"), Err(Unsettled::OrderClosed));
    }

    proptest::proptest! {
        #[test]
        fn never_settled_below_the_total(total in 0_i64..1_000_000_000, paid in 0_i64..1_000_000_000) {
            let ok = settle(&due(total), paid, "USD").is_ok();
            proptest::prop_assert_eq!(ok, paid >= total);
        }
    }

    fn apply(events: &[SessionStatus]) -> SessionStatus {
        events
            .iter()
            .fold(Waiting, |s, &e| if s.may_become(e) { e } else { s })
    }

    #[test]
    fn the_ladder() {
        assert!(
            Waiting.may_become(Completed)
                && Waiting.may_become(Canceled)
                && Waiting.may_become(Expired)
        );
        assert!(Canceled.may_become(Completed) && Expired.may_become(Completed));
        assert!(
            !Completed.may_become(Canceled)
                && !Completed.may_become(Waiting)
                && !Canceled.may_become(Expired)
        );
        assert!(!Waiting.may_become(Waiting));
    }

    /// Heap's algorithm: every order of `a`'s first `k` events, each applied.
    fn heap(k: usize, a: &mut [SessionStatus; 4], out: &mut Vec<SessionStatus>) {
        if k == 1 {
            out.push(apply(a));
            return;
        }
        for i in 0..k {
            heap(k - 1, a, out);
            let j = if k.is_multiple_of(2) { i } else { 0 };
            a.swap(j, k - 1);
        }
    }

    #[test]
    fn every_order_of_events_ends_in_the_same_state() {
        let events = [Canceled, Completed, Completed, Expired];
        let mut perm = events;
        // All 24 orders.
        let mut results = Vec::new();
        heap(4, &mut perm, &mut results);
        assert_eq!(results.len(), 24);
        assert!(results.iter().all(|&s| s == Completed));
        assert_eq!("expired".parse::<SessionStatus>(), Ok(Expired));
    }
}

//! Opening a payment session: whether the order may be paid, and whether the waiting session
//! is answered again or replaced. At most one session per order waits at a time, and it is
//! always for the order as it is: same amount, currency and account.

use super::{OrderDue, Unsettled};
use crate::clock::Timestamp;

/// What a new session would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionAsk<'a> {
    /// The order's total now, minor units.
    pub amount_minor: i64,
    /// The order's currency.
    pub currency: &'a str,
    /// The order's payment account (row id).
    pub account_id: i64,
    /// The account's session lifetime, minutes.
    pub timeout_minutes: i64,
}

/// The order's waiting session, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting<'a> {
    /// The session.
    pub id: i64,
    /// Its amount, minor units.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: &'a str,
    /// Its payment account (row id).
    pub account_id: i64,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionPlan {
    /// Answer the waiting session again (a retry or a second tab never opens a second payment).
    Reuse(i64),
    /// Open a session expiring at `expires_at`, after canceling `replace` (a waiting session
    /// that no longer matches the order).
    Open {
        /// The waiting session to cancel first.
        replace: Option<i64>,
        /// When the new session expires.
        expires_at: Timestamp,
    },
}

/// Decides a session request on the order as it is (`due`, read under its lock).
pub fn plan_session(
    due: &OrderDue<'_>,
    ask: &SessionAsk<'_>,
    waiting: Option<&Waiting<'_>>,
    now: Timestamp,
) -> Result<SessionPlan, Unsettled> {
    due.payable()?;
    match waiting {
        Some(w)
            if w.amount_minor == ask.amount_minor
                && w.currency == ask.currency
                && w.account_id == ask.account_id =>
        {
            Ok(SessionPlan::Reuse(w.id))
        }
        _ => Ok(SessionPlan::Open {
            replace: waiting.map(|w| w.id),
            expires_at: now.plus_secs(ask.timeout_minutes.saturating_mul(60)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn due(is_paid: bool) -> OrderDue<'static> {
        OrderDue {
            is_final: false,
            is_paid,
            settled_before: 0,
            total_minor: 400,
            currency: "USD",
        }
    }

    const ASK: SessionAsk<'static> = SessionAsk {
        amount_minor: 400,
        currency: "USD",
        account_id: 1,
        timeout_minutes: 30,
    };

    fn waiting(amount_minor: i64) -> Waiting<'static> {
        Waiting {
            id: 9,
            amount_minor,
            currency: "USD",
            account_id: 1,
        }
    }

    #[test]
    fn a_matching_waiting_session_is_answered_again() {
        let now = Timestamp(1_000);
        assert_eq!(
            plan_session(&due(false), &ASK, Some(&waiting(400)), now),
            Ok(SessionPlan::Reuse(9))
        );
        assert_eq!(
            plan_session(&due(false), &ASK, Some(&waiting(300)), now),
            Ok(SessionPlan::Open {
                replace: Some(9),
                expires_at: Timestamp(1_000).plus_secs(1_800)
            })
        );
        assert_eq!(
            plan_session(&due(true), &ASK, None, now),
            Err(Unsettled::AlreadyPaid)
        );
    }

    proptest! {
        #[test]
        fn a_paid_order_never_gets_a_session(
            is_paid in proptest::bool::ANY,
            is_final in proptest::bool::ANY,
            settled in 0_i64..2,
            amount in proptest::option::of(0_i64..1_000),
        ) {
            let due = OrderDue { is_final, settled_before: settled, ..due(is_paid) };
            let w = amount.map(waiting);
            let plan = plan_session(&due, &ASK, w.as_ref(), Timestamp(0));
            prop_assert_eq!(plan.is_ok(), !is_paid && !is_final && settled == 0);
            if let Ok(SessionPlan::Reuse(id)) = plan {
                prop_assert_eq!((id, amount), (9, Some(400)));
            }
        }
    }
}

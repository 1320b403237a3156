//! What a session's move does to its order: the storage's payment status map, and whether a
//! completion settles the order at all.

use super::{OrderDue, SessionStatus, Unsettled, settle};
use crate::project::{OrderStatusDef, OrderStorageDef};

/// The order status a session's end leads to in `storage`, if any: the storage's
/// `payment_status_map`, by default `completed` → its first status marked `paid` (canceled and
/// expired sessions leave the order payable again).
pub fn status_after(storage: &OrderStorageDef, outcome: SessionStatus) -> Option<&OrderStatusDef> {
    match &storage.payment_status_map {
        Some(map) => map.get(&outcome).and_then(|s| storage.status(s)),
        None if outcome == SessionStatus::Completed => storage.statuses.iter().find(|s| s.paid),
        None => None,
    }
}

/// A session that has just moved, with what it paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved<'a> {
    /// Its new status.
    pub to: SessionStatus,
    /// Its amount, minor units.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: &'a str,
}

/// What follows for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aftermath<'a> {
    /// Nothing: a session ended unpaid on a closed order (no alarm either).
    Nothing,
    /// A completed payment that does not settle the order: the money was taken, an operator
    /// is alerted, the order does not move.
    Alert(Unsettled),
    /// The order follows its payment.
    Follow {
        /// The session settles the order (a completion).
        settles: bool,
        /// The status to move the order to, when it is another one.
        status: Option<&'a OrderStatusDef>,
    },
}

/// Decides what a session's move to `moved.to` does to its order, judged on the order as it is
/// now (`due`, read under its lock; `settled_before` matters only for a completion), in
/// `storage` (gone from the project: nothing moves), now in status `current`.
pub fn after_move<'a>(
    moved: &Moved<'_>,
    due: &OrderDue<'_>,
    storage: Option<&'a OrderStorageDef>,
    current: Option<&str>,
) -> Aftermath<'a> {
    let settles = moved.to == SessionStatus::Completed;
    if settles {
        if let Err(why) = settle(due, moved.amount_minor, moved.currency) {
            return Aftermath::Alert(why);
        }
    } else if due.is_final {
        return Aftermath::Nothing;
    }
    let status = storage
        .and_then(|s| status_after(s, moved.to))
        .filter(|t| current != Some(t.identifier.as_str()));
    Aftermath::Follow { settles, status }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn storage(map: Option<BTreeMap<SessionStatus, String>>) -> OrderStorageDef {
        let status = |identifier: &str, default, paid, is_final| OrderStatusDef {
            identifier: identifier.to_owned(),
            title: crate::project::Localized::default(),
            default,
            is_final,
            paid,
            cancel: is_final,
        };
        OrderStorageDef {
            identifier: "orders".to_owned(),
            title: crate::project::Localized::default(),
            form: "checkout".to_owned(),
            payment_accounts: vec![],
            statuses: vec![
                status("new", true, false, false),
                status("paid", false, true, false),
                status("canceled", false, false, true),
            ],
            customer_transitions: None,
            refundable_statuses: None,
            payment_status_map: map,
        }
    }

    fn due(is_final: bool) -> OrderDue<'static> {
        OrderDue {
            is_final,
            is_paid: false,
            settled_before: 0,
            total_minor: 400,
            currency: "USD",
        }
    }

    fn moved(to: SessionStatus, amount_minor: i64) -> Moved<'static> {
        Moved {
            to,
            amount_minor,
            currency: "usd",
        }
    }

    #[test]
    fn the_default_map_pays_on_completion_only() {
        let s = storage(None);
        assert_eq!(
            status_after(&s, SessionStatus::Completed).map(|t| t.identifier.as_str()),
            Some("paid")
        );
        assert_eq!(status_after(&s, SessionStatus::Canceled), None);
        let mapped = storage(Some(BTreeMap::from([(
            SessionStatus::Expired,
            "canceled".to_owned(),
        )])));
        assert_eq!(status_after(&mapped, SessionStatus::Completed), None);
        assert_eq!(
            status_after(&mapped, SessionStatus::Expired).map(|t| t.identifier.as_str()),
            Some("canceled")
        );
    }

    #[test]
    fn a_completion_settles_or_alerts() {
        let s = storage(None);
        let paid = s.status("paid");
        let follow = after_move(
            &moved(SessionStatus::Completed, 400),
            &due(false),
            Some(&s),
            Some("new"),
        );
        assert_eq!(
            follow,
            Aftermath::Follow {
                settles: true,
                status: paid
            }
        );
        let below = after_move(
            &moved(SessionStatus::Completed, 399),
            &due(false),
            Some(&s),
            Some("new"),
        );
        assert_eq!(below, Aftermath::Alert(Unsettled::BelowOrderTotal));
        let closed = after_move(
            &moved(SessionStatus::Completed, 400),
            &due(true),
            Some(&s),
            Some("canceled"),
        );
        assert_eq!(closed, Aftermath::Alert(Unsettled::OrderClosed));
        let quiet = after_move(
            &moved(SessionStatus::Expired, 400),
            &due(true),
            Some(&s),
            Some("canceled"),
        );
        assert_eq!(quiet, Aftermath::Nothing);
        let already = after_move(
            &moved(SessionStatus::Completed, 400),
            &due(false),
            Some(&s),
            Some("paid"),
        );
        assert_eq!(
            already,
            Aftermath::Follow {
                settles: true,
                status: None
            }
        );
    }

    proptest! {
        #[test]
        fn an_order_moves_only_on_a_settling_or_unpaid_end(
            to in prop_oneof![Just(SessionStatus::Completed), Just(SessionStatus::Canceled), Just(SessionStatus::Expired)],
            amount in 0_i64..1_000,
            is_final in proptest::bool::ANY,
        ) {
            let s = storage(None);
            match after_move(&moved(to, amount), &due(is_final), Some(&s), Some("new")) {
                Aftermath::Follow { settles, status } => {
                    prop_assert!(!is_final);
                    prop_assert_eq!(settles, to == SessionStatus::Completed);
                    prop_assert!(!settles || amount >= 400);
                    prop_assert_eq!(status.is_some(), settles);
                }
                Aftermath::Alert(_) => prop_assert!(to == SessionStatus::Completed && (is_final || amount < 400)),
                Aftermath::Nothing => prop_assert!(is_final && to != SessionStatus::Completed),
            }
        }
    }
}

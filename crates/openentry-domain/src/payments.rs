//! Payment session statuses and which changes are allowed.
//!
//! Providers deliver events at least once and in any order, so the rules form a ladder rather
//! than a sequence: `waiting` → `canceled` | `expired` → `completed`. A session moves only up the
//! ladder: a late success still wins (the money was taken), a late cancellation never undoes a
//! success, and a session never returns to `waiting`. Between `canceled` and `expired` the
//! first one stays. Applying the same events in any order therefore ends in the same state.

/// A session status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SessionStatus {
    /// Open: the customer may pay.
    Waiting,
    /// Given up by the customer, the provider or an operator.
    Canceled,
    /// Not paid in time.
    Expired,
    /// Paid.
    Completed,
}

impl SessionStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Canceled => "canceled",
            Self::Expired => "expired",
            Self::Completed => "completed",
        }
    }

    /// From the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "waiting" => Some(Self::Waiting),
            "canceled" => Some(Self::Canceled),
            "expired" => Some(Self::Expired),
            "completed" => Some(Self::Completed),
            _ => None,
        }
    }

    fn rank(self) -> u8 {
        match self {
            Self::Waiting => 0,
            Self::Canceled | Self::Expired => 1,
            Self::Completed => 2,
        }
    }

    /// Whether a session in `self` may move to `to`.
    pub fn may_become(self, to: Self) -> bool {
        to.rank() > self.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::SessionStatus::{self, *};

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

    #[test]
    fn every_order_of_events_ends_in_the_same_state() {
        let events = [Canceled, Completed, Completed, Expired];
        let mut perm = events;
        // Heap's algorithm over all 24 orders.
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
        let mut results = Vec::new();
        heap(4, &mut perm, &mut results);
        assert_eq!(results.len(), 24);
        assert!(results.iter().all(|&s| s == Completed));
        assert_eq!(SessionStatus::parse("expired"), Some(Expired));
    }
}

//! Throttles: a fixed window of attempts per key (an account, a client address, a login's code
//! sends). The counters live in the shared database so that several nodes share one budget;
//! this module only decides.
//!
//! An attempt is reserved before it is evaluated: the database increments the counter
//! atomically and returns it, and [`ThrottlePolicy::admits`] decides on that returned count.
//! However many requests race, only `max_failures` of them see a count within the budget.

use crate::clock::Timestamp;

/// How many failures a key may collect within a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed within one window; the next attempt is refused until the window ends.
    pub max_failures: i64,
    /// Window length in seconds.
    pub window_secs: i64,
}

impl ThrottlePolicy {
    /// Per account: 10 failures per 15 minutes, far below ASVS's 100 per hour, and never a
    /// permanent lock-out (the right password works again once the window has passed).
    pub const ACCOUNT: Self = Self {
        max_failures: 10,
        window_secs: 15 * 60,
    };
    /// Per client address: 100 failures per 15 minutes, for stuffing across many accounts.
    pub const ADDRESS: Self = Self {
        max_failures: 100,
        window_secs: 15 * 60,
    };

    /// Anonymous writes (sign-up, sign-in, refresh, codes) per client address: 600 per 10
    /// minutes, one a second on average, far above what one person or one office needs.
    pub const ANONYMOUS: Self = Self {
        max_failures: 600,
        window_secs: 10 * 60,
    };

    /// Anonymous form submissions (`postFormsData`) per client address: 30 an hour, enough for
    /// a shared office's contact messages and reviews, far too few to flood a shop.
    pub const FORM_DATA_ADDRESS: Self = Self {
        max_failures: 30,
        window_secs: 3600,
    };

    /// Anonymous form submissions per device fingerprint (the SDK sends one with every POST):
    /// 10 an hour from one browser.
    pub const FORM_DATA_FINGERPRINT: Self = Self {
        max_failures: 10,
        window_secs: 3600,
    };

    /// Form submissions per signed-in user: 60 an hour.
    pub const FORM_DATA_USER: Self = Self {
        max_failures: 60,
        window_secs: 3600,
    };

    /// Whether the attempt whose reservation returned `reserved` (the counter including it)
    /// may go on. Refused attempts stay counted, which changes nothing: the window's end does
    /// not move.
    pub fn admits(&self, reserved: Counter, now: Timestamp) -> Verdict {
        let window_end = reserved.window_start.plus_secs(self.window_secs);
        if reserved.failures <= self.max_failures || now >= window_end {
            return Verdict::Allowed;
        }
        Verdict::Blocked {
            retry_after_secs: ((window_end.0 - now.0) + 999) / 1000,
        }
    }

    /// The start of the oldest window still open at `now`: counters that began at or before
    /// it are stale and restart from zero on the next failure.
    pub fn stale_before(&self, now: Timestamp) -> Timestamp {
        now.plus_secs(-self.window_secs)
    }

    /// Whether another attempt may be evaluated, given the stored counter.
    pub fn verdict(&self, counter: Option<Counter>, now: Timestamp) -> Verdict {
        let Some(counter) = counter else {
            return Verdict::Allowed;
        };
        let window_end = counter.window_start.plus_secs(self.window_secs);
        if counter.failures < self.max_failures || now >= window_end {
            return Verdict::Allowed;
        }
        let remaining_ms = window_end.0 - now.0;
        Verdict::Blocked {
            retry_after_secs: (remaining_ms + 999) / 1000,
        }
    }
}

/// A stored failure counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    /// Failures in the current window.
    pub failures: i64,
    /// When the current window began.
    pub window_start: Timestamp,
}

/// The throttle's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go on and check the password.
    Allowed,
    /// Refuse with 429 and this `Retry-After`.
    Blocked {
        /// Seconds until the window ends (at least 1).
        retry_after_secs: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ThrottlePolicy = ThrottlePolicy {
        max_failures: 3,
        window_secs: 60,
    };

    #[test]
    fn blocks_after_the_budget_and_recovers_after_the_window() {
        let start = Timestamp(1_000_000);
        let c = |failures| {
            Some(Counter {
                failures,
                window_start: start,
            })
        };
        assert_eq!(P.verdict(None, start), Verdict::Allowed);
        assert_eq!(P.verdict(c(2), start), Verdict::Allowed);
        assert_eq!(
            P.verdict(c(3), start),
            Verdict::Blocked {
                retry_after_secs: 60
            }
        );
        assert_eq!(
            P.verdict(c(3), start.plus_millis(59_001)),
            Verdict::Blocked {
                retry_after_secs: 1
            }
        );
        assert_eq!(P.verdict(c(3), start.plus_secs(60)), Verdict::Allowed);
        assert_eq!(P.stale_before(start.plus_secs(60)), start);
    }

    #[test]
    fn a_reservation_within_the_budget_is_admitted() {
        let start = Timestamp(1_000_000);
        let r = |failures| Counter {
            failures,
            window_start: start,
        };
        assert_eq!(P.admits(r(3), start), Verdict::Allowed);
        assert_eq!(
            P.admits(r(4), start.plus_secs(10)),
            Verdict::Blocked {
                retry_after_secs: 50
            }
        );
        assert_eq!(P.admits(r(40), start.plus_secs(60)), Verdict::Allowed);
    }
}

//! The operator's dashboard: orders and money of the day, and what waits for an operator.
//! Each figure is computed only when the operator's role may read what it counts, so a
//! figure a role may not see is never read, not merely hidden.

use openentry_domain::clock::Timestamp;
use openentry_domain::operators::{Action, Resource, allows};
use openentry_store::deliveries::LogFilter;

use crate::error::ApiResult;
use crate::money::stored;
use crate::operators::Operator;
use crate::state::AppState;

/// The figures; `None` where the role may not read them.
#[derive(Debug, Default)]
pub(crate) struct Figures {
    /// Orders created today (UTC).
    pub(crate) orders_today: Option<i64>,
    /// Completed payments today, formatted per currency (`120.50 USD`).
    pub(crate) revenue_today: Option<Vec<String>>,
    /// Payment sessions waiting for money.
    pub(crate) payments_waiting: Option<i64>,
    /// Refund requests waiting for a decision.
    pub(crate) refunds_pending: Option<i64>,
    /// Deliveries that failed (dead, or pending a retry after an error).
    pub(crate) delivery_failures: Option<i64>,
}

/// The dashboard as `operator` may see it.
pub(crate) async fn figures(state: &AppState, operator: &Operator) -> ApiResult<Figures> {
    let may = |r| allows(operator.role, r, Action::Read);
    let db = &state.db;
    let midnight = start_of_day(state.now());
    let mut f = Figures::default();
    if may(Resource::Orders) {
        f.orders_today = Some(openentry_store::dashboard::orders_since(db, midnight).await?);
    }
    if may(Resource::Payments) {
        let sums = openentry_store::dashboard::revenue_since(db, midnight).await?;
        f.revenue_today = Some(
            sums.into_iter()
                .map(|s| stored(s.n, &s.currency).map(|m| format!("{} {}", m.wire(), s.currency)))
                .collect::<ApiResult<_>>()?,
        );
        f.payments_waiting = Some(openentry_store::dashboard::payments_waiting(db).await?);
    }
    if may(Resource::Refunds) {
        f.refunds_pending = Some(openentry_store::dashboard::refunds_pending(db).await?);
    }
    if may(Resource::Events) {
        let mut failures = 0;
        for state_name in ["dead", "failed"] {
            let filter = LogFilter {
                state: Some(state_name.to_owned()),
                ..LogFilter::default()
            };
            failures += openentry_store::deliveries::count(db, &filter).await?;
        }
        f.delivery_failures = Some(failures);
    }
    Ok(f)
}

/// 00:00 UTC of `now`'s day.
fn start_of_day(now: Timestamp) -> Timestamp {
    const DAY_MS: i64 = 86_400_000;
    Timestamp(now.0 - now.0.rem_euclid(DAY_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_starts_at_midnight_utc() {
        // 2026-06-06T11:38:21.644Z → 2026-06-06T00:00:00Z.
        assert_eq!(
            start_of_day(Timestamp(1_780_745_901_644)),
            Timestamp(1_780_704_000_000)
        );
    }
}

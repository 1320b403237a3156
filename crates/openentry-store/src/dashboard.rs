//! The operator console's dashboard figures: what happened since a moment (the start of the
//! day) and what is waiting for an operator. Each figure is one indexed count or sum.

use openentry_domain::clock::Timestamp;

use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct CurrencySum {
    /// ISO 4217 code.
    pub currency: String,
    /// Minor units.
    pub n: i64,
}

/// Orders created since `since`.
pub async fn orders_since(mut e: impl Exec, since: Timestamp) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(q("SELECT COUNT(*) AS n FROM orders WHERE created_at >= $1").bind(since.0))
        .await?;
    Ok(c.n)
}

/// Money received since `since`: completed payment sessions by currency, largest first.
pub async fn revenue_since(
    mut e: impl Exec,
    since: Timestamp,
) -> Result<Vec<CurrencySum>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT currency, CAST(SUM(amount_minor) AS BIGINT) AS n FROM payment_sessions
               WHERE status = 'completed' AND updated_at >= $1
               GROUP BY currency ORDER BY n DESC, currency",
            )
            .bind(since.0),
        )
        .await
}

/// Payment sessions waiting for money.
pub async fn payments_waiting(mut e: impl Exec) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(q(
            "SELECT COUNT(*) AS n FROM payment_sessions WHERE status = 'waiting'",
        ))
        .await?;
    Ok(c.n)
}

/// Refund requests waiting for a decision.
pub async fn refunds_pending(mut e: impl Exec) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(q(
            "SELECT COUNT(*) AS n FROM refund_requests WHERE status = 'pending'",
        ))
        .await?;
    Ok(c.n)
}

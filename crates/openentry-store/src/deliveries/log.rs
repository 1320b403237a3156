//! The delivery log: every delivery with its state and last error, filtered by state, event,
//! channel, target, user or outbox row, newest first, a page at a time.

use openentry_types::paging::Paging;

use super::DeliveryRecord;
use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// Which deliveries the log shows (every filter optional).
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// `pending`, `sending`, `sent`, `dead`, or `failed`: pending after a failed attempt
    /// (waiting for its retry).
    pub state: Option<String>,
    /// Event marker.
    pub event: Option<String>,
    /// Channel.
    pub channel: Option<String>,
    /// Endpoint marker or user id.
    pub target: Option<String>,
    /// The user the delivery concerns.
    pub user_id: Option<i64>,
    /// The outbox row.
    pub outbox_id: Option<i64>,
}

fn bind(sql: &'static str, f: &LogFilter) -> crate::db::Q {
    q(sql)
        .bind(f.state.clone())
        .bind(f.event.clone())
        .bind(f.target.clone())
        .bind(f.outbox_id)
        .bind(f.user_id)
        .bind(f.channel.clone())
}

/// A statement over the log: `$head`, the filters' `WHERE` (`failed`: a pending delivery
/// with an error), then `$tail`.
macro_rules! log_sql {
    ($head:literal, $tail:literal) => {
        concat!(
            $head,
            " WHERE ($1 IS NULL OR state = $1 OR ($1 = 'failed' AND state = 'pending'
    AND last_error IS NOT NULL)) AND ($2 IS NULL OR event = $2) AND ($3 IS NULL OR target = $3)
    AND ($4 IS NULL OR outbox_id = $4) AND ($5 IS NULL OR user_id = $5)
    AND ($6 IS NULL OR channel = $6)",
            $tail
        )
    };
}

/// A page of the delivery log, newest first.
pub async fn list(
    mut e: impl Exec,
    filter: &LogFilter,
    page: Paging,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let sql = log_sql!(
        "SELECT id, outbox_id, event, channel, target, payload, state, attempts, due_at, claim,
         last_status, last_latency_ms, last_error, created_at, updated_at, user_id FROM deliveries",
        " ORDER BY created_at DESC, id LIMIT CAST($7 AS BIGINT) OFFSET CAST($8 AS BIGINT)"
    );
    e.executor().all(bind(sql, filter).page(page)).await
}

/// How many deliveries the filter matches.
pub async fn count(mut e: impl Exec, filter: &LogFilter) -> Result<i64, StoreError> {
    let sql = log_sql!("SELECT COUNT(*) AS n FROM deliveries", "");
    let c: Count = e.executor().one(bind(sql, filter)).await?;
    Ok(c.n)
}

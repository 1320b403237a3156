//! What an operator watches (docs/operations.md, "Monitoring"): whether the database answers,
//! the backlog of the event relay, sessions about to expire, and the connection pools. Read at
//! scrape time by `/metrics` and `/readyz`; every count is one indexed statement.

use openentry_domain::clock::Timestamp;

use crate::db::{Db, q};
use crate::{Exec, StoreError};

/// One row of counts.
#[derive(sqlx::FromRow, serde::Deserialize)]
struct Count {
    n: i64,
    at: Option<i64>,
}

/// The relay's backlog and the sessions expiring soon, at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Outbox rows not routed into deliveries yet.
    pub outbox_unrouted: i64,
    /// When the oldest of them was written (ms since the epoch).
    pub outbox_oldest_at: Option<i64>,
    /// Deliveries waiting for an attempt or being sent.
    pub deliveries_pending: i64,
    /// The earliest due time among pending deliveries already due (ms): how late the relay is.
    pub deliveries_oldest_due_at: Option<i64>,
    /// Deliveries that gave up (dead letters, until replayed).
    pub deliveries_dead: i64,
    /// Live sessions whose refresh ends within the horizon asked for.
    pub sessions_expiring: i64,
}

/// Whether the database answers a trivial statement.
pub async fn ping(mut e: impl Exec) -> Result<(), StoreError> {
    let _: Count = e
        .executor()
        .one(q(
            "SELECT CAST(1 AS BIGINT) AS n, CAST(NULL AS BIGINT) AS at",
        ))
        .await?;
    Ok(())
}

/// The backlog at `now`; `horizon_ms` bounds "expiring soon".
pub async fn backlog(
    mut e: impl Exec,
    now: Timestamp,
    horizon_ms: i64,
) -> Result<Backlog, StoreError> {
    let mut c = e.executor();
    let outbox: Count = c
        .one(q(
            "SELECT COUNT(*) AS n, MIN(created_at) AS at FROM outbox WHERE delivered_at IS NULL",
        ))
        .await?;
    let pending: Count = c
        .one(q(
            "SELECT COUNT(*) AS n, CAST(NULL AS BIGINT) AS at FROM deliveries
                WHERE state IN ('pending', 'sending')",
        ))
        .await?;
    let due: Count = c
        .one(
            q("SELECT COUNT(*) AS n, MIN(due_at) AS at FROM deliveries
               WHERE state = 'pending' AND due_at <= $1")
            .bind(now.0),
        )
        .await?;
    let dead: Count = c
        .one(q(
            "SELECT COUNT(*) AS n, CAST(NULL AS BIGINT) AS at FROM deliveries
                WHERE state = 'dead'",
        ))
        .await?;
    let sessions: Count = c
        .one(
            q(
                "SELECT COUNT(*) AS n, CAST(NULL AS BIGINT) AS at FROM user_sessions
               WHERE revoked_at IS NULL AND expires_at > $1 AND expires_at <= $2",
            )
            .bind(now.0)
            .bind(now.0.saturating_add(horizon_ms)),
        )
        .await?;
    Ok(Backlog {
        outbox_unrouted: outbox.n,
        outbox_oldest_at: outbox.at,
        deliveries_pending: pending.n,
        deliveries_oldest_due_at: due.at,
        deliveries_dead: dead.n,
        sessions_expiring: sessions.n,
    })
}

/// The connection pools and, on SQLite, the group-committing writer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Open connections (PostgreSQL pool; SQLite readers kept idle plus the writer).
    pub connections: u64,
    /// Idle connections.
    pub idle: u64,
    /// Transactions waiting for the SQLite writer (0 on PostgreSQL).
    pub writer_waiting: u64,
    /// Group commits so far (SQLite; 0 on PostgreSQL).
    pub commits: u64,
    /// Transactions per group commit: cumulative counts for batches of at most
    /// [`BATCH_BUCKETS`]`[i]` transactions, then the count of all batches (SQLite).
    pub batch_sizes: Vec<u64>,
    /// Transactions committed through group commits (the histogram's sum).
    pub batched_transactions: u64,
}

/// Upper bounds of the group-commit batch-size buckets.
pub const BATCH_BUCKETS: [u64; 8] = [1, 2, 4, 8, 16, 32, 64, 128];

impl Db {
    /// The pools' state now.
    pub fn pool_stats(&self) -> PoolStats {
        match self {
            Self::Sqlite(lite) => lite.stats(),
            Self::Postgres(pool) => PoolStats {
                connections: u64::from(pool.size()),
                idle: u64::try_from(pool.num_idle()).unwrap_or(u64::MAX),
                ..PoolStats::default()
            },
        }
    }
}

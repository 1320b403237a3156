//! Periodic purging of rows that anonymous or ordinary use leaves behind and nothing reads
//! any more: throttle counters whose window is over, one-time codes past their expiry,
//! idempotency keys past their retention, ended sign-in sessions (with their refresh tokens,
//! by `ON DELETE CASCADE`), old notifications and finished deliveries (sent or dead) past the
//! delivery log's retention. Deletes go in batches, so a large backlog
//! never holds the SQLite writer or a PostgreSQL lock for long.

use openentry_domain::clock::Timestamp;

use crate::db::q;
use crate::{Db, Exec, StoreError};

/// Rows deleted per statement.
const BATCH: i64 = 1000;

/// What is stale: rows at or before these instants go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Now: codes and sessions that expired by then go.
    pub now: Timestamp,
    /// Throttle counters whose window started at or before this (the longest window ago).
    pub throttle_before: Timestamp,
    /// Idempotency keys created at or before this.
    pub idempotency_before: Timestamp,
    /// Sessions revoked at or before this.
    pub revoked_before: Timestamp,
    /// Notifications written at or before this.
    pub notifications_before: Timestamp,
    /// Deliveries sent, or given up, at or before this.
    pub deliveries_before: Timestamp,
}

/// How many rows a purge deleted, per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// `auth_throttle`.
    pub throttle: u64,
    /// `one_time_codes`.
    pub codes: u64,
    /// `idempotency_keys`.
    pub idempotency: u64,
    /// `user_sessions` (their refresh tokens go with them).
    pub sessions: u64,
    /// `notifications`.
    pub notifications: u64,
    /// `deliveries` (sent or dead).
    pub deliveries: u64,
}

impl Purged {
    /// Rows deleted in all.
    pub fn total(&self) -> u64 {
        self.throttle
            + self.codes
            + self.idempotency
            + self.sessions
            + self.notifications
            + self.deliveries
    }
}

/// Runs one batched delete statement until it deletes less than a full batch.
async fn drain(db: &Db, sql: &'static str, cutoff: Timestamp) -> Result<u64, StoreError> {
    let mut total = 0;
    loop {
        let n = db
            .executor()
            .exec(q(sql).bind(cutoff.0).bind(BATCH))
            .await?;
        total += n;
        if n < BATCH.unsigned_abs() {
            return Ok(total);
        }
    }
}

/// Deletes every stale row.
pub async fn purge(db: &Db, c: &Cutoffs) -> Result<Purged, StoreError> {
    Ok(Purged {
        throttle: drain(
            db,
            "DELETE FROM auth_throttle WHERE key IN (SELECT key FROM auth_throttle
               WHERE window_start <= $1 LIMIT CAST($2 AS BIGINT))",
            c.throttle_before,
        )
        .await?,
        // A spent code (used, replaced or out of tries) still expires within its lifetime, so
        // expiry alone finds every dead code, by index.
        codes: drain(
            db,
            "DELETE FROM one_time_codes WHERE id IN (SELECT id FROM one_time_codes
               WHERE expires_at <= $1 LIMIT CAST($2 AS BIGINT))",
            c.now,
        )
        .await?,
        idempotency: drain(
            db,
            "DELETE FROM idempotency_keys WHERE (user_id, key) IN (SELECT user_id, key
               FROM idempotency_keys WHERE created_at <= $1 LIMIT CAST($2 AS BIGINT))",
            c.idempotency_before,
        )
        .await?,
        sessions: drain(
            db,
            "DELETE FROM user_sessions WHERE id IN (SELECT id FROM user_sessions
               WHERE expires_at <= $1 LIMIT CAST($2 AS BIGINT))",
            c.now,
        )
        .await?
            + drain(
                db,
                "DELETE FROM user_sessions WHERE id IN (SELECT id FROM user_sessions
                   WHERE revoked_at <= $1 LIMIT CAST($2 AS BIGINT))",
                c.revoked_before,
            )
            .await?
            // Console sessions: past their absolute end, or revoked or idle (a session idle
            // that long ended long ago) before the retention.
            + drain(
                db,
                "DELETE FROM operator_sessions WHERE id IN (SELECT id FROM operator_sessions
                   WHERE expires_at <= $1 LIMIT CAST($2 AS BIGINT))",
                c.now,
            )
            .await?
            + drain(
                db,
                "DELETE FROM operator_sessions WHERE id IN (SELECT id FROM operator_sessions
                   WHERE revoked_at <= $1 OR last_seen_at <= $1 LIMIT CAST($2 AS BIGINT))",
                c.revoked_before,
            )
            .await?,
        notifications: drain(
            db,
            "DELETE FROM notifications WHERE id IN (SELECT id FROM notifications
               WHERE created_at <= $1 LIMIT CAST($2 AS BIGINT))",
            c.notifications_before,
        )
        .await?,
        // A finished delivery's `due_at` is when it finished (sent) or would have been tried
        // again (dead): the `(state, due_at)` index finds them. Pending and sending ones stay.
        deliveries: drain(
            db,
            "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries
               WHERE state = 'sent' AND due_at <= $1 LIMIT CAST($2 AS BIGINT))",
            c.deliveries_before,
        )
        .await?
            + drain(
                db,
                "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries
                   WHERE state = 'dead' AND due_at <= $1 LIMIT CAST($2 AS BIGINT))",
                c.deliveries_before,
            )
            .await?,
    })
}

/// Rows per table that the purge looks after (for operators and tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct Counts {
    /// `auth_throttle`.
    pub throttle: i64,
    /// `one_time_codes`.
    pub codes: i64,
    /// `idempotency_keys`.
    pub idempotency: i64,
    /// `user_sessions`.
    pub sessions: i64,
    /// `refresh_tokens`.
    pub refresh_tokens: i64,
    /// `notifications`.
    pub notifications: i64,
}

/// Counts the rows of the purged tables.
pub async fn counts(mut e: impl Exec) -> Result<Counts, StoreError> {
    e.executor()
        .one(q("SELECT
              (SELECT COUNT(*) FROM auth_throttle) AS throttle,
              (SELECT COUNT(*) FROM one_time_codes) AS codes,
              (SELECT COUNT(*) FROM idempotency_keys) AS idempotency,
              (SELECT COUNT(*) FROM user_sessions) AS sessions,
              (SELECT COUNT(*) FROM refresh_tokens) AS refresh_tokens,
              (SELECT COUNT(*) FROM notifications) AS notifications"))
        .await
}

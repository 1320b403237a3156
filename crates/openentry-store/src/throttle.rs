//! Failure counters for the sign-in throttle, shared by every node through the database.

use openentry_domain::clock::Timestamp;
use openentry_domain::throttle::Counter;

use crate::db::{Q, q};
use crate::{Db, Exec, StoreError};

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Row {
    failures: i64,
    window_start: i64,
}

impl From<Row> for Counter {
    fn from(r: Row) -> Self {
        Counter {
            failures: r.failures,
            window_start: Timestamp(r.window_start),
        }
    }
}

/// Counts one attempt under a key atomically and returns the counter including it: a counter
/// whose window began at or before `stale_before` restarts at 1 with a window starting `now`.
fn record_q(key: &str, now: Timestamp, stale_before: Timestamp) -> Q {
    q(
        "INSERT INTO auth_throttle (key, failures, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN auth_throttle.window_start <= $3 THEN 1
                         ELSE auth_throttle.failures + 1 END,
         window_start = CASE WHEN auth_throttle.window_start <= $3 THEN $2
                             ELSE auth_throttle.window_start END
       RETURNING failures, window_start",
    )
    .bind(key)
    .bind(now.0)
    .bind(stale_before.0)
}

/// The counter of a key, if it has one.
pub async fn get(mut e: impl Exec, key: &str) -> Result<Option<Counter>, StoreError> {
    let mut c = e.executor();
    let row: Option<Row> = c
        .opt(q("SELECT failures, window_start FROM auth_throttle WHERE key = $1").bind(key))
        .await?;
    Ok(row.map(Counter::from))
}

/// [`record_all`] for one key, as one statement.
pub async fn record(
    mut e: impl Exec,
    key: &str,
    now: Timestamp,
    stale_before: Timestamp,
) -> Result<Counter, StoreError> {
    let row: Row = e.executor().one(record_q(key, now, stale_before)).await?;
    Ok(row.into())
}

/// Forgets a key's failures.
pub async fn reset(db: &Db, key: &str) -> Result<(), StoreError> {
    forgive(db, &[key], &[]).await
}

/// One key of [`record_all`] and the start of its oldest open window.
#[derive(Debug, Clone, Copy)]
pub struct Reservation<'a> {
    /// The budget's key.
    pub key: &'a str,
    /// Counters whose window began at or before this restart.
    pub stale_before: Timestamp,
}

/// Counts one attempt under every key, in one transaction (one commit however many budgets a
/// request is subject to), and returns the counters including it, in the order of `keys`.
/// Callers reserve an attempt this way *before* evaluating it and decide on the returned
/// counts, so concurrent requests on any number of nodes never evaluate more than the budget.
pub async fn record_all(
    db: &Db,
    keys: &[Reservation<'_>],
    now: Timestamp,
) -> Result<Vec<Counter>, StoreError> {
    let mut tx = db.begin().await?;
    let mut out = Vec::with_capacity(keys.len());
    for r in keys {
        let row: Row = tx
            .executor()
            .one(record_q(r.key, now, r.stale_before))
            .await?;
        out.push(row.into());
    }
    tx.commit().await?;
    Ok(out)
}

/// After an attempt that does not count against its budgets (a sign-in that succeeded, or one
/// never evaluated): forgets the failures of `reset` and gives one attempt back to each of
/// `release`, in one transaction.
pub async fn forgive(db: &Db, reset: &[&str], release: &[&str]) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    for key in reset {
        tx.executor()
            .exec(q("DELETE FROM auth_throttle WHERE key = $1").bind(*key))
            .await?;
    }
    for key in release {
        tx.executor().exec(
                q("UPDATE auth_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
                    .bind(*key),
            )
            .await?;
    }
    tx.commit().await
}

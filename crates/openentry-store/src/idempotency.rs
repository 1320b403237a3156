//! Idempotency keys: the same key and body replay the stored answer; the same key with another
//! body is refused. The key row is written in the same transaction as the work, so a request
//! that fails leaves no key behind and can be retried.

use openentry_domain::clock::Timestamp;

use crate::db::Executor;
use crate::db::q;
use crate::{Exec, StoreError};

/// What a key means for this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First use: do the work, then [`complete`].
    Fresh,
    /// Used before with the same request: answer this.
    Replay {
        /// Stored status code.
        status: u16,
        /// Stored body.
        body: String,
    },
    /// Used before with another request.
    Mismatch,
    /// The first request with this key has not finished.
    InFlight,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Row {
    scope: String,
    request_hash: String,
    status_code: Option<i64>,
    response: Option<String>,
    created_at: i64,
}

async fn get(e: &mut Executor<'_>, user_id: i64, key: &str) -> Result<Option<Row>, StoreError> {
    e.opt(
        q(
            "SELECT scope, request_hash, status_code, response, created_at FROM idempotency_keys
               WHERE user_id = $1 AND key = $2",
        )
        .bind(user_id)
        .bind(key),
    )
    .await
}

/// The times a claim is judged by.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Now.
    pub now: Timestamp,
    /// Keys created at or before this are forgotten.
    pub expired_before: Timestamp,
    /// A claim still without an answer that was made at or before this is abandoned (its
    /// request died with its process): the next request with the same key takes it over.
    pub abandoned_before: Timestamp,
}

/// Claims `key` for a request. Keys older than `expired_before` are forgotten first.
pub async fn claim(
    mut e: impl Exec,
    user_id: i64,
    key: &str,
    scope: &str,
    request_hash: &str,
    w: Window,
) -> Result<Claim, StoreError> {
    let mut e = e.executor();
    if get(&mut e, user_id, key)
        .await?
        .is_some_and(|r| r.created_at <= w.expired_before.0)
    {
        e.exec(
            q("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2")
                .bind(user_id)
                .bind(key),
        )
        .await?;
    }
    // On PostgreSQL a concurrent claim of the same key waits here until the first commits.
    let inserted = e
        .exec(
            q(
                "INSERT INTO idempotency_keys (user_id, key, scope, request_hash, created_at)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, key) DO NOTHING",
            )
            .bind(user_id)
            .bind(key)
            .bind(scope)
            .bind(request_hash)
            .bind(w.now.0),
        )
        .await?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let Some(row) = get(&mut e, user_id, key).await? else {
        return Ok(Claim::InFlight);
    };
    if row.scope != scope || row.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    Ok(match (row.status_code, row.response) {
        (Some(status), Some(body)) => Claim::Replay {
            status: u16::try_from(status).unwrap_or(200),
            body,
        },
        _ if row.created_at <= w.abandoned_before.0 => {
            // Only one of several concurrent retries wins the take-over.
            let taken = e
                .exec(
                    q("UPDATE idempotency_keys SET created_at = $3
                       WHERE user_id = $1 AND key = $2 AND created_at = $4 AND response IS NULL")
                    .bind(user_id)
                    .bind(key)
                    .bind(w.now.0)
                    .bind(row.created_at),
                )
                .await?;
            if taken == 1 {
                Claim::Fresh
            } else {
                Claim::InFlight
            }
        }
        _ => Claim::InFlight,
    })
}

/// Stores the answer of a fresh claim, in the same transaction as the work.
pub async fn complete(
    mut e: impl Exec,
    user_id: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    e.executor().exec(
            q("UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2")
                .bind(user_id)
                .bind(key)
                .bind(i64::from(status))
                .bind(body),
        )
        .await?;
    Ok(())
}

/// Forgets a fresh claim whose work failed after its transaction committed (a provider call),
/// so the client's retry with the same key is a new attempt.
pub async fn forget(mut e: impl Exec, user_id: i64, key: &str) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND response IS NULL")
                .bind(user_id)
                .bind(key),
        )
        .await?;
    Ok(())
}

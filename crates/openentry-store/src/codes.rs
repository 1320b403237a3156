//! One-time codes, stored only as keyed hashes.

use openentry_domain::clock::Timestamp;

use crate::db::q;
use crate::{Exec, StoreError};

/// A live code.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct CodeRecord {
    /// Id.
    pub id: i64,
    /// Event it was issued for.
    pub event: String,
    /// Keyed hash of the code.
    pub code_hash: String,
    /// Wrong tries so far.
    pub attempts: i64,
}

/// Issues a code: earlier live codes of the same user and event stop working.
pub async fn issue(
    mut e: impl Exec,
    user_id: i64,
    event: &str,
    code_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    let mut t = e.executor();
    t.exec(
        q("UPDATE one_time_codes SET spent_at = $3
           WHERE user_id = $1 AND event = $2 AND spent_at IS NULL")
        .bind(user_id)
        .bind(event)
        .bind(now.0),
    )
    .await?;
    t.exec(
        q("INSERT INTO one_time_codes (user_id, event, code_hash, created_at, expires_at, attempts)
           VALUES ($1, $2, $3, $4, $5, 0)")
        .bind(user_id)
        .bind(event)
        .bind(code_hash)
        .bind(now.0)
        .bind(expires_at.0),
    )
    .await?;
    Ok(())
}

/// The newest live code of a user, for one event or (`None`) for any.
pub async fn get_live(
    mut e: impl Exec,
    user_id: i64,
    event: Option<&str>,
    now: Timestamp,
) -> Result<Option<CodeRecord>, StoreError> {
    e.executor()
        .opt(
            q("SELECT id, event, code_hash, attempts FROM one_time_codes
               WHERE user_id = $1 AND ($2 IS NULL OR event = $2)
                 AND spent_at IS NULL AND expires_at > $3
               ORDER BY id DESC LIMIT 1")
            .bind(user_id)
            .bind(event.map(str::to_owned))
            .bind(now.0),
        )
        .await
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Attempts {
    attempts: i64,
}

/// Reserves one try of a live code before it is compared, atomically: `None` when the code is
/// spent, expired or has used up its `max_attempts` tries. However many guesses race, on any
/// number of nodes, at most `max_attempts` are ever compared.
pub async fn reserve_attempt(
    mut e: impl Exec,
    id: i64,
    max_attempts: i64,
    now: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let row: Option<Attempts> = e
        .executor()
        .opt(
            q("UPDATE one_time_codes SET attempts = attempts + 1
               WHERE id = $1 AND spent_at IS NULL AND expires_at > $3 AND attempts < $2
               RETURNING attempts")
            .bind(id)
            .bind(max_attempts)
            .bind(now.0),
        )
        .await?;
    Ok(row.map(|r| r.attempts))
}

/// Gives back the try of a right code: only wrong tries count against `max_attempts`.
pub async fn give_back_attempt(mut e: impl Exec, id: i64) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE one_time_codes SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0")
                .bind(id),
        )
        .await?;
    Ok(())
}

/// Marks a code spent once its tries are used up, so it is no longer "live" for lookups.
pub async fn close_if_exhausted(
    mut e: impl Exec,
    id: i64,
    max_attempts: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE one_time_codes SET spent_at = $3
               WHERE id = $1 AND spent_at IS NULL AND attempts >= $2")
            .bind(id)
            .bind(max_attempts)
            .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Tries counted on a user's newest code of any state (for operators and tests).
pub async fn newest_attempts(mut e: impl Exec, user_id: i64) -> Result<Option<i64>, StoreError> {
    let row: Option<Attempts> = e
        .executor()
        .opt(
            q("SELECT attempts FROM one_time_codes WHERE user_id = $1 ORDER BY id DESC LIMIT 1")
                .bind(user_id),
        )
        .await?;
    Ok(row.map(|r| r.attempts))
}

/// Uses a code up; false if someone else used it first.
pub async fn spend(mut e: impl Exec, id: i64, now: Timestamp) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE one_time_codes SET spent_at = $2 WHERE id = $1 AND spent_at IS NULL")
                .bind(id)
                .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

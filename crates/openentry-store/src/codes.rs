//! One-time codes, stored only as keyed hashes.

use openentry_domain::clock::Timestamp;

use crate::db::q;
use crate::{Db, StoreError, Tx};

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
    tx: &mut Tx,
    user_id: i64,
    event: &str,
    code_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    let t = tx.inner();
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
pub async fn live(
    db: &Db,
    user_id: i64,
    event: Option<&str>,
    now: Timestamp,
) -> Result<Option<CodeRecord>, StoreError> {
    db.conn()
        .await?
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

/// Counts a wrong try; the code dies on the `max_attempts`-th.
pub async fn record_wrong(
    db: &Db,
    id: i64,
    max_attempts: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    db.conn()
        .await?
        .exec(
            q("UPDATE one_time_codes SET attempts = attempts + 1,
                 spent_at = CASE WHEN attempts + 1 >= $2 THEN $3 ELSE spent_at END
               WHERE id = $1")
            .bind(id)
            .bind(max_attempts)
            .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Uses a code up; false if someone else used it first.
pub async fn spend(tx: &mut Tx, id: i64, now: Timestamp) -> Result<bool, StoreError> {
    let n = tx
        .inner()
        .exec(
            q("UPDATE one_time_codes SET spent_at = $2 WHERE id = $1 AND spent_at IS NULL")
                .bind(id)
                .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

//! API tokens for automation: a name, a role, and the SHA-256 of the secret (shown once at
//! creation, never stored).

use openentry_domain::clock::Timestamp;

use crate::db::{Id, q};
use crate::{Exec, StoreError};

/// A token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct TokenRecord {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Role name.
    pub role: String,
    /// Who created it (audit actor).
    pub created_by: String,
    /// Creation (ms).
    pub created_at: i64,
    /// Last use (ms), updated at most once a minute.
    pub last_used_at: Option<i64>,
    /// Revocation (ms).
    pub revoked_at: Option<i64>,
}

/// `SELECT <every column of TokenRecord> FROM api_tokens <rest>`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, role, created_by, created_at, last_used_at, revoked_at FROM api_tokens ",
            $rest
        )
    };
}

/// Creates a token; a taken name is [`StoreError::Conflict`].
pub async fn insert(
    mut e: impl Exec,
    name: &str,
    token_hash: &str,
    role: &str,
    created_by: &str,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row: Id = e
        .executor()
        .one(
            q(
                "INSERT INTO api_tokens (name, token_hash, role, created_by, created_at)
               VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(name)
            .bind(token_hash)
            .bind(role)
            .bind(created_by)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// The live (not revoked) token with this hash.
pub async fn get_live(
    mut e: impl Exec,
    token_hash: &str,
) -> Result<Option<TokenRecord>, StoreError> {
    e.executor()
        .opt(q(select!("WHERE token_hash = $1 AND revoked_at IS NULL")).bind(token_hash))
        .await
}

/// Every token, newest first.
pub async fn list_all(mut e: impl Exec) -> Result<Vec<TokenRecord>, StoreError> {
    e.executor().all(q(select!("ORDER BY id DESC"))).await
}

/// Records a use, at most once per minute per token (so a busy token does not write per call).
pub async fn touch(mut e: impl Exec, id: i64, now: Timestamp) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE api_tokens SET last_used_at = $2
               WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)")
            .bind(id)
            .bind(now.0)
            .bind(now.0 - 60_000),
        )
        .await?;
    Ok(())
}

/// Revokes a token; `false` when it does not exist or was revoked already.
pub async fn revoke(mut e: impl Exec, id: i64, now: Timestamp) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(id)
                .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

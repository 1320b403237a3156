//! Console sessions: one row per sign-in, found by the SHA-256 of the cookie's value, with an
//! idle and an absolute end.

use openentry_domain::clock::Timestamp;

use crate::db::{Id, q};
use crate::{Exec, StoreError};

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// The account.
    pub operator_id: i64,
    /// SHA-256 (hex) of the cookie's value.
    pub token_hash: &'a str,
    /// The CSRF token changes must carry.
    pub csrf_token: &'a str,
    /// The absolute end.
    pub expires_at: Timestamp,
}

/// Opens a session; returns its id.
pub async fn insert(
    mut e: impl Exec,
    s: &NewSession<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row: Id = e
        .executor()
        .one(
            q("INSERT INTO operator_sessions
                 (operator_id, token_hash, csrf_token, created_at, last_seen_at, expires_at)
               VALUES ($1, $2, $3, $4, $4, $5) RETURNING id")
            .bind(s.operator_id)
            .bind(s.token_hash)
            .bind(s.csrf_token)
            .bind(now.0)
            .bind(s.expires_at.0),
        )
        .await?;
    Ok(row.id)
}

/// A live session with its account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct LiveSession {
    /// Session id.
    pub session_id: i64,
    /// The account.
    pub operator_id: i64,
    /// The account's login.
    pub login: String,
    /// The account's role name.
    pub role: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// Last use (ms).
    pub last_seen_at: i64,
    /// Absolute end (ms).
    pub expires_at: i64,
}

/// The session behind a cookie, if it is neither revoked, past its absolute end, idle since
/// before `idle_since`, nor of a blocked account.
pub async fn get_live(
    mut e: impl Exec,
    token_hash: &str,
    now: Timestamp,
    idle_since: Timestamp,
) -> Result<Option<LiveSession>, StoreError> {
    e.executor()
        .opt(
            q(
                "SELECT s.id AS session_id, s.operator_id, o.login, o.role, s.csrf_token,
                      s.last_seen_at, s.expires_at
               FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
               WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
                 AND s.last_seen_at > $3 AND NOT o.blocked",
            )
            .bind(token_hash)
            .bind(now.0)
            .bind(idle_since.0),
        )
        .await
}

/// Records a use (the idle clock restarts).
pub async fn touch(mut e: impl Exec, session_id: i64, now: Timestamp) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE operator_sessions SET last_seen_at = $2 WHERE id = $1")
                .bind(session_id)
                .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn revoke(mut e: impl Exec, session_id: i64, now: Timestamp) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE operator_sessions SET revoked_at = $2
               WHERE id = $1 AND revoked_at IS NULL")
            .bind(session_id)
            .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Ends every session of an account ("sign out everywhere", a blocked account, a new
/// password); returns how many were live.
pub async fn revoke_all(
    mut e: impl Exec,
    operator_id: i64,
    now: Timestamp,
) -> Result<u64, StoreError> {
    e.executor()
        .exec(
            q("UPDATE operator_sessions SET revoked_at = $2
               WHERE operator_id = $1 AND revoked_at IS NULL")
            .bind(operator_id)
            .bind(now.0),
        )
        .await
}

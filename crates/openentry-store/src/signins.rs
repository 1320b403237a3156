//! Sign-in sessions and their single-use refresh tokens.
//!
//! A session is one sign-in on one device; its refresh tokens form a family. Rotation marks
//! the presented token used and adds its successor in one transaction. Presenting a used token
//! again means it leaked (or two clients raced), so the whole session is revoked (RFC 9700
//! §4.14.2). Access tokens carry the session id and are checked against this table on every
//! request, so a revocation takes effect at once on every node.

use openentry_domain::clock::Timestamp;
use openentry_types::auth::DeviceInfo;

use crate::db::{Id, q};
use crate::json::JsonText;
use crate::{Db, Exec, StoreError};

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewSignin<'a> {
    /// The user.
    pub user_id: i64,
    /// JSON device info from `x-device-metadata`.
    pub device: &'a str,
    /// Absolute end of the session and all its refresh tokens.
    pub expires_at: Timestamp,
    /// SHA-256 (hex) of the first refresh token.
    pub refresh_hash: &'a str,
}

/// Opens a session with its first refresh token; returns the session id.
pub async fn insert(db: &Db, s: &NewSignin<'_>, now: Timestamp) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let mut t = tx.executor();
    let row: Id = t
        .one(
            q(
                "INSERT INTO user_sessions (user_id, device, created_at, expires_at)
               VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(s.user_id)
            .bind(s.device)
            .bind(now.0)
            .bind(s.expires_at.0),
        )
        .await?;
    t.exec(
        q("INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)")
            .bind(s.refresh_hash)
            .bind(row.id)
            .bind(now.0),
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Who a live session belongs to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct LiveSignin {
    /// Session id.
    pub session_id: i64,
    /// The user.
    pub user_id: i64,
}

/// The session, if it is neither revoked nor expired and its user neither archived nor
/// blocked. This is the per-request check behind every access token.
pub async fn get_live(
    mut e: impl Exec,
    session_id: i64,
    now: Timestamp,
) -> Result<Option<LiveSignin>, StoreError> {
    e.executor()
        .opt(
            q("SELECT s.id AS session_id, s.user_id FROM user_sessions s
               JOIN users u ON u.id = s.user_id
               WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
                 AND u.archived_at IS NULL AND u.blocked_at IS NULL")
            .bind(session_id)
            .bind(now.0),
        )
        .await
}

/// The outcome of presenting a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was live; `next_hash` is now the family's live token.
    Rotated(LiveSignin),
    /// Unknown token, or its session is over.
    Invalid,
    /// The token was already used: the session has been revoked.
    Reused,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct TokenRow {
    session_id: i64,
    user_id: i64,
    used_at: Option<i64>,
    revoked_at: Option<i64>,
    expires_at: i64,
    archived_at: Option<i64>,
    blocked_at: Option<i64>,
}

/// Rotates a refresh token: marks `hash` used and stores `next_hash` in the same session.
pub async fn rotate(
    db: &Db,
    hash: &str,
    next_hash: &str,
    now: Timestamp,
) -> Result<Rotation, StoreError> {
    let mut tx = db.begin().await?;
    let mut t = tx.executor();
    let row: Option<TokenRow> = t
        .opt(
            q("SELECT t.session_id, s.user_id, t.used_at, s.revoked_at, s.expires_at, u.archived_at,
                      u.blocked_at
               FROM refresh_tokens t
               JOIN user_sessions s ON s.id = t.session_id
               JOIN users u ON u.id = s.user_id
               WHERE t.token_hash = $1")
            .bind(hash),
        )
        .await?;
    let Some(row) = row else {
        return Ok(Rotation::Invalid);
    };
    if row.revoked_at.is_some()
        || row.expires_at <= now.0
        || row.archived_at.is_some()
        || row.blocked_at.is_some()
    {
        return Ok(Rotation::Invalid);
    }
    // The guarded update is the race arbiter: of two concurrent rotations of one token, only
    // one sees `used_at IS NULL`; the other is treated as reuse.
    let claimed = row.used_at.is_none()
        && t.exec(
            q("UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                .bind(hash)
                .bind(now.0),
        )
        .await?
            == 1;
    if !claimed {
        revoke_in(&mut tx, row.session_id, "refresh token reuse", now).await?;
        tx.commit().await?;
        return Ok(Rotation::Reused);
    }
    tx.executor().exec(
            q("INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)")
                .bind(next_hash)
                .bind(row.session_id)
                .bind(now.0),
        )
        .await?;
    tx.commit().await?;
    Ok(Rotation::Rotated(LiveSignin {
        session_id: row.session_id,
        user_id: row.user_id,
    }))
}

async fn revoke_in(
    mut e: impl Exec,
    session_id: i64,
    reason: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "UPDATE user_sessions SET revoked_at = $2, revoke_reason = $3
               WHERE id = $1 AND revoked_at IS NULL",
            )
            .bind(session_id)
            .bind(now.0)
            .bind(reason),
        )
        .await?;
    Ok(())
}

/// Ends one session of a user.
pub async fn revoke(
    mut e: impl Exec,
    user_id: i64,
    session_id: i64,
    reason: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "UPDATE user_sessions SET revoked_at = $3, revoke_reason = $4
               WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
            )
            .bind(session_id)
            .bind(user_id)
            .bind(now.0)
            .bind(reason),
        )
        .await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn revoke_all(
    mut e: impl Exec,
    user_id: i64,
    reason: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    e.executor()
        .exec(
            q(
                "UPDATE user_sessions SET revoked_at = $2, revoke_reason = $3
               WHERE user_id = $1 AND revoked_at IS NULL",
            )
            .bind(user_id)
            .bind(now.0)
            .bind(reason),
        )
        .await
}

/// The session a refresh token belongs to, if the token is live (used by `logout`).
pub async fn get_by_token(mut e: impl Exec, hash: &str) -> Result<Option<i64>, StoreError> {
    let row: Option<Id> = e
        .executor()
        .opt(q("SELECT session_id AS id FROM refresh_tokens WHERE token_hash = $1").bind(hash))
        .await?;
    Ok(row.map(|r| r.id))
}

/// A session as listed to its user.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct SigninRecord {
    /// Id.
    pub id: i64,
    /// Device info.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub device: DeviceInfo,
    /// Start.
    pub created_at: i64,
}

/// The user's live sessions, newest first.
pub async fn list_live(
    mut e: impl Exec,
    user_id: i64,
    now: Timestamp,
) -> Result<Vec<SigninRecord>, StoreError> {
    e.executor()
        .all(
            q("SELECT id, device, created_at FROM user_sessions
               WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC")
            .bind(user_id)
            .bind(now.0),
        )
        .await
}

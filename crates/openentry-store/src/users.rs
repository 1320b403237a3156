//! Users of auth providers.

use openentry_domain::clock::Timestamp;
use openentry_types::auth::NotificationData;
use serde_json::Value;

use crate::db::{Id, q};
use crate::json::JsonText;
use crate::{Db, Exec, StoreError};

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct UserRecord {
    /// Id.
    pub id: i64,
    /// Provider id.
    pub provider_id: i64,
    /// Login as entered.
    pub identifier: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// False until activated (providers that check codes).
    pub is_active: bool,
    /// The sign-up form.
    pub form_identifier: String,
    /// `{"<lang>": [items]}`.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub form_data: Value,
    /// Notification data.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub notification_data: NotificationData,
    /// Client state (free-form JSON).
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub state: Value,
    /// Language at sign-up.
    pub locale: String,
    /// Bumped on change.
    pub version: i64,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// When an operator blocked the user (`None`: not blocked).
    pub blocked_at: Option<i64>,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Provider id.
    pub provider_id: i64,
    /// Login as entered.
    pub identifier: String,
    /// Normalized login.
    pub login_key: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Active from the start?
    pub is_active: bool,
    /// The sign-up form.
    pub form_identifier: String,
    /// JSON form data.
    pub form_data: String,
    /// JSON notification data.
    pub notification_data: String,
    /// Language.
    pub locale: String,
}

/// The columns of [`UserRecord`], for `concat!` into static statements.
macro_rules! user_columns {
    () => {
        "id, provider_id, identifier, password_hash, is_active, form_identifier, form_data, \
         notification_data, state, locale, version, created_at, updated_at, blocked_at "
    };
}

/// Creates a user; a taken login is [`StoreError::Conflict`].
pub async fn insert(mut e: impl Exec, u: &NewUser, now: Timestamp) -> Result<i64, StoreError> {
    let row: Id = e
        .executor()
        .one(
            q(
                "INSERT INTO users (provider_id, identifier, login_key, password_hash, is_active,
                 form_identifier, form_data, notification_data, state, locale, version,
                 created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9, 1, $10, $10) RETURNING id",
            )
            .bind(u.provider_id)
            .bind(&u.identifier)
            .bind(&u.login_key)
            .bind(&u.password_hash)
            .bind(u.is_active)
            .bind(&u.form_identifier)
            .bind(&u.form_data)
            .bind(&u.notification_data)
            .bind(&u.locale)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// A live (not archived) user by provider and normalized login.
pub async fn get_by_login(
    mut e: impl Exec,
    provider_id: i64,
    login_key: &str,
) -> Result<Option<UserRecord>, StoreError> {
    let mut c = e.executor();
    c.opt(
        q(concat!(
            "SELECT ",
            user_columns!(),
            "FROM users WHERE provider_id = $1 AND login_key = $2 AND archived_at IS NULL"
        ))
        .bind(provider_id)
        .bind(login_key),
    )
    .await
}

/// A live user by id.
pub async fn get(mut e: impl Exec, id: i64) -> Result<Option<UserRecord>, StoreError> {
    let mut c = e.executor();
    c.opt(
        q(concat!(
            "SELECT ",
            user_columns!(),
            "FROM users WHERE id = $1 AND archived_at IS NULL"
        ))
        .bind(id),
    )
    .await
}

/// Replaces the password hash with one of the same password under new parameters (rehash on
/// sign-in): not a change of the user, so the version stays.
pub async fn rehash_password(
    mut e: impl Exec,
    id: i64,
    hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(hash)
                .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Replaces the password hash (password change).
pub async fn set_password_hash(
    mut e: impl Exec,
    id: i64,
    hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor().exec(
            q("UPDATE users SET password_hash = $2, version = version + 1, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(hash)
                .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Marks a user active.
pub async fn activate(mut e: impl Exec, id: i64, now: Timestamp) -> Result<(), StoreError> {
    e.executor().exec(q("UPDATE users SET is_active = $2, version = version + 1, updated_at = $3 WHERE id = $1").bind(id).bind(true).bind(now.0))
        .await?;
    Ok(())
}

/// Profile fields a user may change.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    /// JSON form data.
    pub form_data: String,
    /// JSON notification data.
    pub notification_data: String,
    /// JSON client state.
    pub state: String,
}

/// Updates the profile.
pub async fn set_profile(
    mut e: impl Exec,
    id: i64,
    p: &ProfileUpdate,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "UPDATE users SET form_data = $2, notification_data = $3, state = $4,
                 version = version + 1, updated_at = $5 WHERE id = $1 AND archived_at IS NULL",
            )
            .bind(id)
            .bind(&p.form_data)
            .bind(&p.notification_data)
            .bind(&p.state)
            .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Replaces the notification data only if the user is still at `version` (so a profile
/// edit made meanwhile is never overwritten); false when they moved on or are gone.
pub async fn set_notification_data_if(
    mut e: impl Exec,
    id: i64,
    version: i64,
    notification_data: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q(
                "UPDATE users SET notification_data = $3, version = version + 1, updated_at = $4
                 WHERE id = $1 AND version = $2 AND archived_at IS NULL",
            )
            .bind(id)
            .bind(version)
            .bind(notification_data)
            .bind(now.0),
        )
        .await?;
    Ok(n > 0)
}

/// Archives a user. The login stays taken, so nobody else can register an archived account's
/// login and receive its history; every session check fails from now on.
pub async fn archive(mut e: impl Exec, id: i64, now: Timestamp) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("UPDATE users SET archived_at = $2, updated_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Deletes a user and everything that cascades from them.
pub async fn delete(mut e: impl Exec, id: i64) -> Result<(), StoreError> {
    e.executor()
        .exec(q("DELETE FROM users WHERE id = $1").bind(id))
        .await?;
    Ok(())
}

/// Adds a push token, keeping only the user's newest `keep` tokens: devices re-register
/// their tokens, and the table must not grow without bound for one account.
pub async fn add_fcm_token(
    db: &Db,
    id: i64,
    token: &str,
    keep: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let mut t = tx.executor();
    t.exec(
        q(
            "INSERT INTO fcm_tokens (user_id, token, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, token) DO NOTHING",
        )
        .bind(id)
        .bind(token)
        .bind(now.0),
    )
    .await?;
    t.exec(
        q(
            "DELETE FROM fcm_tokens WHERE user_id = $1 AND token <> $3 AND token NOT IN (
             SELECT token FROM fcm_tokens WHERE user_id = $1 AND token <> $3
             ORDER BY created_at DESC, token DESC LIMIT CAST($2 AS BIGINT))",
        )
        .bind(id)
        .bind(keep - 1)
        .bind(token),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a push token; false if the user had no such token.
pub async fn delete_fcm_token(mut e: impl Exec, id: i64, token: &str) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("DELETE FROM fcm_tokens WHERE user_id = $1 AND token = $2")
                .bind(id)
                .bind(token),
        )
        .await?;
    Ok(n > 0)
}

/// The user's push tokens.
pub async fn list_fcm_tokens(mut e: impl Exec, id: i64) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct T {
        token: String,
    }
    let rows: Vec<T> = e
        .executor()
        .all(
            q("SELECT token FROM fcm_tokens WHERE user_id = $1 ORDER BY created_at, token")
                .bind(id),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.token).collect())
}

//! Operators: admin accounts (this file), their console sessions (`sessions`) and API tokens
//! (`tokens`). Roles are stored by their wire name and checked by the server.

pub mod sessions;
pub mod tokens;

use openentry_domain::clock::Timestamp;

use crate::db::{Id, q};
use crate::{Exec, StoreError};

/// An admin account.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct OperatorRecord {
    /// Id.
    pub id: i64,
    /// Login as written at creation.
    pub login: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role name.
    pub role: String,
    /// Base32 TOTP secret, when a second factor is set.
    pub totp_secret: Option<String>,
    /// Blocked operators cannot sign in.
    pub blocked: bool,
    /// Creation time (ms).
    pub created_at: i64,
}

/// `SELECT <every column of OperatorRecord> FROM operators <rest>`.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, login, password_hash, role, totp_secret, blocked, created_at FROM operators ",
            $rest
        )
    };
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewOperator<'a> {
    /// Login as written.
    pub login: &'a str,
    /// Lowercased login (unique).
    pub login_key: &'a str,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// Role name.
    pub role: &'a str,
}

/// Creates an account; a taken login is [`StoreError::Conflict`].
pub async fn insert(
    mut e: impl Exec,
    o: &NewOperator<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row: Id = e
        .executor()
        .one(
            q("INSERT INTO operators (login, login_key, password_hash, role, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
            .bind(o.login)
            .bind(o.login_key)
            .bind(o.password_hash)
            .bind(o.role)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// One account by id.
pub async fn get(mut e: impl Exec, id: i64) -> Result<Option<OperatorRecord>, StoreError> {
    e.executor().opt(q(select!("WHERE id = $1")).bind(id)).await
}

/// One account by lowercased login.
pub async fn get_by_login(
    mut e: impl Exec,
    login_key: &str,
) -> Result<Option<OperatorRecord>, StoreError> {
    e.executor()
        .opt(q(select!("WHERE login_key = $1")).bind(login_key))
        .await
}

/// Every account, by id.
pub async fn list_all(mut e: impl Exec) -> Result<Vec<OperatorRecord>, StoreError> {
    e.executor().all(q(select!("ORDER BY id"))).await
}

/// How many accounts exist (the first one may be created without signing in, by the CLI).
pub async fn count_all(mut e: impl Exec) -> Result<i64, StoreError> {
    let row: Id = e
        .executor()
        .one(q("SELECT COUNT(*) AS id FROM operators"))
        .await?;
    Ok(row.id)
}

/// How many unblocked owners exist besides `except` (an owner may not remove the last one).
pub async fn count_other_owners(mut e: impl Exec, except: i64) -> Result<i64, StoreError> {
    let row: Id = e
        .executor()
        .one(
            q("SELECT COUNT(*) AS id FROM operators
               WHERE role = 'owner' AND NOT blocked AND id <> $1")
            .bind(except),
        )
        .await?;
    Ok(row.id)
}

/// Changes role and blocked state; `false` when the account does not exist.
pub async fn set_access(
    mut e: impl Exec,
    id: i64,
    role: &str,
    blocked: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE operators SET role = $2, blocked = $3, updated_at = $4 WHERE id = $1")
                .bind(id)
                .bind(role)
                .bind(blocked)
                .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

/// Replaces the password hash; `false` when the account does not exist.
pub async fn set_password(
    mut e: impl Exec,
    id: i64,
    password_hash: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE operators SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(password_hash)
                .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

/// Sets or clears the TOTP secret.
pub async fn set_totp(
    mut e: impl Exec,
    id: i64,
    secret: Option<&str>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE operators SET totp_secret = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(secret.map(str::to_owned))
                .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

/// Deletes an account (its sessions go with it).
pub async fn delete(mut e: impl Exec, id: i64) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(q("DELETE FROM operators WHERE id = $1").bind(id))
        .await?;
    Ok(n == 1)
}

/// Spends a TOTP time step: `true` when `step` is later than every step accepted before for
/// this account (a code is accepted once, RFC 6238 §5.2).
pub async fn spend_totp_step(mut e: impl Exec, id: i64, step: i64) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE operators SET totp_last_step = $2
               WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)")
            .bind(id)
            .bind(step),
        )
        .await?;
    Ok(n == 1)
}

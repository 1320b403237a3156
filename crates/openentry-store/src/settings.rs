//! Install-wide settings: key → text (the install secret, the generated app token, …).

use crate::db::q;
use crate::{Exec, StoreError};

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Value {
    value: String,
}

/// The stored value, or `proposal` stored now if there was none. Race-safe across nodes: the
/// first writer wins and everyone reads the winner's value.
pub async fn get_or_init(
    mut e: impl Exec,
    key: &str,
    proposal: String,
) -> Result<String, StoreError> {
    let mut c = e.executor();
    c.exec(
        q("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(proposal),
    )
    .await?;
    let row: Value = c
        .one(q("SELECT value FROM settings WHERE key = $1").bind(key))
        .await?;
    Ok(row.value)
}

/// The stored value, if any.
pub async fn get(mut e: impl Exec, key: &str) -> Result<Option<String>, StoreError> {
    let mut c = e.executor();
    let row: Option<Value> = c
        .opt(q("SELECT value FROM settings WHERE key = $1").bind(key))
        .await?;
    Ok(row.map(|r| r.value))
}

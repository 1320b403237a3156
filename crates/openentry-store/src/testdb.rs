//! Throw-away PostgreSQL databases for tests: one per test, dropped afterwards.

use sqlx::postgres::PgPoolOptions;
use sqlx::{Executor, SqlSafeStr};

use crate::{Db, StoreError};

/// Creates an empty database `name` on the server of `admin_url` and returns its URL.
/// `name` must be a plain identifier (letters, digits, `_`), which the caller generates.
pub async fn create_postgres(admin_url: &str, name: &str) -> Result<String, StoreError> {
    check_name(name)?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await?;
    // Identifiers cannot be bound; `name` was checked to be [a-z0-9_]+ above.
    pool.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")).into_sql_str())
        .await?;
    pool.close().await;
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Drops a database made by [`create_postgres`], closing any connections left to it.
pub async fn drop_postgres(admin_url: &str, name: &str) -> Result<(), StoreError> {
    check_name(name)?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await?;
    pool.execute(
        sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .into_sql_str(),
    )
    .await?;
    pool.close().await;
    Ok(())
}

fn check_name(name: &str) -> Result<(), StoreError> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(())
    } else {
        Err(StoreError::Open(format!(
            "not a plain database name: {name}"
        )))
    }
}

/// Runs a raw statement on `db`, outside every repository: for tests that must put the
/// database in a state the store never writes (corrupt JSON in a column, say).
pub async fn execute_raw(db: &Db, sql: &'static str) -> Result<u64, StoreError> {
    db.executor().exec(crate::db::q(sql)).await
}

/// Ends every connection to database `name` but the caller's (`pg_terminate_backend`), as a
/// PostgreSQL restart would, without restarting the server other tests share. Returns how
/// many were ended.
pub async fn terminate_connections(admin_url: &str, name: &str) -> Result<u64, StoreError> {
    check_name(name)?;
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await?;
    let ended: Vec<(Option<bool>,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(name)
    .fetch_all(&pool)
    .await?;
    pool.close().await;
    Ok(ended.iter().filter(|(ok,)| *ok == Some(true)).count() as u64)
}

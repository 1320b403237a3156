//! Opening a database from its URL and bringing its schema up to date.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{Db, StoreError};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How to open the database.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `sqlite://path.db` or `postgres://…`.
    pub url: String,
    /// Most connections in the pool.
    pub max_connections: u32,
}

impl ConnectOptions {
    /// Defaults for a URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
        }
    }
}

/// Opens the database the URL names, checks its durability settings and applies every
/// pending migration. A URL of another scheme, a file that cannot be created or a server that
/// refuses the connection is an error that says so.
pub async fn connect(options: &ConnectOptions) -> Result<Db, StoreError> {
    let url = options.url.as_str();
    let db = if url.starts_with("sqlite:") {
        open_sqlite(url, options.max_connections).await?
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        open_postgres(url, options.max_connections).await?
    } else {
        return Err(StoreError::Open(format!(
            "unsupported database URL `{}`: use sqlite://FILE or postgres://USER@HOST/DB",
            redact(url)
        )));
    };
    if let Db::Postgres(pool) = &db {
        POSTGRES_MIGRATIONS.run(pool).await?;
    }
    Ok(db)
}

/// Creates the file if needed, applies the migrations through sqlx (its migrator and
/// checksums), then opens the file for serving (see the `lite` module for why serving does not
/// go through sqlx).
async fn open_sqlite(url: &str, max: u32) -> Result<Db, StoreError> {
    let path = crate::lite::path_of(url)?;
    let opts = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        // WAL is a property of the file: readers never wait for the writer.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .map_err(|e| StoreError::Open(format!("cannot open SQLite database `{url}`: {e}")))?;
    let migrated = SQLITE_MIGRATIONS.run(&pool).await;
    pool.close().await;
    migrated?;
    let lite = crate::lite::Lite::open(path, usize::try_from(max).unwrap_or(16))?;
    Ok(Db::Sqlite(std::sync::Arc::new(lite)))
}

async fn open_postgres(url: &str, max: u32) -> Result<Db, StoreError> {
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Open(format!("bad PostgreSQL URL `{}`: {e}", redact(url))))?;
    let pool = PgPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx's ping on checkout (a round trip on the request's path) stays: without it a
        // connection the database ended while it sat in the pool fails the request that
        // takes it (docs/performance.md, "What bounds createOrder").
        .connect_with(opts)
        .await
        .map_err(|e| {
            StoreError::Open(format!(
                "cannot connect to PostgreSQL at `{}`: {e}",
                redact(url)
            ))
        })?;
    Ok(Db::Postgres(pool))
}

/// The versions of the SQLite migrations this binary knows (a restored file must have none
/// other).
pub(crate) fn known_sqlite_versions() -> Vec<i64> {
    SQLITE_MIGRATIONS.iter().map(|m| m.version).collect()
}

/// The URL without its password, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |m: &sqlx::migrate::Migrator| {
            m.iter()
                .map(|x| (x.version, x.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&SQLITE_MIGRATIONS), names(&POSTGRES_MIGRATIONS));
    }
}

//! `openentry migrate --from sqlite://… --to postgres://…`: moves a SQLite database into an
//! empty PostgreSQL one (docs/operations.md, "Moving from SQLite to PostgreSQL").
//!
//! Our PostgreSQL migrations create the schema; its catalog names the tables, their columns,
//! keys and foreign keys, so a table added by a later migration is moved without a list to
//! keep in step, and a SQLite table PostgreSQL lacks stops the move. Every row is copied in
//! one PostgreSQL transaction (a failure leaves the target empty, ready for another try), ids
//! kept, identity sequences set past them; then each table's row count and checksum are
//! computed on both sides and compared.

mod copy;
mod schema;
mod verify;

use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _, PgConnection, SqlSafeStr};

use crate::{ConnectOptions, StoreError};

/// One table of a move.
#[derive(Debug, Clone)]
pub struct TableReport {
    /// The table.
    pub table: String,
    /// Rows in SQLite.
    pub rows: u64,
    /// Rows in PostgreSQL after the copy.
    pub copied_rows: u64,
    /// SHA-256 of the rows read from SQLite.
    pub sqlite_sha256: String,
    /// SHA-256 of the rows read from PostgreSQL.
    pub postgres_sha256: String,
}

impl TableReport {
    /// Both sides have the same rows.
    pub fn matches(&self) -> bool {
        self.rows == self.copied_rows && self.sqlite_sha256 == self.postgres_sha256
    }
}

/// What a move did.
#[derive(Debug, Clone)]
pub struct MoveReport {
    /// Each table, in the order it was copied (parents first).
    pub tables: Vec<TableReport>,
    /// Time spent copying (and resetting sequences).
    pub copy: Duration,
    /// Time spent computing the checksums.
    pub verify: Duration,
}

impl MoveReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.copied_rows).sum()
    }

    /// Every table matches.
    pub fn verified(&self) -> bool {
        self.tables.iter().all(TableReport::matches)
    }
}

/// Moves the SQLite database of `from_url` into the PostgreSQL database of `to_url`, which
/// must hold no rows. The SQLite file is first brought to this binary's schema, as `serve`
/// would; it should not be served while it moves (the copy reads one snapshot of it, but
/// orders taken after that snapshot would not be moved).
pub async fn sqlite_to_postgres(from_url: &str, to_url: &str) -> Result<MoveReport, StoreError> {
    let path = crate::lite::path_of(from_url)?;
    if !path.is_file() {
        return Err(StoreError::Refused(format!(
            "there is no database at `{}`",
            path.display()
        )));
    }
    if !(to_url.starts_with("postgres://") || to_url.starts_with("postgresql://")) {
        return Err(StoreError::Refused(
            "--to must be a postgres:// URL".to_owned(),
        ));
    }
    crate::connect(&ConnectOptions::new(from_url))
        .await?
        .close()
        .await;
    let lite = Mutex::new(open_snapshot(&path)?);
    // `connect` applies our PostgreSQL migrations; the move then uses a connection of its own
    // without statement logging (reading a whole table is slow on purpose, not a warning).
    crate::connect(&ConnectOptions::new(to_url))
        .await?
        .close()
        .await;
    let options = PgConnectOptions::from_str(to_url)
        .map_err(|e| StoreError::Open(format!("bad PostgreSQL URL: {e}")))?
        .disable_statement_logging();
    let mut pg = PgConnection::connect_with(&options).await?;
    let tables = schema::postgres_tables(&mut pg).await?;
    {
        let conn = lite
            .lock()
            .map_err(|_| StoreError::Refused("the SQLite reader failed".to_owned()))?;
        schema::check_sqlite(&conn, &tables)?;
    }
    for t in &tables {
        let sql = format!("SELECT EXISTS (SELECT 1 FROM \"{}\")", t.name);
        let (any,): (bool,) = sqlx::query_as(sqlx::AssertSqlSafe(sql).into_sql_str())
            .fetch_one(&mut pg)
            .await?;
        if any {
            return Err(StoreError::Refused(format!(
                "the PostgreSQL database is not empty (table `{}` has rows): migrate only into \
                 a new database",
                t.name
            )));
        }
    }

    let started = Instant::now();
    let mut tx = pg.begin().await?;
    for t in &tables {
        copy::copy_table(&lite, &mut tx, t).await?;
        copy::reset_sequence(&lite, &mut tx, t).await?;
    }
    tx.commit().await?;
    let copy = started.elapsed();

    let started = Instant::now();
    let mut reports = Vec::with_capacity(tables.len());
    for t in &tables {
        let here = verify::sqlite_sum(&lite, t)?;
        let there = verify::postgres_sum(&mut pg, t).await?;
        reports.push(TableReport {
            table: t.name.clone(),
            rows: here.rows,
            copied_rows: there.rows,
            sqlite_sha256: here.sha256,
            postgres_sha256: there.sha256,
        });
    }
    pg.close().await?;
    Ok(MoveReport {
        tables: reports,
        copy,
        verify: started.elapsed(),
    })
}

/// A read-only connection inside one read transaction: every table is read as of one commit.
fn open_snapshot(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // The snapshot begins at the first read, made here.
    conn.execute_batch("BEGIN; SELECT COUNT(*) FROM sqlite_master;")?;
    Ok(conn)
}

//! Rows from SQLite into PostgreSQL: multi-row inserts of up to [`BATCH_ROWS`] rows, ids kept,
//! every value converted by its PostgreSQL column type and refused when it does not fit (never
//! skipped or coerced).

use std::sync::Mutex;

use rusqlite::Connection;
use rusqlite::types::Value;
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, PgConnection, SqlSafeStr};

use super::schema::{Kind, Table};
use crate::StoreError;

/// Rows per insert statement (PostgreSQL takes at most 65 535 bound values in one).
const BATCH_ROWS: usize = 1000;

/// Copies every row of `t`, in SQLite's rowid (for our tables: id) order; returns how many.
pub(crate) async fn copy_table(
    lite: &Mutex<Connection>,
    pg: &mut PgConnection,
    t: &Table,
) -> Result<u64, StoreError> {
    let per_batch = BATCH_ROWS.min(65_535 / t.columns.len().max(1));
    let mut after = i64::MIN;
    let mut copied = 0_u64;
    loop {
        let (rows, last) = read_batch(lite, t, after, per_batch)?;
        if rows.is_empty() {
            return Ok(copied);
        }
        after = last;
        copied += rows.len() as u64;
        insert(pg, t, rows).await?;
    }
}

/// The next rows after rowid `after`, and the last rowid read.
fn read_batch(
    lite: &Mutex<Connection>,
    t: &Table,
    after: i64,
    n: usize,
) -> Result<(Vec<Vec<Value>>, i64), StoreError> {
    let conn = lite
        .lock()
        .map_err(|_| StoreError::Refused("the SQLite reader failed earlier".to_owned()))?;
    let sql = format!(
        "SELECT rowid, {} FROM \"{}\" WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
        t.column_list(),
        t.name
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let width = t.columns.len();
    let mut last = after;
    let mut out = Vec::new();
    let limit = i64::try_from(n).unwrap_or(i64::MAX);
    let mut rows = stmt.query(rusqlite::params![after, limit])?;
    while let Some(row) = rows.next()? {
        last = row.get(0)?;
        let mut values = Vec::with_capacity(width);
        for i in 1..=width {
            values.push(row.get::<_, Value>(i)?);
        }
        out.push(values);
    }
    Ok((out, last))
}

async fn insert(pg: &mut PgConnection, t: &Table, rows: Vec<Vec<Value>>) -> Result<(), StoreError> {
    let width = t.columns.len();
    let mut args = PgArguments::default();
    let mut tuples = Vec::with_capacity(rows.len());
    let mut n = 0;
    for row in rows {
        let mut marks = Vec::with_capacity(width);
        for (value, (column, kind)) in row.into_iter().zip(&t.columns) {
            bind(&mut args, value, *kind)
                .map_err(|why| StoreError::Refused(format!("{}.{column}: {why}", t.name)))?;
            n += 1;
            marks.push(format!("${n}"));
        }
        tuples.push(format!("({})", marks.join(", ")));
    }
    // Ids are copied, so a column PostgreSQL numbers itself must take the given value.
    let overriding = if t.identity.is_some() {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO \"{}\" ({}){overriding} VALUES {}",
        t.name,
        t.column_list(),
        tuples.join(", ")
    );
    sqlx::query_with(sqlx::AssertSqlSafe(sql).into_sql_str(), args)
        .execute(pg)
        .await?;
    Ok(())
}

/// One SQLite value as the PostgreSQL type of its column.
fn bind(args: &mut PgArguments, value: Value, kind: Kind) -> Result<(), String> {
    let added = match (value, kind) {
        (Value::Null, Kind::Int) => args.add(None::<i64>),
        (Value::Null, Kind::Bool) => args.add(None::<bool>),
        (Value::Null, Kind::Text) => args.add(None::<String>),
        (Value::Integer(i), Kind::Int) => args.add(i),
        // SQLite stores a BOOLEAN as the integer 0 or 1.
        (Value::Integer(i @ (0 | 1)), Kind::Bool) => args.add(i == 1),
        (Value::Text(s), Kind::Text) => args.add(s),
        (other, kind) => return Err(format!("SQLite holds {other:?} where {kind:?} belongs")),
    };
    added.map_err(|e| e.to_string())
}

/// Sets the sequence of `t`'s identity column past every id it held, in PostgreSQL or (for
/// deleted rows, which AUTOINCREMENT never reuses) in SQLite's `sqlite_sequence`.
pub(crate) async fn reset_sequence(
    lite: &Mutex<Connection>,
    pg: &mut PgConnection,
    t: &Table,
) -> Result<(), StoreError> {
    let Some(column) = &t.identity else {
        return Ok(());
    };
    let sql = format!(
        "SELECT COALESCE(MAX(\"{column}\"), 0)::bigint FROM \"{}\"",
        t.name
    );
    let (max,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql).into_sql_str())
        .fetch_one(&mut *pg)
        .await?;
    let seen = sqlite_sequence(lite, &t.name)?;
    let last = max.max(seen);
    sqlx::query("SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)")
        .bind(&t.name)
        .bind(column)
        .bind(last.max(1))
        .bind(last >= 1)
        .execute(pg)
        .await?;
    Ok(())
}

fn sqlite_sequence(lite: &Mutex<Connection>, table: &str) -> Result<i64, StoreError> {
    let conn = lite
        .lock()
        .map_err(|_| StoreError::Refused("the SQLite reader failed earlier".to_owned()))?;
    let seq = conn.query_row(
        "SELECT seq FROM sqlite_sequence WHERE name = ?1",
        [table],
        |r| r.get::<_, i64>(0),
    );
    match seq {
        Ok(v) => Ok(v),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(0),
        Err(e) => Err(e.into()),
    }
}

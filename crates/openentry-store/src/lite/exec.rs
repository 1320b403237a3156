//! Running one statement of this crate ([`Q`]) on a SQLite connection.

use rusqlite::{CachedStatement, Connection};
use serde::de::DeserializeOwned;

use crate::StoreError;
use crate::db::{Arg, Q};

/// Binds `$N` parameters by their number, as PostgreSQL does. SQLite treats `$N` as a named
/// parameter and numbers parameters in order of first appearance, so a statement that uses
/// `$2` before `$1` would otherwise get its values swapped.
fn bind(stmt: &mut CachedStatement<'_>, args: &[Arg]) -> Result<(), StoreError> {
    for index in 1..=stmt.parameter_count() {
        let number = match stmt.parameter_name(index) {
            Some(name) => name
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| {
                    StoreError::Encode(format!("parameter `{name}` is not of the form $N").into())
                })?,
            None => index,
        };
        let arg = number
            .checked_sub(1)
            .and_then(|i| args.get(i))
            .ok_or_else(|| StoreError::Encode(format!("no value bound for ${number}").into()))?;
        match arg {
            Arg::Int(v) => stmt.raw_bind_parameter(index, v)?,
            Arg::Text(v) => stmt.raw_bind_parameter(index, v)?,
            Arg::Bool(v) => stmt.raw_bind_parameter(index, v)?,
        }
    }
    Ok(())
}

fn decode<T: DeserializeOwned>(
    row: &rusqlite::Row<'_>,
    columns: &[String],
) -> Result<T, StoreError> {
    serde_rusqlite::from_row_with_columns(row, columns).map_err(|e| match e {
        serde_rusqlite::Error::Deserialization { column, message } => StoreError::Corrupt {
            column: column.unwrap_or_else(|| "?".to_owned()),
            reason: message,
        },
        other => StoreError::Corrupt {
            column: "?".to_owned(),
            reason: other.to_string(),
        },
    })
}

/// Every row the statement returns (at most `limit`).
fn rows<T: DeserializeOwned>(conn: &Connection, q: Q, limit: usize) -> Result<Vec<T>, StoreError> {
    let (sql, args) = q.parts();
    let mut stmt = conn.prepare_cached(sql)?;
    bind(&mut stmt, &args)?;
    let columns = serde_rusqlite::columns_from_statement(&stmt);
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while out.len() < limit {
        match rows.next()? {
            Some(row) => out.push(decode(row, &columns)?),
            None => break,
        }
    }
    Ok(out)
}

/// Every row the statement returns.
pub(crate) fn all<T: DeserializeOwned>(conn: &Connection, q: Q) -> Result<Vec<T>, StoreError> {
    rows(conn, q, usize::MAX)
}

/// The first row the statement returns, if any.
pub(crate) fn opt<T: DeserializeOwned>(conn: &Connection, q: Q) -> Result<Option<T>, StoreError> {
    Ok(rows(conn, q, 1)?.into_iter().next())
}

/// Runs a statement that returns no rows; the number of rows it changed.
pub(crate) fn exec(conn: &Connection, q: Q) -> Result<u64, StoreError> {
    let (sql, args) = q.parts();
    let mut stmt = conn.prepare_cached(sql)?;
    bind(&mut stmt, &args)?;
    let changed = stmt.raw_execute()?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

//! The same checksum on both sides: SHA-256 over a table's rows in primary-key order, each
//! value as one canonical text (PostgreSQL's `::text` of it: `true`/`false` for a boolean that
//! SQLite keeps as 0/1, decimal integers, text as is) and NULL distinct from every text.

use std::sync::Mutex;

use futures_util::TryStreamExt;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Row, SqlSafeStr};

use super::schema::{Kind, Table};
use crate::StoreError;

/// Rows and checksum of one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sum {
    pub(crate) rows: u64,
    pub(crate) sha256: String,
}

fn feed(h: &mut Sha256, value: Option<&[u8]>) {
    match value {
        None => h.update([0]),
        Some(bytes) => {
            h.update([1]);
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
    }
}

pub(crate) fn sqlite_sum(lite: &Mutex<Connection>, t: &Table) -> Result<Sum, StoreError> {
    let conn = lite
        .lock()
        .map_err(|_| StoreError::Refused("the SQLite reader failed earlier".to_owned()))?;
    let order = t
        .key
        .iter()
        .map(|k| format!("\"{k}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {} FROM \"{}\" ORDER BY {order}",
        t.column_list(),
        t.name
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut h = Sha256::new();
    let mut n = 0;
    while let Some(row) = rows.next()? {
        n += 1;
        for (i, (_, kind)) in t.columns.iter().enumerate() {
            let text = match (row.get_ref(i)?, kind) {
                (ValueRef::Null, _) => None,
                (ValueRef::Integer(v), Kind::Bool) => {
                    Some(if v == 0 { "false" } else { "true" }.to_owned())
                }
                (ValueRef::Integer(v), _) => Some(v.to_string()),
                (ValueRef::Real(v), _) => Some(v.to_string()),
                (ValueRef::Text(b), _) => Some(String::from_utf8_lossy(b).into_owned()),
                (ValueRef::Blob(b), _) => Some(format!("\\x{}", hex::encode(b))),
            };
            feed(&mut h, text.as_deref().map(str::as_bytes));
        }
    }
    Ok(Sum {
        rows: n,
        sha256: hex::encode(h.finalize()),
    })
}

pub(crate) async fn postgres_sum(pg: &mut PgConnection, t: &Table) -> Result<Sum, StoreError> {
    let columns = t
        .columns
        .iter()
        .map(|(c, _)| format!("\"{c}\"::text"))
        .collect::<Vec<_>>()
        .join(", ");
    // Byte order for text keys, as SQLite's BINARY collation sorts them. Qualified: a bare
    // name in ORDER BY would mean the output column of that name, the `::text` of it.
    let order = t
        .key
        .iter()
        .map(|k| match t.columns.iter().find(|(c, _)| c == k) {
            Some((_, Kind::Text)) => format!("\"{}\".\"{k}\" COLLATE \"C\"", t.name),
            _ => format!("\"{}\".\"{k}\"", t.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {columns} FROM \"{}\" ORDER BY {order}", t.name);
    let mut h = Sha256::new();
    let mut n = 0;
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql).into_sql_str()).fetch(pg);
    while let Some(row) = rows.try_next().await? {
        n += 1;
        for i in 0..t.columns.len() {
            let text: Option<String> = row.try_get(i)?;
            feed(&mut h, text.as_deref().map(str::as_bytes));
        }
    }
    Ok(Sum {
        rows: n,
        sha256: hex::encode(h.finalize()),
    })
}

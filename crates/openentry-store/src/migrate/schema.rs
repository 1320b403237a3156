//! The tables to move, read from PostgreSQL's catalog after our migrations ran, checked
//! against the SQLite file's, and put in foreign-key order.
//!
//! PostgreSQL-only catalog queries: this module is the one place that reads a schema rather
//! than a repository's rows, so it does not go through the portable [`crate::Db`] path.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use sqlx::PgConnection;

use crate::StoreError;

/// A column's type, as far as the move needs it (our schemas use only these three).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Bool,
    Text,
}

/// One table: its columns in order, its primary key, its identity column.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: String,
    pub(crate) columns: Vec<(String, Kind)>,
    /// The primary-key columns (all columns when there is none), the order both checksums
    /// read rows in.
    pub(crate) key: Vec<String>,
    /// A column PostgreSQL numbers (`GENERATED … AS IDENTITY`), whose sequence is reset.
    pub(crate) identity: Option<String>,
}

const COLUMNS: &str = "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), \
     (a.attidentity <> '') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() \
     AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped \
     AND c.relname <> '_sqlx_migrations' ORDER BY c.relname, a.attnum";

const KEYS: &str = "SELECT c.relname::text, a.attname::text FROM pg_index i \
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true \
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
     WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY c.relname, k.ord";

const REFERENCES: &str = "SELECT t.relname::text, p.relname::text FROM pg_constraint k \
     JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
     JOIN pg_namespace n ON n.oid = t.relnamespace \
     WHERE k.contype = 'f' AND n.nspname = current_schema()";

/// The tables of the PostgreSQL schema, parents before the tables that reference them.
pub(crate) async fn postgres_tables(pg: &mut PgConnection) -> Result<Vec<Table>, StoreError> {
    let columns: Vec<(String, String, String, bool)> =
        sqlx::query_as(COLUMNS).fetch_all(&mut *pg).await?;
    let keys: Vec<(String, String)> = sqlx::query_as(KEYS).fetch_all(&mut *pg).await?;
    let refs: Vec<(String, String)> = sqlx::query_as(REFERENCES).fetch_all(&mut *pg).await?;
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for (table, column, ty, identity) in columns {
        plain(&table)?;
        plain(&column)?;
        let kind = match ty.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "boolean" => Kind::Bool,
            "text" => Kind::Text,
            other => {
                return Err(StoreError::Refused(format!(
                    "{table}.{column} is of type {other}, which migrate does not know how to move"
                )));
            }
        };
        let t = tables.entry(table.clone()).or_insert_with(|| Table {
            name: table,
            columns: Vec::new(),
            key: Vec::new(),
            identity: None,
        });
        if identity {
            t.identity = Some(column.clone());
        }
        t.columns.push((column, kind));
    }
    for (table, column) in keys {
        if let Some(t) = tables.get_mut(&table) {
            t.key.push(column);
        }
    }
    for t in tables.values_mut() {
        if t.key.is_empty() {
            t.key = t.columns.iter().map(|(c, _)| c.clone()).collect();
        }
    }
    order(tables, &refs)
}

/// Parents first (Kahn's algorithm; a table referencing itself is copied in key order, which
/// puts a parent row before its children because ids grow).
fn order(
    mut tables: BTreeMap<String, Table>,
    refs: &[(String, String)],
) -> Result<Vec<Table>, StoreError> {
    let mut parents: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (child, parent) in refs {
        if child != parent {
            parents.entry(child).or_default().insert(parent);
        }
    }
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|t| {
                parents
                    .get(t.as_str())
                    .is_none_or(|ps| ps.iter().all(|p| done.contains(*p)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Refused(format!(
                "foreign keys form a cycle among {:?}",
                tables.keys().collect::<Vec<_>>()
            )));
        }
        for name in ready {
            if let Some(t) = tables.remove(&name) {
                out.push(t);
            }
            done.insert(name);
        }
    }
    Ok(out)
}

/// Fails unless the SQLite file has exactly these tables with exactly these columns: a table
/// this binary does not know must stop the move, never be left behind.
pub(crate) fn check_sqlite(conn: &Connection, tables: &[Table]) -> Result<(), StoreError> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let known: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    if let Some(unknown) = names.iter().find(|n| !known.contains(n.as_str())) {
        return Err(StoreError::Refused(format!(
            "SQLite has a table `{unknown}` that the PostgreSQL schema lacks: this openentry \
             does not know how to move it, so nothing was moved"
        )));
    }
    for t in tables {
        if !names.contains(&t.name) {
            return Err(StoreError::Refused(format!(
                "SQLite lacks table `{}`: is its schema up to date?",
                t.name
            )));
        }
        let cols: BTreeSet<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")?
            .query_map([&t.name], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let want: BTreeSet<String> = t.columns.iter().map(|(c, _)| c.clone()).collect();
        if cols != want {
            return Err(StoreError::Refused(format!(
                "table `{}` has columns {cols:?} in SQLite but {want:?} in PostgreSQL",
                t.name
            )));
        }
    }
    Ok(())
}

/// Names are interpolated into statements (identifiers cannot be bound): only plain ones.
fn plain(name: &str) -> Result<(), StoreError> {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(())
    } else {
        Err(StoreError::Refused(format!(
            "unexpected name `{name}` in the schema"
        )))
    }
}

impl Table {
    /// `"a", "b", …`
    pub(crate) fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(c, _)| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

//! The only place that knows there are two backends.
//!
//! Every statement in this crate is one SQL text with `$1, $2, …` placeholders, which both
//! drivers bind natively (SQLite reads `$N` as the N-th parameter). Portable SQL is enforced by
//! convention and by the contract tests, which run every repository on both databases:
//! `INSERT … RETURNING`, `ON CONFLICT … DO UPDATE`, `LIMIT/OFFSET`, no engine functions, no
//! `FOR UPDATE`. Where SQL must differ it would be a `match` on [`Backend`] here, with a reason.

use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgPool, PgRow};
use sqlx::sqlite::{SqliteArguments, SqlitePool, SqliteRow};
use sqlx::{Arguments, FromRow, Postgres, Sqlite, Transaction};
use tokio::sync::OwnedMutexGuard;

use crate::StoreError;

/// A connection pool for whichever backend the database URL selected.
#[derive(Clone, Debug)]
pub enum Db {
    /// Embedded SQLite (WAL, `synchronous=FULL`), with its in-process writer lock.
    Sqlite(SqlitePool, WriteLock),
    /// PostgreSQL, for several server nodes.
    Postgres(PgPool),
}

/// SQLite allows one writer at a time. Writers that collide wait in SQLite's busy handler,
/// which sleeps with back-off (up to 100 ms a nap) and wrecks tail latency under load, so
/// writers queue on this async lock instead and SQLite never sees two at once. (One process
/// owns an SQLite file; several nodes use PostgreSQL, which needs no such lock.)
#[derive(Clone, Debug, Default)]
pub struct WriteLock(Arc<tokio::sync::Mutex<()>>);

impl WriteLock {
    async fn acquire(&self) -> OwnedMutexGuard<()> {
        Arc::clone(&self.0).lock_owned().await
    }
}

/// Whether a statement writes (statements are static texts of this crate).
fn is_write(sql: &str) -> bool {
    let s = sql.trim_start();
    ["INSERT", "UPDATE", "DELETE", "CREATE"]
        .iter()
        .any(|w| s.starts_with(w))
}

/// Which backend a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// A row type that decodes from either backend (`#[derive(FromRow)]` gives both).
pub(crate) trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A bound value. Only types that mean the same on both backends.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(Some(v))
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Self::Text(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Self::Bool(v)
    }
}

/// A statement and its arguments.
#[derive(Debug)]
pub(crate) struct Q {
    sql: &'static str,
    args: Vec<Arg>,
}

/// Starts a statement.
pub(crate) fn q(sql: &'static str) -> Q {
    Q {
        sql,
        args: Vec::new(),
    }
}

impl Q {
    /// Binds the next `$N`.
    pub(crate) fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }

    fn sqlite(self) -> Result<(&'static str, SqliteArguments), StoreError> {
        let mut out = SqliteArguments::default();
        for arg in self.args {
            match arg {
                Arg::Int(v) => out.add(v),
                Arg::Text(v) => out.add(v),
                Arg::Bool(v) => out.add(v),
            }
            .map_err(StoreError::Encode)?;
        }
        Ok((self.sql, out))
    }

    fn postgres(self) -> Result<(&'static str, PgArguments), StoreError> {
        let mut out = PgArguments::default();
        for arg in self.args {
            match arg {
                Arg::Int(v) => out.add(v),
                Arg::Text(v) => out.add(v),
                Arg::Bool(v) => out.add(v),
            }
            .map_err(StoreError::Encode)?;
        }
        Ok((self.sql, out))
    }
}

/// One implementation of the four verbs for a pool and for a transaction.
macro_rules! verbs {
    ($self:ident) => {
        /// Holds the writer lock for one write statement outside a transaction.
        async fn guard(&$self, sql: &str) -> Option<OwnedMutexGuard<()>> {
            match $self.write_lock() {
                Some(lock) if is_write(sql) => Some(lock.acquire().await),
                _ => None,
            }
        }

        /// The single row the statement returns, if any.
        pub(crate) async fn opt<T: Row>(&mut $self, q: Q) -> Result<Option<T>, StoreError> {
            let _guard = $self.guard(q.sql).await;
            Ok(match $self {
                Self::Sqlite(e, ..) => {
                    let (sql, args) = q.sqlite()?;
                    sqlx::query_as_with::<_, T, _>(sql, args).fetch_optional(&mut **e).await?
                }
                Self::Postgres(e) => {
                    let (sql, args) = q.postgres()?;
                    sqlx::query_as_with::<_, T, _>(sql, args).fetch_optional(&mut **e).await?
                }
            })
        }

        /// The single row the statement must return.
        pub(crate) async fn one<T: Row>(&mut $self, q: Q) -> Result<T, StoreError> {
            $self.opt(q).await?.ok_or(StoreError::NotFound)
        }

        /// Every row the statement returns.
        pub(crate) async fn all<T: Row>(&mut $self, q: Q) -> Result<Vec<T>, StoreError> {
            let _guard = $self.guard(q.sql).await;
            Ok(match $self {
                Self::Sqlite(e, ..) => {
                    let (sql, args) = q.sqlite()?;
                    sqlx::query_as_with::<_, T, _>(sql, args).fetch_all(&mut **e).await?
                }
                Self::Postgres(e) => {
                    let (sql, args) = q.postgres()?;
                    sqlx::query_as_with::<_, T, _>(sql, args).fetch_all(&mut **e).await?
                }
            })
        }

        /// Runs the statement; returns the number of rows it changed.
        pub(crate) async fn exec(&mut $self, q: Q) -> Result<u64, StoreError> {
            let _guard = $self.guard(q.sql).await;
            Ok(match $self {
                Self::Sqlite(e, ..) => {
                    let (sql, args) = q.sqlite()?;
                    sqlx::query_with(sql, args).execute(&mut **e).await?.rows_affected()
                }
                Self::Postgres(e) => {
                    let (sql, args) = q.postgres()?;
                    sqlx::query_with(sql, args).execute(&mut **e).await?.rows_affected()
                }
            })
        }
    };
}

/// A pooled connection used outside a transaction.
#[derive(Debug)]
pub(crate) enum Conn {
    Sqlite(PoolConnection<Sqlite>, WriteLock),
    Postgres(PoolConnection<Postgres>),
}

impl Conn {
    fn write_lock(&self) -> Option<&WriteLock> {
        match self {
            Self::Sqlite(_, lock) => Some(lock),
            Self::Postgres(_) => None,
        }
    }

    verbs!(self);
}

/// An open transaction. Dropped without [`Tx::commit`], it rolls back. On SQLite it holds
/// the writer lock until it ends.
#[derive(Debug)]
pub struct Tx(TxInner, Option<OwnedMutexGuard<()>>);

#[derive(Debug)]
pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl TxInner {
    /// The transaction already holds the lock (see [`Tx`]).
    fn write_lock(&self) -> Option<&WriteLock> {
        None
    }

    verbs!(self);
}

impl Tx {
    pub(crate) fn inner(&mut self) -> &mut TxInner {
        &mut self.0
    }

    /// Makes the transaction's writes durable.
    pub async fn commit(self) -> Result<(), StoreError> {
        let Self(inner, _guard) = self;
        match inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Db {
    /// The backend behind this pool.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(..) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// A connection for statements that need no transaction.
    pub(crate) async fn conn(&self) -> Result<Conn, StoreError> {
        Ok(match self {
            Self::Sqlite(p, lock) => Conn::Sqlite(p.acquire().await?, lock.clone()),
            Self::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// Opens a write transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction
    /// that reads and then writes can fail with `SQLITE_BUSY` instead of waiting for the lock.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(p, lock) => {
                let guard = lock.acquire().await;
                Tx(
                    TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
                    Some(guard),
                )
            }
            Self::Postgres(p) => Tx(TxInner::Postgres(p.begin().await?), None),
        })
    }

    /// Closes every connection (at shutdown, and in tests before a database is dropped).
    pub async fn close(&self) {
        match self {
            Self::Sqlite(p, _) => p.close().await,
            Self::Postgres(p) => p.close().await,
        }
    }
}

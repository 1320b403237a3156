//! The only place that knows there are two backends.
//!
//! Every statement in this crate is one SQL text with `$1, $2, …` placeholders: sqlx binds them
//! on PostgreSQL, the SQLite executor binds `$N` by its number. Portable SQL is enforced by
//! convention and by the contract tests, which run every repository on both databases:
//! `INSERT … RETURNING`, `ON CONFLICT … DO UPDATE`, `LIMIT/OFFSET`, no engine functions, no
//! `FOR UPDATE`. Where SQL must differ it would be a `match` on [`Backend`] here, with a reason.
//!
//! A bound `LIMIT`/`OFFSET` is written `LIMIT CAST($N AS BIGINT)`: SQLite's planner reads a bare
//! bound `LIMIT $N`, so it re-prepares the statement every time a value is bound (measured: a
//! third of the time of an order list went to re-parsing its two statements).

use std::sync::Arc;

use openentry_types::paging::Paging;
use serde::de::DeserializeOwned;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgPool, PgRow};
use sqlx::{Arguments, FromRow, Postgres, Transaction};

use crate::StoreError;
use crate::lite::{self, Lite, WriteTx};

mod conn;

pub use conn::Conn;

/// A connection pool for whichever backend the database URL selected.
#[derive(Clone, Debug)]
pub enum Db {
    /// Embedded SQLite (WAL, `synchronous=FULL`): readers in place, one group-committing
    /// writer (see the `lite` module).
    Sqlite(Arc<Lite>),
    /// PostgreSQL, for several server nodes.
    Postgres(PgPool),
}

/// Whether a statement writes (statements are static texts of this crate). On SQLite a write
/// outside a transaction goes through the writer as a transaction of its own.
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

/// A row type that decodes from either backend: `#[derive(sqlx::FromRow)]` for PostgreSQL,
/// `#[derive(serde::Deserialize)]` (by column name) for SQLite.
pub(crate) trait Row: for<'r> FromRow<'r, PgRow> + DeserializeOwned + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, PgRow> + DeserializeOwned + Send + Unpin {}

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

/// A single `id` column (`RETURNING id`, existence checks).
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct Id {
    pub(crate) id: i64,
}

/// A `COUNT(*) AS n`.
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct Count {
    pub(crate) n: i64,
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

    /// Binds a page as the next two placeholders, in the order statements write them:
    /// `LIMIT CAST($N AS BIGINT) OFFSET CAST($N+1 AS BIGINT)`.
    pub(crate) fn page(self, page: Paging) -> Self {
        self.bind(i64::from(page.limit))
            .bind(i64::from(page.offset))
    }

    /// The text and the values, for the SQLite executor.
    pub(crate) fn parts(self) -> (&'static str, Vec<Arg>) {
        (self.sql, self.args)
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

/// Where a repository function runs its statements: the pool ([`&Db`](Db)) or an open
/// transaction ([`&mut Tx`](Tx)). Each statement of this crate is written once and runs on
/// either; a function that must be atomic on its own takes a [`Db`] and opens its own
/// transaction instead.
///
/// A caller holding `tx: &mut Tx` passes `&mut *tx` (a generic parameter does not reborrow).
/// The trait has no lifetime parameter and [`Exec::executor`] is not `async` on purpose: a
/// lifetime-generic trait method whose future is held across an `.await` makes rustc fail to
/// prove the handlers' futures `Send` ("implementation of `Send` is not general enough").
/// Sealed: an [`Executor`] cannot be built outside this crate.
pub trait Exec: Send {
    /// The executor for one repository call; every statement of the call shares it.
    fn executor(&mut self) -> Executor<'_>;
}

impl Exec for &Db {
    fn executor(&mut self) -> Executor<'_> {
        Db::executor(self)
    }
}

impl Exec for &mut Tx {
    fn executor(&mut self) -> Executor<'_> {
        Tx::executor(self)
    }
}

/// A connection to run statements on, inside a transaction or not (see [`Exec`]).
#[derive(Debug)]
pub struct Executor<'a>(Inner<'a>);

#[derive(Debug)]
enum Inner<'a> {
    /// SQLite outside a transaction: reads go to a reader; a write is a writer transaction
    /// of its own.
    Lite(&'a Lite),
    /// SQLite inside a transaction (the writer's savepoint).
    LiteTx(&'a mut WriteTx),
    /// PostgreSQL outside a transaction: a pooled connection in autocommit, acquired at the
    /// first statement and kept for the rest of the call.
    PgPool(&'a PgPool, Option<PoolConnection<Postgres>>),
    /// PostgreSQL inside a transaction.
    Pg(&'a mut sqlx::PgConnection),
}

/// The PostgreSQL connection of a pooled executor, acquired on first use.
async fn pooled<'c>(
    pool: &PgPool,
    conn: &'c mut Option<PoolConnection<Postgres>>,
) -> Result<&'c mut sqlx::PgConnection, StoreError> {
    if conn.is_none() {
        *conn = Some(pool.acquire().await?);
    }
    conn.as_deref_mut()
        .ok_or_else(|| StoreError::Open("no pooled connection".to_owned()))
}

/// Runs `f` on a reader, or for a write, in a writer transaction of its own.
async fn lite_alone<R>(
    db: &Lite,
    sql: &str,
    f: impl FnOnce(&rusqlite::Connection) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    if is_write(sql) {
        let tx = db.begin().await?;
        let out = f(tx.conn()?)?;
        tx.commit().await?;
        Ok(out)
    } else {
        db.read(f)
    }
}

impl Executor<'_> {
    /// The single row the statement returns, if any.
    pub(crate) async fn opt<T: Row>(&mut self, q: Q) -> Result<Option<T>, StoreError> {
        match &mut self.0 {
            Inner::Lite(db) => lite_alone(db, q.sql, |c| lite::opt(c, q)).await,
            Inner::LiteTx(t) => lite::opt(t.conn()?, q),
            Inner::PgPool(p, c) => pg_opt(pooled(p, c).await?, q).await,
            Inner::Pg(c) => pg_opt(c, q).await,
        }
    }

    /// The single row the statement must return.
    pub(crate) async fn one<T: Row>(&mut self, q: Q) -> Result<T, StoreError> {
        self.opt(q).await?.ok_or(StoreError::NotFound)
    }

    /// Every row the statement returns.
    pub(crate) async fn all<T: Row>(&mut self, q: Q) -> Result<Vec<T>, StoreError> {
        match &mut self.0 {
            Inner::Lite(db) => lite_alone(db, q.sql, |c| lite::all(c, q)).await,
            Inner::LiteTx(t) => lite::all(t.conn()?, q),
            Inner::PgPool(p, c) => pg_all(pooled(p, c).await?, q).await,
            Inner::Pg(c) => pg_all(c, q).await,
        }
    }

    /// Runs the statement; returns the number of rows it changed.
    pub(crate) async fn exec(&mut self, q: Q) -> Result<u64, StoreError> {
        match &mut self.0 {
            Inner::Lite(db) => lite_alone(db, q.sql, |c| lite::exec(c, q)).await,
            Inner::LiteTx(t) => lite::exec(t.conn()?, q),
            Inner::PgPool(p, c) => pg_exec(pooled(p, c).await?, q).await,
            Inner::Pg(c) => pg_exec(c, q).await,
        }
    }
}

async fn pg_opt<T: Row>(e: &mut sqlx::PgConnection, q: Q) -> Result<Option<T>, StoreError> {
    let (sql, args) = q.postgres()?;
    Ok(sqlx::query_as_with::<_, T, _>(sql, args)
        .fetch_optional(e)
        .await?)
}

async fn pg_all<T: Row>(e: &mut sqlx::PgConnection, q: Q) -> Result<Vec<T>, StoreError> {
    let (sql, args) = q.postgres()?;
    Ok(sqlx::query_as_with::<_, T, _>(sql, args)
        .fetch_all(e)
        .await?)
}

async fn pg_exec(e: &mut sqlx::PgConnection, q: Q) -> Result<u64, StoreError> {
    let (sql, args) = q.postgres()?;
    Ok(sqlx::query_with(sql, args)
        .execute(e)
        .await?
        .rows_affected())
}

/// An open transaction. Dropped without [`Tx::commit`], it rolls back. On SQLite it holds
/// the writer until it ends, and its commit is shared with the transactions around it.
#[derive(Debug)]
pub struct Tx(TxInner);

#[derive(Debug)]
enum TxInner {
    Sqlite(WriteTx),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// The executor for statements in this transaction (see [`Exec`]).
    pub(crate) fn executor(&mut self) -> Executor<'_> {
        Executor(match &mut self.0 {
            TxInner::Sqlite(t) => Inner::LiteTx(t),
            TxInner::Postgres(t) => Inner::Pg(t),
        })
    }

    /// Makes the transaction's writes durable.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.0 {
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

    /// The executor for statements outside a transaction (see [`Exec`]).
    pub(crate) fn executor(&self) -> Executor<'_> {
        Executor(match self {
            Self::Sqlite(db) => Inner::Lite(db),
            Self::Postgres(p) => Inner::PgPool(p, None),
        })
    }

    /// Opens a write transaction.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Self::Sqlite(db) => Tx(TxInner::Sqlite(db.begin().await?)),
            Self::Postgres(p) => Tx(TxInner::Postgres(p.begin().await?)),
        })
    }

    /// Closes every connection (at shutdown, and in tests before a database is dropped).
    pub async fn close(&self) {
        match self {
            Self::Sqlite(db) => db.close().await,
            Self::Postgres(p) => p.close().await,
        }
    }
}

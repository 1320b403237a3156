//! One connection held across several repository calls outside a transaction.

use sqlx::Postgres;
use sqlx::pool::PoolConnection;

use super::{Db, Exec, Executor, Inner};
use crate::StoreError;
use crate::lite::Lite;

/// A connection for a flow's reads before its transaction: each call through `&Db` takes a
/// pooled connection of its own, and on PostgreSQL every checkout costs two round trips (sqlx
/// pings a connection as the pool hands it out and again as it comes back), so a flow that
/// reads three things reads them on one of these (docs/performance.md, "Several nodes").
///
/// Hold it only for reads and drop it before opening a transaction: a request holding one
/// connection while it waits for another could exhaust the pool under load. On SQLite it is
/// the database itself (reads go to a reader, as through `&Db`).
#[derive(Debug)]
pub struct Conn<'a>(ConnInner<'a>);

#[derive(Debug)]
enum ConnInner<'a> {
    Lite(&'a Lite),
    Pg(PoolConnection<Postgres>),
}

impl Db {
    /// A connection for several calls (see [`Conn`]).
    pub async fn conn(&self) -> Result<Conn<'_>, StoreError> {
        Ok(Conn(match self {
            Self::Sqlite(db) => ConnInner::Lite(db),
            Self::Postgres(p) => ConnInner::Pg(p.acquire().await?),
        }))
    }
}

impl Exec for &mut Conn<'_> {
    fn executor(&mut self) -> Executor<'_> {
        Executor(match &mut self.0 {
            ConnInner::Lite(db) => Inner::Lite(db),
            ConnInner::Pg(c) => Inner::Pg(c),
        })
    }
}

//! Signals between server nodes: PostgreSQL `LISTEN/NOTIFY`. A node sends a short text on a
//! channel and every node listening on it (the sender included) receives it. It is a live
//! channel, not a queue: a node that is not listening at that moment never sees the signal,
//! so signals carry only what may be lost (a WebSocket push, a "look again" hint); durable
//! work stays in tables. SQLite has a single node: [`notify`] does nothing there and
//! [`listen`] answers `None`, the caller handles signals in-process.

use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;
use sqlx::postgres::PgListener;

use crate::{Db, StoreError};

/// NOTIFY payloads are limited to 8000 bytes by PostgreSQL; callers send ids, not documents.
pub const MAX_PAYLOAD: usize = 7900;

/// Sends `payload` on `channel` to every listening node (PostgreSQL); nothing on SQLite.
pub async fn notify(db: &Db, channel: &str, payload: &str) -> Result<(), StoreError> {
    if payload.len() > MAX_PAYLOAD {
        return Err(StoreError::Invalid(format!(
            "a signal of {} bytes is longer than {MAX_PAYLOAD}",
            payload.len()
        )));
    }
    if let Db::Postgres(pool) = db {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// The signals of `channel` as they arrive, on a connection of its own that reconnects by
/// itself after a failure (signals sent meanwhile are lost); `None` on SQLite.
pub async fn listen(
    db: &Db,
    channel: &str,
) -> Result<Option<BoxStream<'static, Result<String, StoreError>>>, StoreError> {
    let Db::Postgres(pool) = db else {
        return Ok(None);
    };
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(channel).await?;
    let stream = listener
        .into_stream()
        .map(|n| n.map(|n| n.payload().to_owned()).map_err(StoreError::from));
    Ok(Some(stream.boxed()))
}

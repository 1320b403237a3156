//! Signals to the nodes holding sockets. PostgreSQL: `NOTIFY` on one channel, every node
//! listens (the sender too) and acts on its own sockets. SQLite: a single node, handled
//! in-process. A signal names a delivery, never its content: NOTIFY payloads are small, and a
//! node reads the delivery only when it holds a socket of its user.

use futures_util::StreamExt as _;
use openentry_store::Backend;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{EVENT, OPERATORS, auth, room};
use crate::state::AppState;

/// The NOTIFY channel.
const CHANNEL: &str = "openentry_ws";

/// What the nodes are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "camelCase")]
pub(crate) enum Signal {
    /// Delivery `delivery` (channel `websocket`) is for `user`'s sockets.
    Notify {
        /// Recipient.
        user: i64,
        /// Delivery id.
        delivery: String,
    },
    /// Delivery `delivery` (channel `websocket`, target `operators`) is for the operators'
    /// sockets.
    NotifyOperators {
        /// Delivery id.
        delivery: String,
    },
    /// `user`'s sessions changed: close their sockets whose session ended.
    Recheck {
        /// The user.
        user: i64,
    },
}

/// Sends a signal to every node (this one included).
pub(crate) async fn publish(state: &AppState, signal: &Signal) -> anyhow::Result<()> {
    match state.db.backend() {
        Backend::Postgres => {
            let text = serde_json::to_string(signal)?;
            openentry_store::signals::notify(&state.db, CHANNEL, &text).await?;
        }
        Backend::Sqlite => handle(state, signal).await?,
    }
    Ok(())
}

/// Acts on a signal with this node's sockets.
async fn handle(state: &AppState, signal: &Signal) -> anyhow::Result<()> {
    match signal {
        Signal::Recheck { user } => {
            let sockets = state.ws.io.to(room(*user)).sockets();
            auth::drop_invalid(state, sockets).await;
        }
        Signal::Notify { user, delivery } => {
            emit(state, room(*user), delivery, &user.to_string()).await?;
        }
        Signal::NotifyOperators { delivery } => {
            emit(state, OPERATORS.to_owned(), delivery, OPERATORS).await?;
        }
    }
    Ok(())
}

/// Hands delivery `delivery` to the sockets of `room` on this node, if it is for `target`.
async fn emit(state: &AppState, room: String, delivery: &str, target: &str) -> anyhow::Result<()> {
    let sockets = state.ws.io.to(room).sockets();
    if sockets.is_empty() {
        return Ok(());
    }
    let Some(d) = openentry_store::deliveries::get(&state.db, delivery).await? else {
        return Ok(());
    };
    // The signal only points at the delivery; the delivery says whom it is for.
    if d.channel != "websocket" || d.target != target {
        return Ok(());
    }
    let payload: Value = serde_json::from_str(&d.payload)?;
    for s in auth::drop_invalid(state, sockets).await {
        if let Err(e) = s.emit(EVENT, &payload) {
            tracing::debug!(error = %e, "a socket could not take a notification");
        }
    }
    Ok(())
}

/// On PostgreSQL, listens for signals and handles them in order, until shutdown; the
/// first `LISTEN` is done before this returns. A lost connection is opened again (signals sent
/// meanwhile are lost: the channel is live, not a queue).
pub(super) async fn listen(state: &AppState) -> anyhow::Result<()> {
    let Some(mut stream) = openentry_store::signals::listen(&state.db, CHANNEL).await? else {
        return Ok(());
    };
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            let next = tokio::select! {
                () = state.shutdown.cancelled() => break,
                next = stream.next() => next,
            };
            match next {
                Some(Ok(text)) => match serde_json::from_str::<Signal>(&text) {
                    // One at a time: a user's notifications reach the sockets in order.
                    Ok(signal) => {
                        if let Err(e) = handle(&state, &signal).await {
                            tracing::warn!(error = %e, "could not handle a socket signal");
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "an unreadable socket signal"),
                },
                failed => {
                    if let Some(Err(e)) = failed {
                        tracing::warn!(error = %e, "the socket signal listener failed");
                    }
                    stream = match reconnect(&state).await {
                        Some(s) => s,
                        None => break,
                    };
                }
            }
        }
        tracing::debug!("socket signal listener stopped");
    });
    Ok(())
}

type Stream = futures_util::stream::BoxStream<'static, Result<String, openentry_store::StoreError>>;

/// Listens again, once a second, until it works or the server stops.
async fn reconnect(state: &AppState) -> Option<Stream> {
    loop {
        tokio::select! {
            () = state.shutdown.cancelled() => return None,
            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
        }
        match openentry_store::signals::listen(&state.db, CHANNEL).await {
            Ok(Some(s)) => return Some(s),
            Ok(None) => return None,
            Err(e) => tracing::warn!(error = %e, "could not listen for socket signals again"),
        }
    }
}

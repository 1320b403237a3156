//! The SDK's WebSocket (`WS.connect`): socket.io v4 (Engine.IO v4, websocket transport only)
//! at `/api/content/ws/`, served by `socketioxide` as a layer in front of the router.
//!
//! - A socket is accepted only with a valid `x-app-token` and a valid access token of a live
//!   session (`Authorization: Bearer …`, the headers the SDK sends); otherwise the client gets
//!   a socket.io connect error. Each socket joins the room of its user: nothing is ever sent
//!   to a room other than the recipient's own. A socket admitted with the admin token joins
//!   the operators' room instead (a back office's live feed).
//! - The relay's `websocket` channel ([`crate::relay`]) publishes "delivery D is for user U"
//!   (the `signal` module); every node hands it to that user's sockets it holds, as the event
//!   `notification`. PostgreSQL carries the signal to every node with `LISTEN/NOTIFY`; on
//!   SQLite (one node) it is handled in-process.
//! - A socket lives no longer than its token: before each emit, on a revocation signal
//!   (sign-out, password change, account archived or deleted) and on a periodic sweep by the
//!   injected clock, sockets whose token expired or whose session ended are disconnected.

mod auth;
pub(crate) mod signal;

use std::time::Duration;

use socketioxide::extract::SocketRef;
use socketioxide::handler::ConnectHandler as _;
use socketioxide::layer::SocketIoLayer;
use socketioxide::{SocketIo, TransportType};

use crate::state::AppState;

/// The path the SDK connects to (`WS.connect`; the client adds the trailing slash).
pub const PATH: &str = "/api/content/ws/";

/// The event name of every message (the name the platform's examples listen to).
pub const EVENT: &str = "notification";

/// WebSocket settings.
#[derive(Debug, Clone)]
pub struct WsSettings {
    /// How often every socket's token and session are checked again (expiry by the clock;
    /// revocations also signal at once).
    pub sweep: Duration,
}

impl Default for WsSettings {
    fn default() -> Self {
        Self {
            sweep: Duration::from_secs(10),
        }
    }
}

impl WsSettings {
    /// Applies `OPENENTRY_WS_SWEEP_MS` (at least 100) read by `var`.
    pub fn apply(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = var("OPENENTRY_WS_SWEEP_MS") {
            let ms = v.trim().parse::<u64>().map_err(|_| {
                anyhow::anyhow!("OPENENTRY_WS_SWEEP_MS must be a whole number, not {v:?}")
            })?;
            self.sweep = Duration::from_millis(ms.max(100));
        }
        Ok(())
    }
}

/// The socket.io server of one node.
#[derive(Clone)]
pub struct Hub {
    io: SocketIo,
    layer: SocketIoLayer,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("sockets", &self.io.sockets().len())
            .finish()
    }
}

impl Hub {
    /// A hub; its namespace is registered by [`start`].
    pub(crate) fn new() -> Self {
        let (layer, io) = SocketIo::builder()
            .req_path(PATH)
            .transports([TransportType::Websocket])
            .build_layer();
        Self { io, layer }
    }

    /// The layer that serves the path, placed in front of the router.
    pub(crate) fn layer(&self) -> SocketIoLayer {
        self.layer.clone()
    }

    /// The number of sockets connected to this node.
    pub fn local_sockets(&self) -> usize {
        self.io.sockets().len()
    }

    /// Stops accepting sockets and closes those open (at shutdown). Removing the namespace
    /// also drops its handlers, which hold the application state.
    pub(crate) fn close(&self) {
        self.io.delete_ns("/");
    }
}

/// The room of a user's sockets.
fn room(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// The room of the operators' sockets (admitted with the admin token).
const OPERATORS: &str = "operators";

/// Registers the namespace (sockets are authenticated before they join it), starts the
/// signal listener (awaited: a node listens before it serves) and the periodic sweep.
pub(crate) async fn start(state: &AppState) -> anyhow::Result<()> {
    let for_auth = state.clone();
    let on_connect = |s: SocketRef| async move {
        if let Some(session) = s.extensions.get::<auth::Session>() {
            if session.operator {
                s.join(OPERATORS);
            } else {
                s.join(room(session.user_id));
            }
        }
    };
    let middleware = move |s: SocketRef| {
        let state = for_auth.clone();
        async move { auth::admit(&state, &s).await }
    };
    state.ws.io.ns("/", on_connect.with(middleware));
    signal::listen(state).await?;
    state.spawn_periodic(
        "websocket sweep",
        state.config.ws.sweep,
        state.config.ws.sweep,
        |state| async move {
            let sockets = state.ws.io.sockets();
            auth::drop_invalid(&state, sockets).await;
        },
    );
    Ok(())
}

/// Tells every node that `user_id`'s sessions changed (sign-out, password change, account
/// archived or deleted): their sockets whose session ended are closed at once. Best effort:
/// the periodic sweep closes them anyway.
pub(crate) async fn revoked(state: &AppState, user_id: i64) {
    if let Err(e) = signal::publish(state, &signal::Signal::Recheck { user: user_id }).await {
        tracing::warn!(error = %e, user_id, "could not signal a revocation to the sockets");
    }
}

//! Who may hold a socket, and for how long: the same rules as the REST routes (a valid
//! `x-app-token`; a Bearer access token, unexpired by the injected clock, of a live session of
//! an active user), checked when the socket connects and again whenever it could receive
//! something. A back office connects with the admin token instead (`Bearer
//! <OPENENTRY_ADMIN_TOKEN>`): its socket is an operator's and receives the events whose
//! recipients include `operators`, nothing of any user's.

use std::collections::HashMap;

use socketioxide::extract::SocketRef;

use crate::state::AppState;

/// What a socket was admitted with.
#[derive(Clone)]
pub(super) struct Session {
    /// The user; 0 for an operator's socket.
    pub(super) user_id: i64,
    /// The access token (or the admin token), verified again later (expiry, by the clock).
    token: String,
    /// Admitted with the admin token.
    pub(super) operator: bool,
}

/// Why a socket was refused: the `message` of the client's `connect_error`.
#[derive(Debug)]
pub(super) struct Refused(&'static str);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// The connect middleware: admits the socket (and remembers its session) or refuses it.
pub(super) async fn admit(state: &AppState, s: &SocketRef) -> Result<(), Refused> {
    let parts = s.req_parts();
    let app_token = parts
        .headers
        .get("x-app-token")
        .and_then(|v| v.to_str().ok());
    if !app_token.is_some_and(|t| state.project().accepts_app_token(t)) {
        return Err(Refused(
            "Resource is closed: the x-app-token is not valid for this project",
        ));
    }
    let token = crate::extract::bearer(parts).ok_or(Refused("Unauthorized"))?;
    if crate::operators::may_watch_events(state, token)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "could not check an operator token");
            Refused("Unauthorized")
        })?
    {
        s.extensions.insert(Session {
            user_id: 0,
            token: token.to_owned(),
            operator: true,
        });
        return Ok(());
    }
    let session = check(state, token)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "could not check a socket's session");
            Refused("Service unavailable")
        })?
        .ok_or(Refused("Unauthorized"))?;
    s.extensions.insert(session);
    Ok(())
}

/// The session behind `token` if it may hold a socket now.
async fn check(state: &AppState, token: &str) -> anyhow::Result<Option<Session>> {
    let now = state.now();
    let Some(claims) = state.keys.verify(token, now) else {
        return Ok(None);
    };
    let live = openentry_store::signins::get_live(&state.db, claims.sid, now)
        .await?
        .filter(|s| s.user_id.to_string() == claims.sub);
    Ok(live.map(|l| Session {
        user_id: l.user_id,
        token: token.to_owned(),
        operator: false,
    }))
}

/// Disconnects the sockets whose token expired or whose session ended; returns those that may
/// still receive. A token is checked once however many sockets share it. A database
/// error keeps the sockets (and is logged): a brief outage does not drop every client.
pub(super) async fn drop_invalid(state: &AppState, sockets: Vec<SocketRef>) -> Vec<SocketRef> {
    let mut live: HashMap<String, bool> = HashMap::new();
    let mut kept = Vec::with_capacity(sockets.len());
    for s in sockets {
        let Some(session) = s.extensions.get::<Session>() else {
            continue;
        };
        let ok = if session.operator {
            // Valid while it is still the admin token or a live API token that reads events.
            match crate::operators::may_watch_events(state, &session.token).await {
                Ok(ok) => ok,
                Err(e) => {
                    tracing::warn!(error = %e, "could not check an operator socket's token");
                    true
                }
            }
        } else if let Some(ok) = live.get(&session.token) {
            *ok
        } else {
            let ok = match check(state, &session.token).await {
                Ok(found) => found.is_some_and(|f| f.user_id == session.user_id),
                Err(e) => {
                    tracing::warn!(error = %e, "could not check a socket's session");
                    true
                }
            };
            live.insert(session.token.clone(), ok);
            ok
        };
        if ok {
            kept.push(s);
        } else {
            tracing::debug!(
                user_id = session.user_id,
                "closing a socket: its token ended"
            );
            let _ = s.disconnect();
        }
    }
    kept
}

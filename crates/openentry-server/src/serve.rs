//! The accept loop. `axum::serve` has no header or idle timeout, hence this loop:
//! - a connection must send its first request within `header_read_timeout` (first byte
//!   included: hyper's own header timer only starts once bytes arrive, and never for a
//!   connection still deciding between HTTP/1 and HTTP/2) and each later one within
//!   `idle_timeout`, on HTTP/1 and HTTP/2 alike;
//! - connections are capped overall and per client address, and accepting never waits for a
//!   slot: a full server closes its oldest idle connection for the newcomer (see
//!   `limits::conns`);
//! - HTTP/2 gets few streams and small windows, so one connection cannot buffer much;
//! - shutdown lets in-flight requests finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulConnection;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use crate::limits::conns::Slot;
use crate::limits::{CLOSE_GRACE, Limits, MAX_HEADERS, request};

/// How long in-flight requests may take to finish after shutdown begins.
const DRAIN: Duration = Duration::from_secs(30);

/// HTTP/2 flow-control windows: what one stream, and one connection, may have in flight
/// before the handler reads it. hyper's defaults (1 MiB each, 200 streams) let one
/// connection park megabytes outside any budget.
const H2_STREAM_WINDOW: u32 = 128 * 1024;
const H2_CONNECTION_WINDOW: u32 = 256 * 1024;
const H2_SEND_BUFFER: usize = 256 * 1024;

/// What the server asks of its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    /// Finish in-flight requests, then close.
    Draining,
    /// The drain time is over: close now.
    Abort,
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains.
pub(crate) async fn serve(
    router: Router,
    listener: TcpListener,
    limits: Arc<Limits>,
    shutdown: impl Future<Output = ()> + Send,
) {
    let builder = builder(&limits);
    let (phase_tx, phase_rx) = watch::channel(Phase::Running);
    // Each connection task holds a sender; `recv` returns `None` once all have ended.
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // EMFILE and friends: log and keep serving the connections we have.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::task::yield_now().await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match limits.conns.admit(peer.ip()) {
            Ok(slot) => slot,
            Err(why) => {
                tracing::debug!(%peer, ?why, "connection refused");
                drop(stream);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = {
            let router = router.clone();
            let limits = Arc::clone(&limits);
            let conn = Arc::clone(&slot.conn);
            hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                request::handle(
                    router.clone(),
                    Arc::clone(&limits),
                    Arc::clone(&conn),
                    peer,
                    req,
                )
            })
        };
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let task = drive(conn, slot, Arc::clone(&limits), phase_rx.clone(), peer);
        let alive = alive_tx.clone();
        tokio::spawn(async move {
            task.await;
            drop(alive);
        });
    }
    drop(listener);
    drop(alive_tx);
    let _ = phase_tx.send(Phase::Draining);
    tokio::select! {
        _ = alive_rx.recv() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!("connections still open after {} s; closing", DRAIN.as_secs());
            let _ = phase_tx.send(Phase::Abort);
        }
    }
}

fn builder(limits: &Limits) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.h1_buffer())
        .max_headers(MAX_HEADERS * 2);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(limits.h2_max_streams)
        .initial_stream_window_size(H2_STREAM_WINDOW)
        .initial_connection_window_size(H2_CONNECTION_WINDOW)
        .max_send_buf_size(H2_SEND_BUFFER)
        .max_header_list_size(u32::try_from(limits.h1_buffer()).unwrap_or(u32::MAX));
    builder
}

/// Runs one connection: closes it when it stays silent too long, when the registry sheds it,
/// or when the server shuts down; the slot is freed when it ends.
async fn drive<C>(
    conn: C,
    slot: Slot,
    limits: Arc<Limits>,
    mut phase: watch::Receiver<Phase>,
    peer: SocketAddr,
) where
    C: GracefulConnection,
    C::Error: std::fmt::Display,
{
    tokio::pin!(conn);
    let shared = Arc::clone(&slot.conn);
    let idle_deadline = || {
        shared
            .idle_deadline(limits.header_read_timeout, limits.idle_timeout)
            // Busy: look again later (a request in flight is the request timeout's business).
            .unwrap_or_else(|| Instant::now() + limits.header_read_timeout)
    };
    // Once asked to close: the time by which it must be gone.
    let mut hard_stop: Option<Instant> = None;
    let mut draining = false;
    // `graceful_shutdown` is asked for once, whichever reason comes first.
    let mut shut = false;
    let mut shut_once = |c: std::pin::Pin<&mut C>| {
        if !std::mem::replace(&mut shut, true) {
            c.graceful_shutdown();
        }
    };
    loop {
        let wake = hard_stop.unwrap_or_else(idle_deadline);
        tokio::select! {
            ended = conn.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                break;
            }
            () = shared.close.notified(), if hard_stop.is_none() => {
                tracing::debug!(%peer, "closing an idle connection for a newcomer");
                shut_once(conn.as_mut());
                hard_stop = Some(Instant::now() + CLOSE_GRACE);
            }
            changed = phase.changed(), if !draining || hard_stop.is_none() => {
                let now = *phase.borrow_and_update();
                if changed.is_err() || now == Phase::Abort {
                    break;
                }
                if now == Phase::Draining && !draining {
                    draining = true;
                    shut_once(conn.as_mut());
                }
            }
            () = tokio::time::sleep_until(wake) => {
                let now = Instant::now();
                if hard_stop.is_some_and(|d| d <= now) {
                    tracing::debug!(%peer, "connection did not close in time; dropped");
                    break;
                }
                if hard_stop.is_none() && shared.idle_deadline(limits.header_read_timeout, limits.idle_timeout).is_some_and(|d| d <= now) {
                    tracing::debug!(%peer, "closing a silent connection");
                    shut_once(conn.as_mut());
                    hard_stop = Some(now + CLOSE_GRACE);
                }
            }
        }
    }
    drop(slot);
}

//! Abuse limits of the HTTP layer (issue 10): who may hold a connection and for how long, how
//! many request-body bytes may sit in memory, and how large a request head may be. The
//! defaults and their reasons are in docs/decisions.md ("Abuse limits").

pub(crate) mod body;
pub(crate) mod conns;
pub(crate) mod request;

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;

/// Header fields per request at most (more: 431 with the error body). hyper's own cap is set
/// above it, so ours answers first.
pub(crate) const MAX_HEADERS: usize = 100;

/// Bytes of a streamed body (an upload) counted as held in memory at once.
pub(crate) const STREAM_WINDOW: usize = 256 * 1024;

/// How long a connection asked to close (idle, shed, or shutting down while idle) may take to
/// go before it is dropped outright.
pub(crate) const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// The limits of one running server and the state they keep.
#[derive(Debug)]
pub(crate) struct Limits {
    pub(crate) conns: Arc<conns::Registry>,
    pub(crate) budget: Arc<body::Budget>,
    pub(crate) body_limit: usize,
    pub(crate) body_read_timeout: Duration,
    /// The upload route's body: at most this much is read (drained) before its 413.
    pub(crate) upload_drain_limit: usize,
    pub(crate) upload_read_timeout: Duration,
    pub(crate) header_read_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) h2_max_streams: u32,
    pub(crate) max_uri_len: usize,
    pub(crate) max_header_bytes: usize,
}

impl Limits {
    pub(crate) fn new(c: &Config) -> Self {
        Self {
            conns: Arc::new(conns::Registry::new(
                c.max_connections,
                c.max_connections_per_address,
            )),
            budget: Arc::new(body::Budget::new(c.body_budget, c.body_budget_per_address)),
            body_limit: c.body_limit,
            body_read_timeout: c.body_read_timeout,
            upload_drain_limit: c.upload_drain_limit(),
            upload_read_timeout: c.upload_read_timeout,
            header_read_timeout: c.header_read_timeout,
            idle_timeout: c.idle_timeout,
            h2_max_streams: c.h2_max_streams.max(1),
            max_uri_len: c.max_uri_len,
            max_header_bytes: c.max_header_bytes,
        }
    }

    /// hyper's read buffer: room for our largest head, so that our limits answer first.
    pub(crate) fn h1_buffer(&self) -> usize {
        (self.max_uri_len + self.max_header_bytes + 16 * 1024).max(64 * 1024)
    }
}

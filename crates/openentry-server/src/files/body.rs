//! The body of an upload, shared by the multipart parser and the drain that follows it: an
//! answer given before the body is read makes clients that are still sending fail with a
//! broken pipe (EPIPE) instead of reading it, so whatever the parser leaves is read and
//! dropped before the answer, up to the route's drain limit (beyond it the request layer
//! closes the connection).

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::body::{Body, BodyDataStream};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::sync::Mutex;

/// An upload's body with a count of what was read.
#[derive(Debug)]
pub(super) struct Shared {
    stream: Mutex<BodyDataStream>,
    read: AtomicUsize,
    over: AtomicBool,
}

impl Shared {
    pub(super) fn new(body: Body) -> Arc<Self> {
        Arc::new(Self {
            stream: Mutex::new(body.into_data_stream()),
            read: AtomicUsize::new(0),
            over: AtomicBool::new(false),
        })
    }

    /// The body for the parser: it ends in an error once more than `limit` bytes were read.
    pub(super) fn for_parser(
        self: &Arc<Self>,
        limit: usize,
    ) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
        futures_util::stream::unfold(Arc::clone(self), move |me| async move {
            let next = me.stream.lock().await.next().await?;
            let item = match next {
                Err(e) => Err(io::Error::other(e)),
                Ok(b) => {
                    let total = me.read.fetch_add(b.len(), Ordering::AcqRel) + b.len();
                    if total > limit {
                        me.over.store(true, Ordering::Release);
                        Err(io::Error::other("the upload is larger than its limit"))
                    } else {
                        Ok(b)
                    }
                }
            };
            Some((item, me))
        })
    }

    /// Whether the parser stopped because the body passed its limit.
    pub(super) fn over_limit(&self) -> bool {
        self.over.load(Ordering::Acquire)
    }

    /// Reads and drops the rest of the body while at most `cap` bytes were read in all.
    pub(super) async fn drain(&self, cap: usize) {
        let mut stream = self.stream.lock().await;
        while self.read.load(Ordering::Acquire) < cap {
            match stream.next().await {
                Some(Ok(b)) => {
                    self.read.fetch_add(b.len(), Ordering::AcqRel);
                }
                Some(Err(_)) | None => break,
            }
        }
    }
}

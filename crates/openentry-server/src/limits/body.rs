//! Request bodies held in memory: a byte budget for all clients and one per address, reserved
//! as bytes arrive (the whole `Content-Length` up front when there is one), and a time limit
//! for the body to arrive. Without them, a thousand clients each sending most of a 1 MiB body
//! and then stalling held a gigabyte.

use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use tokio::time::Sleep;

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The whole-server budget is spent (503).
    Global,
    /// This address's budget is spent (429).
    Address,
    /// The body did not arrive within the body-read timeout (408).
    TimedOut,
}

impl Failure {
    fn code(self) -> u8 {
        match self {
            Self::Global => 1,
            Self::Address => 2,
            Self::TimedOut => 3,
        }
    }

    fn from_code(c: u8) -> Option<Self> {
        match c {
            1 => Some(Self::Global),
            2 => Some(Self::Address),
            3 => Some(Self::TimedOut),
            _ => None,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Global => "request-body budget exhausted",
            Self::Address => "request-body budget of this address exhausted",
            Self::TimedOut => "request body not received in time",
        })
    }
}

impl std::error::Error for Failure {}

/// Bytes of request bodies in memory, overall and by client address.
#[derive(Debug)]
pub(crate) struct Budget {
    global_max: usize,
    per_address_max: usize,
    inner: Mutex<Usage>,
}

#[derive(Debug, Default)]
struct Usage {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

impl Budget {
    pub(crate) fn new(global_max: usize, per_address_max: usize) -> Self {
        Self {
            global_max,
            per_address_max,
            inner: Mutex::new(Usage::default()),
        }
    }

    fn reserve(&self, peer: IpAddr, n: usize) -> Result<(), Failure> {
        let mut u = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = u.by_address.get(&peer).copied().unwrap_or(0);
        if mine.saturating_add(n) > self.per_address_max {
            return Err(Failure::Address);
        }
        if u.total.saturating_add(n) > self.global_max {
            return Err(Failure::Global);
        }
        u.total += n;
        *u.by_address.entry(peer).or_insert(0) += n;
        Ok(())
    }

    fn release(&self, peer: IpAddr, n: usize) {
        let mut u = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        u.total = u.total.saturating_sub(n);
        if let Some(m) = u.by_address.get_mut(&peer) {
            *m = m.saturating_sub(n);
            if *m == 0 {
                u.by_address.remove(&peer);
            }
        }
    }
}

/// What one request holds of the budget; given back when the request and its body are gone.
#[derive(Debug)]
pub(crate) struct Reservation {
    budget: Arc<Budget>,
    peer: IpAddr,
    bytes: Mutex<usize>,
}

impl Reservation {
    pub(crate) fn new(budget: Arc<Budget>, peer: IpAddr) -> Self {
        Self {
            budget,
            peer,
            bytes: Mutex::new(0),
        }
    }

    /// Makes sure at least `total` bytes are reserved.
    pub(crate) fn cover(&self, total: usize) -> Result<(), Failure> {
        let mut held = self.bytes.lock().unwrap_or_else(PoisonError::into_inner);
        if total > *held {
            self.budget.reserve(self.peer, total - *held)?;
            *held = total;
        }
        Ok(())
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let held = *self.bytes.get_mut().unwrap_or_else(PoisonError::into_inner);
        if held > 0 {
            self.budget.release(self.peer, held);
        }
    }
}

/// What the request layer learns about the body after the handler ran.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    failure: AtomicU8,
    finished: AtomicBool,
}

impl Outcome {
    pub(crate) fn failure(&self) -> Option<Failure> {
        Failure::from_code(self.failure.load(Ordering::Acquire))
    }

    /// Whether the body was read to its end.
    pub(crate) fn finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    fn fail(&self, f: Failure) -> Failure {
        self.failure.store(f.code(), Ordering::Release);
        f
    }
}

/// The request body as handlers see it: budgeted, and cut off at the body-read deadline.
#[derive(Debug)]
pub(crate) struct GuardedBody {
    inner: Incoming,
    deadline: Pin<Box<Sleep>>,
    reservation: Arc<Reservation>,
    read: usize,
    /// Most bytes counted as held: a streamed body (an upload written to the media store as
    /// it arrives) holds only its last chunks, not everything read so far.
    window: usize,
    outcome: Arc<Outcome>,
}

impl GuardedBody {
    pub(crate) fn new(
        inner: Incoming,
        timeout: Duration,
        reservation: Arc<Reservation>,
        outcome: Arc<Outcome>,
        window: usize,
    ) -> Self {
        Self {
            inner,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            reservation,
            read: 0,
            window,
            outcome,
        }
    }
}

impl Body for GuardedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Some(f) = this.outcome.failure() {
            return Poll::Ready(Some(Err(Box::new(f))));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.read = this.read.saturating_add(data.len());
                    if let Err(f) = this.reservation.cover(this.read.min(this.window)) {
                        return Poll::Ready(Some(Err(Box::new(this.outcome.fail(f)))));
                    }
                }
                if this.inner.is_end_stream() {
                    this.outcome.finished.store(true, Ordering::Release);
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(None) => {
                this.outcome.finished.store(true, Ordering::Release);
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Box::new(e)))),
            Poll::Pending => {
                if this.deadline.as_mut().poll(cx).is_ready() {
                    let f = this.outcome.fail(Failure::TimedOut);
                    return Poll::Ready(Some(Err(Box::new(f))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

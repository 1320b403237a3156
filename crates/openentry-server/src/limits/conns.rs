//! Who holds a connection: a global cap, a cap per client address, and which connections are
//! idle. The accept loop never waits for a slot (an attacker holding every slot would stall
//! everyone else behind the kernel backlog): when the server is full, the oldest idle
//! connection is asked to close for the newcomer, and when none is idle the newcomer is closed.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The open connections of one server.
#[derive(Debug)]
pub(crate) struct Registry {
    max_total: usize,
    max_per_address: usize,
    epoch: Instant,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    /// Counted connections by id; ids grow, so the first idle one is the oldest idle one.
    open: BTreeMap<u64, Arc<Conn>>,
    per_address: HashMap<IpAddr, usize>,
}

/// What the connection task and the request layer share about one connection.
#[derive(Debug)]
pub(crate) struct Conn {
    /// The client's address.
    pub(crate) peer: IpAddr,
    epoch: Instant,
    in_flight: AtomicUsize,
    requests: AtomicU64,
    /// Milliseconds since `epoch` when the connection last became idle.
    idle_since_ms: AtomicU64,
    /// Asks the connection task to close (stores a permit if the task is not waiting yet).
    pub(crate) close: Notify,
}

/// Why a connection was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// This address already holds its share.
    Address,
    /// The server is full and nobody is idle.
    Full,
}

/// A counted connection; dropping it frees the slot.
#[derive(Debug)]
pub(crate) struct Slot {
    registry: Arc<Registry>,
    id: u64,
    pub(crate) conn: Arc<Conn>,
}

impl Registry {
    pub(crate) fn new(max_total: usize, max_per_address: usize) -> Self {
        Self {
            max_total: max_total.max(1),
            max_per_address,
            epoch: Instant::now(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Counts a new connection from `peer`, shedding the oldest idle one if the server is full.
    pub(crate) fn admit(self: &Arc<Self>, peer: IpAddr) -> Result<Slot, Refusal> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = inner.per_address.get(&peer).copied().unwrap_or(0);
        if self.max_per_address > 0 && mine >= self.max_per_address {
            return Err(Refusal::Address);
        }
        if inner.open.len() >= self.max_total {
            let victim = inner
                .open
                .iter()
                .find(|(_, c)| c.in_flight.load(Ordering::Acquire) == 0)
                .map(|(id, _)| *id);
            let Some(victim) = victim else {
                return Err(Refusal::Full);
            };
            // Uncounted at once so the newcomer fits; its task closes it within the grace.
            if let Some(c) = inner.open.remove(&victim) {
                uncount(&mut inner.per_address, c.peer);
                c.close.notify_one();
            }
        }
        let id = inner.next_id;
        inner.next_id += 1;
        let conn = Arc::new(Conn {
            peer,
            epoch: self.epoch,
            in_flight: AtomicUsize::new(0),
            requests: AtomicU64::new(0),
            idle_since_ms: AtomicU64::new(0),
            close: Notify::new(),
        });
        conn.mark_idle();
        inner.open.insert(id, Arc::clone(&conn));
        *inner.per_address.entry(peer).or_insert(0) += 1;
        Ok(Slot {
            registry: Arc::clone(self),
            id,
            conn,
        })
    }
}

fn uncount(per_address: &mut HashMap<IpAddr, usize>, peer: IpAddr) {
    if let Some(n) = per_address.get_mut(&peer) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            per_address.remove(&peer);
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut inner = self
            .registry
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // A shed connection was uncounted already.
        if inner.open.remove(&self.id).is_some() {
            uncount(&mut inner.per_address, self.conn.peer);
        }
    }
}

impl Conn {
    fn mark_idle(&self) {
        let ms = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.idle_since_ms.store(ms, Ordering::Release);
    }

    /// A request arrived; the connection is busy until the guard is dropped.
    pub(crate) fn begin(self: &Arc<Self>) -> Busy {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.requests.fetch_add(1, Ordering::AcqRel);
        Busy(Arc::clone(self))
    }

    /// When the connection should be closed for silence, or `None` while a request is in
    /// flight. A connection that never sent a request gets `first`, later ones `idle`.
    pub(crate) fn idle_deadline(&self, first: Duration, idle: Duration) -> Option<Instant> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let allowed = if self.requests.load(Ordering::Acquire) == 0 {
            first
        } else {
            idle
        };
        let since = Duration::from_millis(self.idle_since_ms.load(Ordering::Acquire));
        Some(self.epoch + since + allowed)
    }
}

/// A request in flight on a connection (held until its response body is sent).
#[derive(Debug)]
pub(crate) struct Busy(Arc<Conn>);

impl Drop for Busy {
    fn drop(&mut self) {
        // Stamp before decrementing, so a timer that sees zero in flight sees the new stamp.
        self.0.mark_idle();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

//! The one SQLite writer, with group commit.
//!
//! SQLite allows one writer at a time, and with `synchronous=FULL` every `COMMIT` waits for
//! the disk. Committing each transaction on its own caps writes at the disk's flush rate, so
//! concurrent transactions share a commit instead:
//!
//! - writers queue on a fair (FIFO) async mutex around the connection; the first writer of a
//!   batch opens it with `BEGIN IMMEDIATE`;
//! - each transaction is a `SAVEPOINT` inside the batch. Its statements run in place (no
//!   flush happens before `COMMIT`, so they take microseconds); dropping it unfinished rolls
//!   back to its savepoint, so a failed or cancelled request leaves nothing behind;
//! - finishing it (`RELEASE`) joins the batch and wakes the committer, which queues for the
//!   connection behind every writer already waiting, then runs `COMMIT` off the async
//!   runtime. Whoever queued before it shares that flush; nobody is told "committed" before
//!   the flush has returned, and if the commit fails every member of the batch gets the error
//!   (none of them was acknowledged, and none of their work is kept).
//!
//! A transaction sees the work of earlier members of its batch, as it would if they had
//! committed one by one; readers see a batch only once it is durable.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, watch};

use crate::StoreError;

/// The outcome of one batch: `None` until its commit returns.
type Outcome = Option<Result<(), Arc<str>>>;

/// The writer connection and the batch open on it.
#[derive(Debug)]
pub(crate) struct Writer {
    /// `None` only if a commit task panicked; the next writer reopens it.
    conn: Option<Connection>,
    /// The open batch (an SQL transaction holding the work of its released savepoints).
    batch: Option<watch::Sender<Outcome>>,
}

/// What the writers and the committer share.
#[derive(Debug)]
pub(crate) struct Shared {
    writer: Arc<Mutex<Writer>>,
    wake: Notify,
    stopped: AtomicBool,
    commits: AtomicU64,
    /// Transactions waiting for the writer (for monitoring).
    waiting: AtomicU64,
    /// Batch sizes: one counter per bucket of `health::BATCH_BUCKETS`, then larger batches.
    batch_sizes: [AtomicU64; BUCKETS + 1],
    /// Transactions committed in batches.
    batched: AtomicU64,
}

const BUCKETS: usize = crate::health::BATCH_BUCKETS.len();

impl Shared {
    /// Wraps the writer connection and starts the committer on the current runtime.
    pub(crate) fn start(conn: Connection) -> Arc<Self> {
        let shared = Arc::new(Self {
            writer: Arc::new(Mutex::new(Writer {
                conn: Some(conn),
                batch: None,
            })),
            wake: Notify::new(),
            stopped: AtomicBool::new(false),
            commits: AtomicU64::new(0),
            waiting: AtomicU64::new(0),
            batch_sizes: Default::default(),
            batched: AtomicU64::new(0),
        });
        tokio::spawn(committer(Arc::clone(&shared)));
        shared
    }

    /// Batches committed so far.
    pub(crate) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Transactions waiting for the writer now.
    pub(crate) fn waiting(&self) -> u64 {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Cumulative batch-size bucket counts (the last one counts every batch) and the number
    /// of transactions they held.
    pub(crate) fn batch_sizes(&self) -> (Vec<u64>, u64) {
        let mut sum = 0;
        let cumulative = self
            .batch_sizes
            .iter()
            .map(|c| {
                sum += c.load(Ordering::Relaxed);
                sum
            })
            .collect();
        (cumulative, self.batched.load(Ordering::Relaxed))
    }

    /// Counts a committed batch of `size` transactions.
    fn count_batch(&self, size: usize) {
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        let bucket = crate::health::BATCH_BUCKETS
            .iter()
            .position(|&b| size <= b)
            .unwrap_or(BUCKETS);
        if let Some(c) = self.batch_sizes.get(bucket) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        self.batched.fetch_add(size, Ordering::Relaxed);
    }

    /// Asks the committer to finish what is pending and stop.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Commits what is pending and closes the writer connection.
    pub(crate) async fn close(&self) {
        self.stop();
        let mut w = Arc::clone(&self.writer).lock_owned().await;
        if let Some(size) = commit_batch(&mut w).await {
            self.commits.fetch_add(1, Ordering::Relaxed);
            self.count_batch(size);
        }
        w.conn = None;
    }
}

/// Commits batches until stopped.
async fn committer(shared: Arc<Shared>) {
    loop {
        shared.wake.notified().await;
        let mut w = Arc::clone(&shared.writer).lock_owned().await;
        if let Some(size) = commit_batch(&mut w).await {
            shared.commits.fetch_add(1, Ordering::Relaxed);
            shared.count_batch(size);
        }
        drop(w);
        if shared.stopped.load(Ordering::SeqCst) {
            return;
        }
    }
}

/// Commits the open batch, if any, and tells its members how it went; the number of its
/// members when it committed.
async fn commit_batch(w: &mut OwnedMutexGuard<Writer>) -> Option<usize> {
    let batch = w.batch.take()?;
    let outcome = match w.conn.take() {
        None => Err(Arc::from("the database writer was lost")),
        Some(conn) => {
            // The flush takes a disk round trip: off the async runtime.
            let joined = tokio::task::spawn_blocking(move || {
                let result = finish(&conn);
                (conn, result)
            })
            .await;
            match joined {
                Ok((conn, result)) => {
                    w.conn = Some(conn);
                    result
                }
                Err(e) => Err(Arc::from(format!("the commit task failed: {e}"))),
            }
        }
    };
    if let Err(e) = &outcome {
        tracing::error!(error = %e, "a group commit failed; its transactions were not kept");
    }
    let committed = outcome.is_ok();
    // Each member that released its savepoint subscribed once to hear the outcome.
    let members = batch.receiver_count();
    batch.send_replace(Some(outcome));
    committed.then_some(members)
}

/// `COMMIT`, or if that fails, roll the whole batch back.
fn finish(conn: &Connection) -> Result<(), Arc<str>> {
    // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O
    // error); a `COMMIT` then would commit nothing yet succeed, so check first.
    let result = if conn.is_autocommit() {
        Err(Arc::from(
            "the database rolled the transaction back after an error",
        ))
    } else {
        conn.execute_batch("COMMIT")
            .map_err(|e| Arc::from(format!("could not commit: {e}")))
    };
    if result.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    result
}

/// Counts a transaction waiting for the writer; uncounted when dropped, also when the waiting
/// future is canceled.
struct Queued<'a>(&'a AtomicU64);

impl<'a> Queued<'a> {
    fn new(counter: &'a AtomicU64) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Self(counter)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// An open write transaction: a savepoint in the current batch, holding the writer.
#[derive(Debug)]
pub(crate) struct WriteTx {
    shared: Arc<Shared>,
    /// `Some` until the transaction ends.
    guard: Option<OwnedMutexGuard<Writer>>,
}

impl WriteTx {
    /// Waits for the writer, opens a batch if none is open, and starts a savepoint.
    pub(crate) async fn begin(shared: Arc<Shared>, path: &Path) -> Result<Self, StoreError> {
        let queued = Queued::new(&shared.waiting);
        let mut w = Arc::clone(&shared.writer).lock_owned().await;
        drop(queued);
        if shared.stopped.load(Ordering::SeqCst) {
            return Err(StoreError::Open("the database is closed".to_owned()));
        }
        let conn = match w.conn.take() {
            Some(c) => c,
            None => super::open_conn(path)?,
        };
        if w.batch.is_some() && conn.is_autocommit() {
            // The batch's transaction is gone (see `finish`): its members must hear so.
            if let Some(batch) = w.batch.take() {
                batch.send_replace(Some(Err(Arc::from(
                    "the database rolled the transaction back after an error",
                ))));
            }
        }
        let conn = if w.batch.is_none() {
            let conn = open_batch(conn, path.to_owned()).await?;
            w.batch = Some(watch::Sender::new(None));
            conn
        } else {
            conn
        };
        let started = conn.execute_batch("SAVEPOINT tx");
        w.conn = Some(conn);
        started?;
        Ok(Self {
            shared,
            guard: Some(w),
        })
    }

    /// The writer connection.
    pub(crate) fn conn(&self) -> Result<&Connection, StoreError> {
        self.guard
            .as_ref()
            .and_then(|w| w.conn.as_ref())
            .ok_or_else(|| StoreError::Open("the transaction has ended".to_owned()))
    }

    /// Joins the batch and waits until it is durable.
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        let Some(mut w) = self.guard.take() else {
            return Err(StoreError::Open("the transaction has ended".to_owned()));
        };
        let released = match w.conn.as_ref() {
            Some(conn) => conn.execute_batch("RELEASE tx").map_err(StoreError::from),
            None => Err(StoreError::Open("the database writer was lost".to_owned())),
        };
        if let Err(e) = released {
            rollback(&mut w);
            return Err(e);
        }
        let mut outcome = match w.batch.as_ref() {
            Some(batch) => batch.subscribe(),
            None => return Err(StoreError::Open("the batch has ended".to_owned())),
        };
        drop(w);
        self.shared.wake.notify_one();
        let done = outcome
            .wait_for(Option::is_some)
            .await
            .map_err(|_| StoreError::Open("the committer stopped".to_owned()))?;
        match done.as_ref() {
            Some(Ok(())) => Ok(()),
            Some(Err(e)) => Err(StoreError::Commit(e.to_string())),
            None => Err(StoreError::Open("the committer stopped".to_owned())),
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if let Some(mut w) = self.guard.take() {
            rollback(&mut w);
            drop(w);
            // The batch (perhaps now empty) must still end: until it commits it holds the
            // file's write lock, and another process (a second node, `project import`)
            // would wait on it.
            self.shared.wake.notify_one();
        }
    }
}

/// Undoes an unfinished transaction's work, and only its work.
fn rollback(w: &mut Writer) {
    let undone = match w.conn.as_ref() {
        Some(conn) => conn.execute_batch("ROLLBACK TO tx; RELEASE tx"),
        None => return,
    };
    if let Err(e) = undone {
        // Never let part of this transaction reach the batch's commit: give up the whole
        // batch. Its members hear so from the next writer or the committer (see `finish`).
        tracing::warn!(error = %e, "could not roll back to a savepoint; dropping the batch");
        if let Some(conn) = w.conn.as_ref().filter(|c| !c.is_autocommit()) {
            let _ = conn.execute_batch("ROLLBACK");
        }
    }
}

/// `BEGIN IMMEDIATE`. It is instant unless another process (say `openentry project import`)
/// holds the file's write lock; only then does it wait, on a blocking thread.
async fn open_batch(conn: Connection, path: PathBuf) -> Result<Connection, StoreError> {
    conn.busy_timeout(Duration::ZERO)?;
    let first = conn.execute_batch("BEGIN IMMEDIATE");
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    match first {
        Ok(()) => Ok(conn),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            let (conn, r) = tokio::task::spawn_blocking(move || {
                let r = conn.execute_batch("BEGIN IMMEDIATE");
                (conn, r)
            })
            .await
            .map_err(|e| {
                StoreError::Open(format!(
                    "could not start a transaction on `{}`: {e}",
                    path.display()
                ))
            })?;
            r?;
            Ok(conn)
        }
        Err(e) => Err(e.into()),
    }
}

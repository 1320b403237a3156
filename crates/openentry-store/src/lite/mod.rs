//! Embedded SQLite, executed in place, with group commit.
//!
//! Why not sqlx's SQLite driver (which still runs the migrations): it runs every statement on
//! a worker thread per connection, so each statement costs two thread hand-offs. On two cores
//! those hand-offs were most of a read request's time (profiled: the kernel's scheduler was
//! the top of the profile). Here a read runs on the calling thread against a connection from a
//! small pool, which for the page-cached, indexed lookups of this crate takes microseconds.
//!
//! Writes go through one writer connection ([`writer`]), which batches concurrent
//! transactions into one durable commit (group commit): each transaction is a savepoint inside
//! the batch's transaction, and nobody is told "committed" before the `COMMIT` that makes
//! their work durable has returned.

mod exec;
#[cfg(test)]
mod group_commit_tests;
mod writer;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

pub(crate) use exec::{all, exec, opt};
pub(crate) use writer::WriteTx;

/// How long a connection waits for another process's lock (for example `openentry project
/// import` writing the same file) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements kept per connection (this crate has fewer distinct statements).
const STATEMENT_CACHE: usize = 256;

/// One SQLite database file: a pool of reader connections and the writer.
#[derive(Debug)]
pub struct Lite {
    path: PathBuf,
    readers: Mutex<Vec<Connection>>,
    max_idle_readers: usize,
    writer: Arc<writer::Shared>,
}

impl Lite {
    /// Opens the file (which the migrations have already created) with `max_readers` pooled
    /// reader connections at most, and starts the committer on the current runtime.
    pub(crate) fn open(path: PathBuf, max_readers: usize) -> Result<Self, StoreError> {
        let conn = open_conn(&path)?;
        let writer = writer::Shared::start(conn);
        Ok(Self {
            path,
            readers: Mutex::new(Vec::new()),
            max_idle_readers: max_readers.max(1),
            writer,
        })
    }

    /// The database file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Runs `f` on a reader connection. Readers see only committed (durable) batches.
    pub(crate) fn read<R>(
        &self,
        f: impl FnOnce(&Connection) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let pooled = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let conn = if let Some(c) = pooled {
            c
        } else {
            let c = open_conn(&self.path)?;
            // A statement that writes must go through the writer (group commit); a reader
            // refuses one instead of quietly committing it on its own.
            c.execute_batch("PRAGMA query_only = ON")?;
            c
        };
        let out = f(&conn);
        let mut idle = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < self.max_idle_readers {
            idle.push(conn);
        }
        out
    }

    /// The readers kept idle, the writer's queue and its group commits (for monitoring).
    pub(crate) fn stats(&self) -> crate::health::PoolStats {
        let idle = self
            .readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        let idle = u64::try_from(idle).unwrap_or(u64::MAX);
        let (batch_sizes, batched_transactions) = self.writer.batch_sizes();
        crate::health::PoolStats {
            connections: idle + 1,
            idle,
            writer_waiting: self.writer.waiting(),
            commits: self.writer.commits(),
            batch_sizes,
            batched_transactions,
        }
    }

    /// How many batches have been committed (each one flush), for tests and benchmarks.
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }

    /// Opens a write transaction (a savepoint in the current batch).
    pub(crate) async fn begin(&self) -> Result<WriteTx, StoreError> {
        WriteTx::begin(Arc::clone(&self.writer), &self.path).await
    }

    /// Commits what is pending, stops the committer and closes every connection.
    pub(crate) async fn close(&self) {
        self.writer.close().await;
        self.readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Drop for Lite {
    fn drop(&mut self) {
        self.writer.stop();
    }
}

/// A connection with the server's settings. `synchronous=FULL`: a commit acknowledged to a
/// client survives power loss, not only a crash. The journal mode (WAL) is a property of the
/// file, set when the database is created.
pub(crate) fn open_conn(path: &std::path::Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| {
        StoreError::Open(format!(
            "cannot open SQLite database `{}`: {e}",
            path.display()
        ))
    })?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(StoreError::from)?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(StoreError::from)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// The file a `sqlite:` URL names (`sqlite://path`, `sqlite:path`, with or without `?…`).
pub(crate) fn path_of(url: &str) -> Result<PathBuf, StoreError> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let file = rest.split('?').next().unwrap_or(rest);
    if file.is_empty() || file == ":memory:" {
        return Err(StoreError::Open(format!(
            "`{url}` names no file: OpenEntry keeps its data in a file (sqlite://PATH)"
        )));
    }
    Ok(PathBuf::from(file))
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        if let rusqlite::Error::SqliteFailure(e, msg) = &err {
            let what = msg.clone().unwrap_or_else(|| e.to_string());
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) {
                return Self::Busy(what);
            }
            match e.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    return Self::Conflict(what);
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return Self::InUse(what),
                _ => {}
            }
        }
        match err {
            rusqlite::Error::QueryReturnedNoRows => Self::NotFound,
            other => Self::Sqlite(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_files() {
        for (url, file) in [
            ("sqlite://data/a.db", "data/a.db"),
            ("sqlite:a.db", "a.db"),
            ("sqlite:///tmp/a.db?mode=rwc", "/tmp/a.db"),
        ] {
            assert_eq!(path_of(url).ok(), Some(PathBuf::from(file)), "{url}");
        }
        assert!(path_of("sqlite::memory:").is_err());
        assert!(path_of("sqlite://").is_err());
    }

    #[test]
    fn errors_keep_their_meaning() {
        use rusqlite::ffi;
        let failure = |code| rusqlite::Error::SqliteFailure(ffi::Error::new(code), None);
        assert!(matches!(
            StoreError::from(failure(ffi::SQLITE_BUSY)),
            StoreError::Busy(_)
        ));
        assert!(matches!(
            StoreError::from(failure(ffi::SQLITE_CONSTRAINT_UNIQUE)),
            StoreError::Conflict(_)
        ));
        assert!(matches!(
            StoreError::from(failure(ffi::SQLITE_CONSTRAINT_FOREIGNKEY)),
            StoreError::InUse(_)
        ));
        assert!(matches!(
            StoreError::from(rusqlite::Error::QueryReturnedNoRows),
            StoreError::NotFound
        ));
    }
}

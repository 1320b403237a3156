//! Copies of the embedded database: `openentry backup` and `openentry restore`
//! (docs/operations.md, "Backups"). PostgreSQL has `pg_dump -Fc` / `pg_restore` for this.
//!
//! A backup is SQLite's `VACUUM INTO` on a read-only connection: one read transaction, so the
//! copy is the database as of one commit while the server keeps writing (WAL readers never
//! block the writer). Both commands write a temporary file in the destination's directory and
//! move it into place only when it is complete, so a crash leaves no half-written database
//! under the real name.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// What a backup or restore did.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Bytes of the database file written.
    pub bytes: u64,
    /// How long it took.
    pub elapsed: Duration,
}

/// Writes a consistent copy of the SQLite database of `url` to `to`, which must not exist.
pub fn backup_sqlite(url: &str, to: &Path) -> Result<CopyReport, StoreError> {
    let started = Instant::now();
    let from = crate::lite::path_of(url)?;
    if !from.is_file() {
        return Err(refused(format!(
            "there is no database at `{}`",
            from.display()
        )));
    }
    if to.exists() {
        return Err(refused(format!(
            "`{}` already exists: a backup never overwrites a file",
            to.display()
        )));
    }
    let tmp = temp_beside(to)?;
    remove_if_there(&tmp)?;
    let dest = tmp
        .to_str()
        .ok_or_else(|| refused(format!("`{}` is not UTF-8", tmp.display())))?;
    let conn = Connection::open_with_flags(&from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let vacuumed = conn.execute("VACUUM INTO ?1", [dest]);
    drop(conn);
    if let Err(e) = vacuumed {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    sync_file(&tmp)?;
    // A hard link fails when the name exists: no clobbering even if `to` appeared meanwhile.
    let linked = std::fs::hard_link(&tmp, to);
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(|e| io(&format!("cannot create `{}`", to.display()), &e))?;
    sync_dir(to)?;
    Ok(CopyReport {
        bytes: std::fs::metadata(to).map_or(0, |m| m.len()),
        elapsed: started.elapsed(),
    })
}

/// Puts the backup `from` in place as the database of `url`. Refuses a file that is not an
/// intact OpenEntry database of a schema this binary knows, an existing database unless
/// `force`, and a database that a server has open.
pub fn restore_sqlite(from: &Path, url: &str, force: bool) -> Result<CopyReport, StoreError> {
    let started = Instant::now();
    let target = crate::lite::path_of(url)?;
    if !from.is_file() {
        return Err(refused(format!("there is no file `{}`", from.display())));
    }
    if target.exists() {
        if !force {
            return Err(refused(format!(
                "`{}` exists: pass --force to replace it",
                target.display()
            )));
        }
        refuse_if_open(&target)?;
    }
    let tmp = temp_beside(&target)?;
    remove_if_there(&tmp)?;
    std::fs::copy(from, &tmp).map_err(|e| io(&format!("cannot copy `{}`", from.display()), &e))?;
    // The copy itself is checked, so what is moved into place is what was checked.
    if let Err(e) = check_ours(&tmp, from) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_file(&tmp)?;
    // A stale log of the old database would be replayed onto the new one.
    for suffix in ["-wal", "-shm"] {
        remove_if_there(&with_suffix(&target, suffix))?;
    }
    std::fs::rename(&tmp, &target)
        .map_err(|e| io(&format!("cannot move into `{}`", target.display()), &e))?;
    sync_dir(&target)?;
    Ok(CopyReport {
        bytes: std::fs::metadata(&target).map_or(0, |m| m.len()),
        elapsed: started.elapsed(),
    })
}

/// An intact SQLite file whose migrations are all known to this binary (`file`, a copy of
/// `shown`, which messages name).
fn check_ours(file: &Path, shown: &Path) -> Result<(), StoreError> {
    let not_db = |e: rusqlite::Error| {
        refused(format!(
            "`{}` is not a SQLite database: {e}",
            shown.display()
        ))
    };
    let conn =
        Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(not_db)?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(not_db)?;
    if verdict != "ok" {
        return Err(refused(format!(
            "`{}` fails SQLite's integrity check: {verdict}",
            shown.display()
        )));
    }
    let versions: Vec<i64> = conn
        .prepare("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| {
            refused(format!(
                "`{}` is not an OpenEntry database: {e}",
                shown.display()
            ))
        })?;
    let known = crate::connect::known_sqlite_versions();
    if let Some(v) = versions.iter().find(|v| !known.contains(v)) {
        return Err(refused(format!(
            "`{}` has migration {v}, which this openentry does not know: restore it with the \
             version that made it, or a newer one",
            shown.display()
        )));
    }
    // Leaving WAL mode folds any log into the file, so the copy is one file again.
    conn.execute_batch("PRAGMA journal_mode = DELETE")?;
    Ok(())
}

/// A server keeps its connections open, and SQLite lets no connection leave WAL mode while
/// another has the file open: so a refused switch means someone holds the database. When
/// nobody does, the switch also folds the log into the file, which is about to be replaced.
fn refuse_if_open(target: &Path) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(Duration::ZERO)?;
    match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    }) {
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy =>
        {
            Err(refused(format!(
                "`{}` is open in another process (a running server?): stop it first",
                target.display()
            )))
        }
        // Switched, or not a database we can open: it is replaced all the same (the caller
        // said --force).
        _ => Ok(()),
    }
}

fn refused(why: String) -> StoreError {
    StoreError::Refused(why)
}

fn io(what: &str, e: &std::io::Error) -> StoreError {
    StoreError::Refused(format!("{what}: {e}"))
}

/// `.NAME.partial` in the directory of `path`: a rename within a directory is atomic.
fn temp_beside(path: &Path) -> Result<PathBuf, StoreError> {
    let name = path
        .file_name()
        .ok_or_else(|| refused(format!("`{}` names no file", path.display())))?;
    let mut tmp = std::ffi::OsString::from(".");
    tmp.push(name);
    tmp.push(".partial");
    Ok(path.with_file_name(tmp))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(io(&format!("cannot remove `{}`", path.display()), &e))
        }
        _ => Ok(()),
    }
}

fn sync_file(path: &Path) -> Result<(), StoreError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(&format!("cannot sync `{}`", path.display()), &e))
}

/// The rename is durable only once the directory is.
fn sync_dir(path: &Path) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    sync_file(dir)
}

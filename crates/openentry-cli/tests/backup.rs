//! `openentry backup` while a server takes orders, and `openentry restore` of the copy
//! (docs/operations.md, "Backups"). SQLite only: PostgreSQL is backed up with `pg_dump`,
//! which `backup` says when given a postgres:// URL.
//!
//! Clients keep creating orders through HTTP; every order acknowledged (201) before the backup
//! command started must be in the restored database, exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

#[path = "common/listening.rs"]
mod listening;
#[path = "common/shop.rs"]
mod shop;

use shop::{create_order, openentry, orders_of, sign_in, start};

const CLIENTS: usize = 6;

/// One client: orders with fresh keys until told to stop; acknowledged ids go to `acked`.
async fn client(
    id: usize,
    base: String,
    token: String,
    stop: watch::Receiver<bool>,
    acked: Arc<Mutex<Vec<i64>>>,
    count: watch::Sender<usize>,
) {
    let http = reqwest::Client::new();
    for n in 0.. {
        if *stop.borrow() {
            return;
        }
        let key = format!("bk-{id}-{n}");
        let (status, body) = create_order(&http, &base, &token, &key, n).await.unwrap();
        assert_eq!(status, 201, "{body}");
        acked.lock().unwrap().push(body["id"].as_i64().unwrap());
        count.send_modify(|c| *c += 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_acknowledged_order() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}", dir.path().join("live.db").display());
    let copy = dir.path().join("copy.db");
    let server = start(&live);
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for i in 0..3 {
        let email = format!("bk-{i}@example.com");
        tokens.push(sign_in(&http, &server.base, &email, true).await);
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let (count_tx, mut count_rx) = watch::channel(0_usize);
    let acked = Arc::new(Mutex::new(Vec::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            tokio::spawn(client(
                id,
                server.base.clone(),
                tokens[id % tokens.len()].clone(),
                stop_rx.clone(),
                Arc::clone(&acked),
                count_tx.clone(),
            ))
        })
        .collect();

    count_rx.wait_for(|n| *n >= 150).await.unwrap();
    // Taken before the command starts: each of these was answered 201 before it.
    let before = acked.lock().unwrap().clone();
    let to = copy.to_str().unwrap().to_owned();
    let live_url = live.clone();
    let backup = tokio::task::spawn_blocking(move || {
        openentry(&["backup", "--database-url", &live_url, "--to", &to])
    });
    let (ok, out, err) = backup.await.unwrap();
    assert!(ok, "backup failed: {out}{err}");
    // The load went on during the backup and after it.
    let after_backup = *count_rx.borrow();
    count_rx
        .wait_for(|n| *n >= after_backup + 30)
        .await
        .unwrap();
    stop_tx.send_replace(true);
    for c in clients {
        c.await.unwrap();
    }
    drop(server);

    let restored = format!("sqlite://{}", dir.path().join("restored.db").display());
    let copy_path = copy.to_str().unwrap();
    let (ok, out, err) = openentry(&["restore", "--from", copy_path, "--database-url", &restored]);
    assert!(ok, "restore failed: {out}{err}");
    let server = start(&restored);
    let mut stored: BTreeMap<i64, usize> = BTreeMap::new();
    for i in 0..3 {
        let token = sign_in(&http, &server.base, &format!("bk-{i}@example.com"), false).await;
        for o in orders_of(&http, &server.base, &token).await {
            *stored.entry(o["id"].as_i64().unwrap()).or_default() += 1;
        }
    }
    let missing: Vec<_> = before
        .iter()
        .filter(|id| !stored.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, not in it: {missing:?}"
    );
    let twice: Vec<_> = stored.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "orders listed more than once: {twice:?}");
    assert!(
        before.len() >= 150,
        "{} orders before the backup",
        before.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_and_restore_refuse_what_would_lose_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let live = format!("sqlite://{}", path("live.db"));
    let server = start(&live);

    let (ok, _, err) = openentry(&["backup", "--database-url", &live, "--to", &path("a.db")]);
    assert!(ok, "{err}");
    // A backup never overwrites a file.
    let (ok, _, err) = openentry(&["backup", "--database-url", &live, "--to", &path("a.db")]);
    assert!(!ok && err.contains("already exists"), "{err}");
    // PostgreSQL has its own tools, and the message names them.
    let pg = "postgres://postgres@127.0.0.1:5432/openentry";
    let (ok, _, err) = openentry(&["backup", "--database-url", pg, "--to", &path("p.db")]);
    assert!(
        !ok && err.contains("pg_dump -Fc") && err.contains("pg_restore"),
        "{err}"
    );

    // Not a database: refused, and nothing is left at the target.
    std::fs::write(path("notes.txt"), "not a database, only text ".repeat(200)).unwrap();
    let target = format!("sqlite://{}", path("new.db"));
    let (ok, _, err) = openentry(&[
        "restore",
        "--from",
        &path("notes.txt"),
        "--database-url",
        &target,
    ]);
    assert!(!ok && err.contains("is not a SQLite database"), "{err}");
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| {
        let name = e.unwrap().file_name();
        name != "new.db" && !name.to_string_lossy().ends_with(".partial")
    }));
    // A SQLite database that is not ours.
    rusqlite::Connection::open(path("other.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER)")
        .unwrap();
    let (ok, _, err) = openentry(&[
        "restore",
        "--from",
        &path("other.db"),
        "--database-url",
        &target,
    ]);
    assert!(!ok && err.contains("not an OpenEntry database"), "{err}");

    // An existing database is replaced only with --force, and never under a running server.
    let (ok, _, err) = openentry(&["restore", "--from", &path("a.db"), "--database-url", &live]);
    assert!(!ok && err.contains("--force"), "{err}");
    let (ok, _, err) = openentry(&[
        "restore",
        "--from",
        &path("a.db"),
        "--database-url",
        &live,
        "--force",
    ]);
    assert!(!ok && err.contains("stop it first"), "{err}");
    drop(server);
    let (ok, _, err) = openentry(&[
        "restore",
        "--from",
        &path("a.db"),
        "--database-url",
        &live,
        "--force",
    ]);
    assert!(ok, "{err}");
    assert!(!dir.path().join("live.db-wal").exists());
    start(&live);
}

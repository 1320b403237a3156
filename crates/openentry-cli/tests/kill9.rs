//! Acknowledged orders and sessions survive `kill -9` (docs/operations.md, "Crash matrix").
//!
//! A real `openentry serve` process takes createOrder at a fixed rate (open loop: a new order
//! every `1/rate` s whatever the server does), each order with its own `Idempotency-Key` and a
//! cart whose total depends on the key. A nemesis kills the server with SIGKILL, each time after
//! a different number of acknowledged orders (so kills land wherever the group commit happens to
//! be), checks the SQLite file's integrity and restarts it on the same database; after each
//! restart one user rotates its refresh token. A request that got no answer is retried with its
//! key on the next server. At the end every acknowledged order is there once with its total,
//! nothing else exists, and every session signed in before the kills still refreshes. On
//! PostgreSQL when `OPENENTRY_TEST_DATABASE_URL` is set.
//!
//! Bounded by default (5 kills at 100 orders/s); scripts/crash-matrix runs the full size with
//! `OPENENTRY_CRASH_KILLS` and `OPENENTRY_CRASH_RATE`. Kills are driven by counts of
//! acknowledgements, not by time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::time::Instant;

#[path = "common/crash.rs"]
mod crash;
#[path = "common/listening.rs"]
mod listening;
#[path = "common/load.rs"]
mod load;

use crash::{database, param, refresh, serve, sign_in};

const USERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_orders_survive_kill_9() {
    // reqwest's rustls needs a crypto provider before a client is built.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let kills = param("OPENENTRY_CRASH_KILLS", 5);
    let rate = param("OPENENTRY_CRASH_RATE", 100);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), "kill9").await;

    let mut server = serve(&db.url, None, 30_000);
    let http = reqwest::Client::new();
    let mut sessions = Vec::new();
    for i in 0..USERS {
        sessions.push(sign_in(&http, &server.base, &format!("k9-{i}@example.com")).await);
    }
    let mut running = load::start(&http, &sessions, vec![server.base.clone()], rate);
    let mut goal = 0;
    for round in 0..kills {
        // Different distances between kills, so they hit different points of a batch.
        goal += rate / 2 + 17 * round;
        running.until_acked(goal).await;
        drop(server); // SIGKILL
        db.integrity_ok();
        server = serve(&db.url, None, 30_000);
        running.retarget(vec![server.base.clone()]);
        // A rotation acknowledged between kills must survive the next one.
        refresh(&server.base, &mut sessions[round % USERS]).await;
    }
    let ledger = running.finish().await;

    let count = load::verify(&http, &server.base, &sessions, &ledger)
        .await
        .len();
    assert!(count >= goal, "{count} orders, {goal} expected");
    for s in &mut sessions {
        refresh(&server.base, s).await;
    }
    eprintln!(
        "kill9: {kills} kills at {rate} orders/s, {count} orders acknowledged, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    drop(server);
    db.integrity_ok();
    db.drop_pg().await;
}

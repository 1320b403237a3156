//! One of two nodes killed under load (docs/operations.md, "Crash matrix").
//!
//! Two `openentry serve` nodes share a PostgreSQL database; an open-loop order load is spread
//! over both. Before the second node starts, node A's relay has claimed a delivery that the
//! webhook receiver holds. Mid load A is killed with SIGKILL: its clients retry their keys on
//! B, and B takes the held delivery over once A's claim lease (1 s here) runs out. At the end
//! every acknowledged order is there once, every session signed in before still refreshes, and
//! every order's webhook arrived under one `webhook-id`, the held one twice (A's, then B's).
//!
//! In the PostgreSQL pass of the suite only (`OPENENTRY_TEST_DATABASE_URL`: several nodes need
//! PostgreSQL). `OPENENTRY_CRASH_RATE` (default 100) sizes it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::time::{Duration, Instant};

#[path = "common/crash.rs"]
mod crash;
#[path = "common/listening.rs"]
mod listening;
#[path = "common/load.rs"]
mod load;
#[path = "common/receiver.rs"]
mod receiver;

use crash::{create_order, database, param, pg_admin, project_file, refresh, serve, sign_in};

const USERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_orders_survive_a_node_kill() {
    if pg_admin().is_none() {
        eprintln!("crash_node_kill: runs in the PostgreSQL pass (OPENENTRY_TEST_DATABASE_URL)");
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rate = param("OPENENTRY_CRASH_RATE", 100);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), "crash_node_kill").await;
    let (receiver, url) = receiver::start(true).await;
    let mut arrivals = receiver.arrivals.subscribe();
    let project = project_file(dir.path(), &url);

    let a = serve(&db.url, Some(&project), 1000);
    let http = reqwest::Client::new();
    let mut sessions = Vec::new();
    for i in 0..USERS {
        sessions.push(sign_in(&http, &a.base, &format!("node-{i}@example.com")).await);
    }
    // A's relay is sending (B does not run yet): a delivery claimed by A, held.
    // (By a user of its own: the load's users hold only the load's orders.)
    let own = sign_in(&http, &a.base, "node-first@example.com").await;
    let first = create_order(&http, &a.base, &own.access).await;
    tokio::time::timeout(Duration::from_secs(30), arrivals.wait_for(|n| *n > 0))
        .await
        .expect("A's relay reached the receiver")
        .unwrap();
    let held = receiver.seen.lock().unwrap()[0].1;
    let b = serve(&db.url, Some(&project), 1000);
    let mut running = load::start(&http, &sessions, vec![a.base.clone(), b.base.clone()], rate);
    let goal = rate;
    running.until_acked(goal).await;
    drop(a); // SIGKILL mid load, deliveries in flight
    running.retarget(vec![b.base.clone()]);
    receiver.hold.send_replace(false);
    running.until_acked(goal + rate / 2).await;
    let ledger = running.finish().await;

    let mut orders = load::verify(&http, &b.base, &sessions, &ledger).await;
    orders.insert(first);
    for s in &mut sessions {
        refresh(&b.base, s).await;
    }
    let log = receiver::settled_log(&http, &b.base, orders.len()).await;
    receiver::check_deliveries(&receiver, &log, &orders);
    let (_, requests_of) = receiver.by_order();
    assert!(
        requests_of[&held] > 1,
        "B took over A's claimed delivery of order {held}"
    );
    eprintln!(
        "crash_node_kill: 1 of 2 nodes killed at {rate} orders/s, {} orders acknowledged, {:.1} s",
        orders.len(),
        started.elapsed().as_secs_f64()
    );
    drop(b);
    db.drop_pg().await;
}

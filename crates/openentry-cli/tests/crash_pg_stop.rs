//! PostgreSQL stopped with `pg_ctl stop -m immediate` under load on two nodes
//! (docs/operations.md, "Crash matrix").
//!
//! The test runs a PostgreSQL server of its own (the shared cluster stays up for the other
//! tests), two `openentry serve` nodes on it and an open-loop order load spread over both. Mid
//! load the database is stopped the hard way (every backend gone, no checkpoint), then started
//! again; the nodes are left running and must reconnect on their own. Requests answered 5xx in
//! between are retried with their `Idempotency-Key`. At the end every acknowledged order is
//! there once, every session signed in before still refreshes, and every order's
//! `order_created` webhook reached the receiver, under one `webhook-id`, logged sent.
//!
//! In the PostgreSQL pass of the suite only (`OPENENTRY_TEST_DATABASE_URL` set); it needs the
//! server binaries (`initdb`, `pg_ctl`) and fails saying so when they are missing.
//! `OPENENTRY_CRASH_PG_STOPS` (default 1) and `OPENENTRY_CRASH_RATE` (default 100) size it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::time::Instant;

#[path = "common/crash.rs"]
mod crash;
#[path = "common/listening.rs"]
mod listening;
#[path = "common/load.rs"]
mod load;
#[path = "common/pg_instance.rs"]
mod pg_instance;
#[path = "common/receiver.rs"]
mod receiver;

use crash::{param, pg_admin, project_file, refresh, serve, sign_in};

const USERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_orders_survive_pg_immediate_stop() {
    if pg_admin().is_none() {
        eprintln!("crash_pg_stop: runs in the PostgreSQL pass (OPENENTRY_TEST_DATABASE_URL)");
        return;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let stops = param("OPENENTRY_CRASH_PG_STOPS", 1);
    let rate = param("OPENENTRY_CRASH_RATE", 100);
    let started = Instant::now();
    let pg = pg_instance::PgInstance::start();
    let dir = tempfile::tempdir().unwrap();
    let (receiver, url) = receiver::start(false).await;
    let project = project_file(dir.path(), &url);
    let nodes = [
        serve(&pg.url(), Some(&project), 1000),
        serve(&pg.url(), Some(&project), 1000),
    ];
    let bases: Vec<String> = nodes.iter().map(|n| n.base.clone()).collect();

    let http = reqwest::Client::new();
    let mut sessions = Vec::new();
    for i in 0..USERS {
        let base = &bases[i % 2];
        sessions.push(sign_in(&http, base, &format!("pg-{i}@example.com")).await);
    }
    let mut running = load::start(&http, &sessions, bases.clone(), rate);
    let mut goal = 0;
    for round in 0..stops {
        goal += rate + 29 * round;
        running.until_acked(goal).await;
        pg.stop_immediate();
        pg.pg_ctl_start();
        // The nodes were not told: this only wakes up the requests waiting to retry.
        running.retarget(bases.clone());
        refresh(&bases[round % 2], &mut sessions[round % USERS]).await;
    }
    // Load goes on after the last restart, on both nodes.
    goal += rate;
    running.until_acked(goal).await;
    let ledger = running.finish().await;

    let orders = load::verify(&http, &bases[1], &sessions, &ledger).await;
    for (i, s) in sessions.iter_mut().enumerate() {
        refresh(&bases[i % 2], s).await;
    }
    let log = receiver::settled_log(&http, &bases[0], orders.len()).await;
    receiver::check_deliveries(&receiver, &log, &orders);
    eprintln!(
        "crash_pg_stop: {stops} immediate stops at {rate} orders/s on 2 nodes, \
         {} orders acknowledged, {:.1} s",
        orders.len(),
        started.elapsed().as_secs_f64()
    );
}

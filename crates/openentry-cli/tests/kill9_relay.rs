//! Events survive `kill -9` of the server while it delivers them (issue 14, acceptance).
//!
//! A real `openentry serve` process runs the relay in the background and posts each order's
//! `order_created` event to a receiver in this test. The receiver holds every request, so the
//! server is killed with SIGKILL in the middle of sending (claims taken, requests in flight,
//! outcomes not recorded). It restarts on the same database, takes more orders, and in the end
//! every order's event has arrived and the delivery log says sent for each, each event always
//! under its one `webhook-id` (the redelivery after the kill reuses it). Twice, on SQLite and,
//! when `OPENENTRY_TEST_DATABASE_URL` is set, on PostgreSQL.
//!
//! No sleeps but the bounded polls of the delivery log, another process's state.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::collections::BTreeSet;
use std::time::Duration;

#[path = "common/crash.rs"]
mod crash;
#[path = "common/listening.rs"]
mod listening;
#[path = "common/receiver.rs"]
mod receiver;

use crash::{create_order, database, project_file, serve, sign_in};

const ROUNDS: usize = 2;
const PER_ROUND: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_being_delivered_survive_kill_9() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), "kill9_relay").await;
    let (receiver, url) = receiver::start(true).await;
    let mut arrivals = receiver.arrivals.subscribe();
    let project = project_file(dir.path(), &url);

    let http = reqwest::Client::new();
    let mut server = serve(&db.url, Some(&project), 1000);
    let token = sign_in(&http, &server.base, "k9-relay@example.com")
        .await
        .access;
    let mut orders = BTreeSet::new();
    for _ in 0..ROUNDS {
        receiver.hold.send_replace(true);
        let before = *arrivals.borrow();
        for _ in 0..PER_ROUND {
            orders.insert(create_order(&http, &server.base, &token).await);
        }
        // The relay is sending: at least one request is in flight, held by the receiver.
        tokio::time::timeout(Duration::from_secs(30), arrivals.wait_for(|n| *n > before))
            .await
            .expect("the relay reached the receiver")
            .unwrap();
        drop(server); // SIGKILL mid-delivery
        server = serve(&db.url, Some(&project), 1000);
        receiver.hold.send_replace(false);
    }
    for _ in 0..PER_ROUND {
        orders.insert(create_order(&http, &server.base, &token).await);
    }

    let log = receiver::settled_log(&http, &server.base, orders.len()).await;
    receiver::check_deliveries(&receiver, &log, &orders);
    let (_, requests_of) = receiver.by_order();
    assert!(
        requests_of.values().any(|n| *n > 1),
        "a delivery in flight at a kill was sent again: {requests_of:?}"
    );
    drop(server);
    db.drop_pg().await;
}

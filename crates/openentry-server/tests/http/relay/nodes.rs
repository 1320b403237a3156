//! Several nodes share the work; a stuck receiver holds a pass, never checkout.

use std::collections::HashMap;

use super::*;

/// Two nodes run passes at the same time over 20 deliveries, claiming 3 at a time each, so
/// both route the same outbox rows and claim side by side: each event arrives once, and both
/// nodes did part of the work (on PostgreSQL through `SKIP LOCKED`, on SQLite through its one
/// writer).
#[tokio::test]
async fn two_nodes_deliver_each_event_once() {
    const ORDERS: usize = 20;
    let (r, url) = receiver().await;
    let a = TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.relay.allow_private_targets = true;
            c.relay.concurrency = 3;
            c.secrets
                .0
                .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
        },
        catalog_with_events(&url),
    )
    .await;
    let b = a
        .second_node_with(|c| {
            c.relay.interval = None;
            c.relay.allow_private_targets = true;
            c.relay.concurrency = 3;
            c.secrets
                .0
                .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
        })
        .await;
    for _ in 0..ORDERS {
        paid_order(&a).await;
    }
    let (mut by_a, mut by_b) = (0, 0);
    // Bounded: each round sends at least one delivery until none is left.
    for _ in 0..=ORDERS {
        let (x, y) = tokio::join!(pass(&a), pass(&b));
        by_a += x["sent"].as_u64().unwrap();
        by_b += y["sent"].as_u64().unwrap();
        if x["claimed"] == 0 && y["claimed"] == 0 && x["routed"] == 0 && y["routed"] == 0 {
            break;
        }
    }
    let got = r.got.lock().unwrap().clone();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for g in &got {
        *counts.entry(g.id.clone()).or_default() += 1;
    }
    assert_eq!(counts.len(), ORDERS, "{counts:?}");
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    assert_eq!(by_a + by_b, ORDERS as u64);
    assert!(by_a > 0 && by_b > 0, "a sent {by_a}, b sent {by_b}");
    b.stop().await;
}

/// Back-pressure: a receiver that accepts and never answers holds a relay pass, not checkout.
#[tokio::test]
async fn a_hanging_receiver_does_not_hold_up_checkout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let (held_tx, mut held) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        // Keep every connection open, unanswered.
        while let Ok((socket, _)) = listener.accept().await {
            let _ = held_tx.send(socket);
        }
    });
    let s = shop(&url, 8).await;
    paid_order(&s).await;
    let http = s.http.clone();
    let run = format!("{}/api/admin/relay/run", s.url);
    let admin = s.admin_token.clone();
    let stuck = tokio::spawn(async move { http.post(run).bearer_auth(admin).send().await });
    // The pass is now waiting on the receiver.
    let _socket = held.recv().await.unwrap();
    let more = tokio::time::timeout(std::time::Duration::from_secs(10), paid_order(&s)).await;
    assert!(more.is_ok(), "checkout waited for the webhook receiver");
    assert!(!stuck.is_finished());
    stuck.abort();
}

/// Without events a sender could deliver, the outbox is marked routed in one statement per
/// batch and nothing is queued.
#[tokio::test]
async fn without_webhook_events_the_outbox_is_routed_with_nothing_queued() {
    let s = TestServer::spawn_with(
        |c| c.relay.interval = None,
        openentry_testkit::test_catalog(),
    )
    .await;
    let t = s.user(&unique_email("quiet")).await;
    for _ in 0..3 {
        s.create_order(&t, "cash").await;
    }
    let report = pass(&s).await;
    // The sign-up's `user.signed_up` row and the three `order.created` rows.
    assert_eq!(report["routed"], 4, "{report}");
    assert_eq!(report["claimed"], 0, "{report}");
    assert_eq!(pass(&s).await["routed"], 0);
    assert!(log(&s).await.is_empty());
}

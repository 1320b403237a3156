//! Several nodes share the work; a stuck receiver holds a pass, never checkout.

use std::collections::HashMap;

use super::*;

#[tokio::test]
async fn two_nodes_deliver_each_event_once() {
    let (r, url) = receiver().await;
    let a = shop(&url, 8).await;
    let b = a
        .second_node_with(|c| {
            c.relay.interval = None;
            c.relay.allow_private_targets = true;
            c.relay.concurrency = 2;
            c.secrets
                .0
                .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
        })
        .await;
    for _ in 0..6 {
        paid_order(&a).await;
    }
    for _ in 0..6 {
        let (x, y) = tokio::join!(pass(&a), pass(&b));
        if x["claimed"] == 0 && y["claimed"] == 0 && x["routed"] == 0 && y["routed"] == 0 {
            break;
        }
    }
    let got = r.got.lock().unwrap().clone();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for g in &got {
        *counts.entry(g.id.clone()).or_default() += 1;
    }
    assert_eq!(counts.len(), 6, "{counts:?}");
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
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

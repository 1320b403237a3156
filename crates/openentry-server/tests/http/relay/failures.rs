//! Retries that end: dead letters and their replay, and a claim whose node died.

use super::*;

#[tokio::test]
async fn a_dead_delivery_is_replayed_from_the_admin_api() {
    let (r, url) = receiver().await;
    *r.fail.lock().unwrap() = 2;
    let s = shop(&url, 2).await;
    paid_order(&s).await;
    assert_eq!(pass(&s).await["retried"], 1);
    s.clock.advance_secs(3600);
    assert_eq!(pass(&s).await["dead"], 1);
    s.clock.advance_secs(24 * 3600);
    assert_eq!(pass(&s).await["claimed"], 0);
    let dead = s
        .admin(Method::GET, "/api/admin/deliveries?state=dead", None)
        .await;
    let id = dead.body[0]["id"].as_str().unwrap().to_owned();
    let again = s
        .admin(
            Method::POST,
            &format!("/api/admin/deliveries/{id}/replay"),
            None,
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["state"], "pending");
    assert_eq!(pass(&s).await["sent"], 1);
    let twice = s
        .admin(
            Method::POST,
            &format!("/api/admin/deliveries/{id}/replay"),
            None,
        )
        .await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    let missing = s
        .admin(Method::POST, "/api/admin/deliveries/nope/replay", None)
        .await;
    assert_eq!(missing.status, 404);
    let bad = s
        .admin(Method::GET, "/api/admin/deliveries?state=lost", None)
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(r.got.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_delivery_claimed_by_a_node_that_died_is_sent_after_its_lease() {
    let (r, url) = receiver().await;
    let s = shop(&url, 8).await;
    paid_order(&s).await;
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        s.database_url.clone(),
    ))
    .await
    .unwrap();
    let now = openentry_testkit::T0;
    // A node routes the outbox, claims the delivery and dies before it sends.
    assert_eq!(route_only(&db).await, 1);
    let claimed = openentry_store::deliveries::claim(&db, "dead-node", now, now.plus_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(pass(&s).await["claimed"], 0, "still leased");
    assert!(r.got.lock().unwrap().is_empty());
    s.clock.advance_secs(61);
    assert_eq!(pass(&s).await["sent"], 1);
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].id, claimed[0].id);
    let entry = log(&s).await.remove(0);
    assert_eq!(
        entry["attempts"], 2,
        "the dead node's claim counts as an attempt"
    );
    // The dead node's late answer changes nothing.
    let late = openentry_store::deliveries::Outcome {
        state: "dead",
        due_at: now,
        status: None,
        latency_ms: 0,
        error: Some("late".to_owned()),
    };
    let kept = openentry_store::deliveries::finish(&db, &got[0].id, "dead-node", 1, &late, now)
        .await
        .unwrap();
    assert!(!kept);
    assert_eq!(log(&s).await[0]["state"], "sent");
    db.close().await;
}

/// Routes the outbox without sending (what a node does before it claims), through the store.
async fn route_only(db: &openentry_store::Db) -> usize {
    let rows = openentry_store::deliveries::list_unrouted(db, 10)
        .await
        .unwrap();
    let mut n = 0;
    for row in rows {
        if row.kind.as_str() == "order.status" {
            let id = openentry_store::deliveries::delivery_id(
                row.id,
                "order_paid",
                "webhook",
                "backoffice",
            );
            let d = openentry_store::deliveries::NewDelivery {
                id,
                event: "order_paid".to_owned(),
                channel: "webhook".to_owned(),
                target: "backoffice".to_owned(),
                payload: "{}".to_owned(),
                user_id: None,
            };
            openentry_store::deliveries::route(db, row.id, &[d], openentry_testkit::T0)
                .await
                .unwrap();
            n += 1;
        } else {
            openentry_store::deliveries::route(db, row.id, &[], openentry_testkit::T0)
                .await
                .unwrap();
        }
    }
    n
}

/// Without the explicit allowance, loopback targets are refused (an address literal, and a
/// name that resolves to one), and nothing reaches the receiver.
#[tokio::test]
async fn loopback_targets_are_refused_unless_allowed() {
    let (r, url) = receiver().await;
    for target in [url.clone(), url.replace("127.0.0.1", "localhost")] {
        let s = TestServer::spawn_with(
            |c| {
                c.relay.interval = None;
                c.secrets
                    .0
                    .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
            },
            catalog_with_events(&target),
        )
        .await;
        paid_order(&s).await;
        assert_eq!(pass(&s).await["retried"], 1);
        let entry = log(&s).await.remove(0);
        let error = entry["lastError"].as_str().unwrap();
        assert!(
            error.contains("not a public address") || error.contains("non-public"),
            "{error}"
        );
        assert_eq!(entry["lastStatus"], Value::Null);
    }
    assert!(r.got.lock().unwrap().is_empty());
}

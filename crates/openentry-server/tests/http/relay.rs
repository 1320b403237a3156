//! The event relay and outgoing webhooks (issue 14): an order reaching `paid` fires the
//! project's `order_paid` event, the relay signs it per Standard Webhooks and posts it to a
//! receiver running in the test; retries with backoff, dead letters, replay, leases of dead
//! nodes and two nodes sharing the work. The background pass is off: the test runs passes
//! through the admin API and moves the manual clock.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use openentry_domain::clock::Clock;
use openentry_server::ProjectSource;
use openentry_server::relay::sign::signature;
use openentry_testkit::{TestServer, unique_email};
use reqwest::Method;
use serde_json::{Value, json};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

#[derive(Debug, Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Got>>>,
    /// Requests still to answer with 500.
    fail: Arc<Mutex<usize>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    r.got.lock().unwrap().push(Got {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp"),
        signature: h("webhook-signature"),
        body,
    });
    let mut fail = r.fail.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::NO_CONTENT
    }
}

/// A receiver on 127.0.0.1:0; returns it and its URL.
async fn receiver() -> (Receiver, String) {
    let r = Receiver::default();
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (r, url)
}

fn catalog_with_events(url: &str) -> ProjectSource {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openentry-testkit/fixtures/test-catalog.toml"
    ))
    .unwrap();
    let text = format!(
        r#"{base}
[[events]]
identifier = "order_paid"
module = "orders"
condition = "order_status"
storage = "orders"
status = "paid"
channels = ["webhook"]

[[webhooks]]
identifier = "backoffice"
url = "{url}"
secret_env = "BACKOFFICE_WEBHOOK_SECRET"
events = ["order_paid"]
"#
    );
    let dir = tempfile::tempdir().unwrap().keep();
    let file = dir.join("events.toml");
    std::fs::write(&file, text).unwrap();
    ProjectSource::File(file)
}

async fn shop(url: &str, max_attempts: i64) -> TestServer {
    TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.relay.allow_private_targets = true;
            c.relay.max_attempts = max_attempts;
            c.secrets
                .0
                .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
        },
        catalog_with_events(url),
    )
    .await
}

async fn paid_order(s: &TestServer) -> i64 {
    let t = s.user(&unique_email("relay")).await;
    let id = s.create_order(&t, "cash").await;
    let path = format!("/api/admin/orders/{id}/status");
    let r = s
        .admin(
            Method::PUT,
            &path,
            Some(json!({"statusIdentifier": "paid"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

async fn pass(s: &TestServer) -> Value {
    let r = s.admin(Method::POST, "/api/admin/relay/run", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

async fn log(s: &TestServer) -> Vec<Value> {
    let r = s.admin(Method::GET, "/api/admin/deliveries", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_paid_order_reaches_the_webhook_signed_once() {
    let (r, url) = receiver().await;
    let s = shop(&url, 8).await;
    let id = paid_order(&s).await;
    let report = pass(&s).await;
    assert_eq!(report["sent"], 1, "{report}");
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let g = &got[0];
    let ts: i64 = g.timestamp.parse().unwrap();
    assert_eq!(ts, openentry_testkit::T0.unix_secs());
    assert_eq!(g.signature, signature(SECRET, &g.id, ts, &g.body).unwrap());
    let body: Value = serde_json::from_str(&g.body).unwrap();
    assert_eq!(body["type"], "order_paid");
    assert_eq!(body["data"]["kind"], "order.status");
    assert_eq!(body["data"]["aggregateId"], id);
    assert_eq!(body["data"]["storage"], "orders");
    assert_eq!(body["data"]["event"]["detail"]["to"], "paid");
    // Nothing else is due: the order's creation fires no event of this project.
    assert_eq!(pass(&s).await["claimed"], 0);
    let entries = log(&s).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], g.id.as_str());
    assert_eq!(entries[0]["state"], "sent");
    assert_eq!(entries[0]["lastStatus"], 204);
    assert_eq!(entries[0]["attempts"], 1);
    for (query, n) in [
        ("event=order_paid", 1),
        ("event=other", 0),
        ("target=backoffice", 1),
        ("state=sent&target=elsewhere", 0),
    ] {
        let r = s
            .admin(Method::GET, &format!("/api/admin/deliveries?{query}"), None)
            .await;
        assert_eq!(r.body.as_array().unwrap().len(), n, "{query}");
    }
}

#[tokio::test]
async fn a_receiver_failing_five_times_gets_the_event_again_with_the_same_id() {
    let (r, url) = receiver().await;
    *r.fail.lock().unwrap() = 5;
    let s = shop(&url, 8).await;
    paid_order(&s).await;
    let mut delays = Vec::new();
    for _ in 0..5 {
        assert_eq!(pass(&s).await["retried"], 1);
        let entry = log(&s).await.remove(0);
        assert_eq!(entry["state"], "pending");
        assert_eq!(entry["lastStatus"], 500);
        assert_eq!(entry["lastError"], "HTTP 500");
        // Not due before its backoff ends.
        assert_eq!(pass(&s).await["claimed"], 0);
        let due = time::OffsetDateTime::parse(
            entry["dueAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let now = s.clock.now().unix_secs();
        let wait = due.unix_timestamp() - now + 1;
        delays.push(wait);
        s.clock.advance_secs(wait);
    }
    assert_eq!(pass(&s).await["sent"], 1);
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 6);
    assert!(got.iter().all(|g| g.id == got[0].id));
    // Exponential: each wait is at least the previous step (base 10 s, equal jitter).
    for (i, w) in delays.iter().enumerate() {
        let step = 10_i64 << i;
        assert!(
            (step / 2..=step + 1).contains(w),
            "attempt {i}: waited {w} s"
        );
    }
    assert_eq!(log(&s).await[0]["state"], "sent");
}

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

#[tokio::test]
async fn subscriptions_are_per_user_and_checked_against_the_project() {
    let (_r, url) = receiver().await;
    let s = TestServer::spawn_with(|_| {}, catalog_with_product_events(&url)).await;
    let t = s.user(&unique_email("subs")).await;
    let other = s.user(&unique_email("subs-other")).await;
    let body = json!({"productId": 15, "locale": "en_US"});
    let r = s
        .post(
            "/api/content/events/subscribe/marker/back",
            Some(&t),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body, json!(true));
    let r = s
        .post(
            "/api/content/events/subscribe/marker/order_paid",
            Some(&t),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = s
        .post(
            "/api/content/events/subscribe/marker/back",
            Some(&t),
            json!({"productId": 424242}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let mine = s.get("/api/content/events/subscriptions", Some(&t)).await;
    assert_eq!(
        mine.body,
        json!({"total": 1, "items": [{"eventMarker": "back", "productId": 15}]})
    );
    let theirs = s
        .get("/api/content/events/subscriptions", Some(&other))
        .await;
    assert_eq!(theirs.body, json!({"total": 0, "items": []}));
    let anon = s.get("/api/content/events/subscriptions", None).await;
    assert_eq!(anon.status, 401);
}

fn catalog_with_product_events(url: &str) -> ProjectSource {
    let ProjectSource::File(file) = catalog_with_events(url) else {
        unreachable!()
    };
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        r#"
[[events]]
identifier = "back"
module = "catalog"
condition = "back_in_stock"
recipients = ["subscribers"]
channels = ["email"]
[events.messages.en_US]
subject = "{{product.title}} is back"
"#,
    );
    std::fs::write(&file, text).unwrap();
    ProjectSource::File(file)
}

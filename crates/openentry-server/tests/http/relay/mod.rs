//! The event relay and outgoing webhooks (issue 14): an order reaching `paid` fires the
//! project's `order_paid` event, the relay signs it per Standard Webhooks and posts it to a
//! receiver running in the test; retries with backoff, dead letters, replay, leases of dead
//! nodes and two nodes sharing the work. The background pass is off: the test runs passes
//! through the admin API and moves the manual clock.

mod catalog;
mod email;
mod email_codes;
mod email_tls;
mod failures;
mod fake_fcm;
mod forms;
mod nodes;
mod pg_restart;
mod push;
mod push_catalog;
mod retention;
mod subscriptions;
mod upgrade;

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

pub(super) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One request the receiver got.
#[derive(Debug, Clone)]
pub(super) struct Got {
    pub(super) id: String,
    pub(super) timestamp: String,
    pub(super) signature: String,
    pub(super) body: String,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Receiver {
    pub(super) got: Arc<Mutex<Vec<Got>>>,
    /// Requests still to answer with 500.
    pub(super) fail: Arc<Mutex<usize>>,
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
pub(super) async fn receiver() -> (Receiver, String) {
    let r = Receiver::default();
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (r, url)
}

pub(super) fn catalog_with_events(url: &str) -> ProjectSource {
    openentry_testkit::test_catalog_with(&format!(
        r#"
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
    ))
}

pub(super) async fn shop(url: &str, max_attempts: i64) -> TestServer {
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

pub(super) async fn paid_order(s: &TestServer) -> i64 {
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

pub(super) async fn pass(s: &TestServer) -> Value {
    let r = s.admin(Method::POST, "/api/admin/relay/run", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

pub(super) async fn log(s: &TestServer) -> Vec<Value> {
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

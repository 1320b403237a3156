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

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::watch;

#[path = "common/listening.rs"]
mod listening;

const BIN: &str = env!("CARGO_BIN_EXE_openentry");
const APP_TOKEN: &str = "kill9-relay-app-token";
const ADMIN_TOKEN: &str = "kill9-relay-admin-token";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const ROUNDS: usize = 2;
const PER_ROUND: usize = 6;

struct Server {
    child: Child,
    base: String,
}

fn start(database_url: &str, project: &std::path::Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--project")
        .arg(project)
        .args(["--database-url", database_url, "--app-token", APP_TOKEN])
        .args(["--admin-token", ADMIN_TOKEN])
        .env("OPENENTRY_ARGON2_M_KIB", "256")
        .env("OPENENTRY_ARGON2_T", "1")
        .env("BACKOFFICE_WEBHOOK_SECRET", SECRET)
        .env("OPENENTRY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")
        .env("OPENENTRY_RELAY_INTERVAL_MS", "20")
        .env("OPENENTRY_RELAY_LEASE_MS", "1000")
        .env("OPENENTRY_RELAY_BACKOFF_BASE_MS", "20")
        .env("OPENENTRY_RELAY_BACKOFF_MAX_MS", "200")
        .env("OPENENTRY_WEBHOOK_TIMEOUT_MS", "60000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = listening::base_url(&mut child);
    Server { child, base }
}

/// SIGKILL when dropped: no shutdown, and no process left behind by a failing test.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The receiver: records `(webhook-id, order id)` of every request as it arrives, and holds
/// requests while `hold` is set.
#[derive(Clone)]
struct Receiver {
    hold: watch::Receiver<bool>,
    arrived: watch::Sender<usize>,
    seen: Arc<Mutex<Vec<(String, i64)>>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_str(&body).unwrap_or_default();
    let order = body["data"]["aggregateId"].as_i64().unwrap_or_default();
    r.seen.lock().unwrap().push((id, order));
    r.arrived.send_modify(|n| *n += 1);
    let mut hold = r.hold.clone();
    let _ = hold.wait_for(|h| !*h).await;
    StatusCode::NO_CONTENT
}

fn project_file(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openentry-testkit/fixtures/test-catalog.toml"
    ))
    .unwrap();
    let file = dir.join("relay.toml");
    std::fs::write(
        &file,
        format!(
            r#"{base}
[[events]]
identifier = "order_in"
module = "orders"
condition = "order_created"
channels = ["webhook"]

[[webhooks]]
identifier = "backoffice"
url = "{url}"
secret_env = "BACKOFFICE_WEBHOOK_SECRET"
events = ["order_in"]
"#
        ),
    )
    .unwrap();
    file
}

async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let url = |a: &str| format!("{base}/api/content/users-auth-providers/marker/email/users/{a}");
    let body = json!({"authData": [
        {"marker": "email_reg", "value": "k9-relay@example.com"},
        {"marker": "password_reg", "value": "correct horse battery"}]});
    let up = http
        .post(url("sign-up"))
        .header("x-app-token", APP_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(up.status().is_success(), "{}", up.text().await.unwrap());
    let r: Value = http
        .post(url("auth"))
        .header("x-app-token", APP_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["accessToken"].as_str().unwrap().to_owned()
}

async fn create_order(http: &reqwest::Client, base: &str, token: &str) -> i64 {
    let body = json!({"formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "K9"}]},
        "products": [{"productId": 15, "quantity": 1}]});
    let r = http
        .post(format!("{base}{ORDERS}"))
        .header("x-app-token", APP_TOKEN)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let v: Value = r.json().await.unwrap();
    v["id"].as_i64().unwrap()
}

/// The delivery log once every delivery is sent (polled: the server records an outcome after
/// the receiver's answer), or what it was at the deadline.
async fn settled_log(http: &reqwest::Client, base: &str, expected: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log: Vec<Value> = http
            .get(format!("{base}/api/admin/deliveries?limit=1000"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let sent = log.iter().filter(|d| d["state"] == "sent").count();
        if sent == expected || Instant::now() > deadline {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // a scenario reads top to bottom
async fn events_being_delivered_survive_kill_9() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    #[allow(clippy::disallowed_methods)] // configuration: the environment chooses the database
    let pg = std::env::var("OPENENTRY_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let (database_url, pg_name) = match &pg {
        Some(admin) => {
            let name = format!("oe_kill9_relay_{}", std::process::id());
            let url = openentry_store::testdb::create_postgres(admin, &name)
                .await
                .unwrap();
            (url, Some(name))
        }
        None => (
            format!("sqlite://{}", dir.path().join("relay.db").display()),
            None,
        ),
    };

    let (hold_tx, hold) = watch::channel(true);
    let (arrived, mut arrivals) = watch::channel(0_usize);
    let receiver = Receiver {
        hold,
        arrived,
        seen: Arc::default(),
    };
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let project = project_file(dir.path(), &url);

    let http = reqwest::Client::new();
    let mut server = start(&database_url, &project);
    let token = sign_in(&http, &server.base).await;
    let mut orders = BTreeSet::new();
    for _ in 0..ROUNDS {
        hold_tx.send_replace(true);
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
        server = start(&database_url, &project);
        hold_tx.send_replace(false);
    }
    for _ in 0..PER_ROUND {
        orders.insert(create_order(&http, &server.base, &token).await);
    }

    let log = settled_log(&http, &server.base, orders.len()).await;
    let states: Vec<&str> = log.iter().map(|d| d["state"].as_str().unwrap()).collect();
    assert_eq!(
        log.len(),
        orders.len(),
        "one delivery per order: {states:?}"
    );
    assert!(states.iter().all(|s| *s == "sent"), "{states:?}");

    let seen = receiver.seen.lock().unwrap().clone();
    let mut ids_of: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    let mut requests_of: BTreeMap<i64, usize> = BTreeMap::new();
    for (id, order) in &seen {
        ids_of.entry(*order).or_default().insert(id.clone());
        *requests_of.entry(*order).or_default() += 1;
    }
    let delivered: BTreeSet<i64> = ids_of.keys().copied().collect();
    assert_eq!(delivered, orders, "every order's event arrived");
    assert!(
        ids_of.values().all(|ids| ids.len() == 1),
        "one webhook-id per event: {ids_of:?}"
    );
    let logged: BTreeSet<&str> = log.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let received: BTreeSet<&str> = ids_of.values().flatten().map(String::as_str).collect();
    assert_eq!(logged, received);
    assert!(
        requests_of.values().any(|n| *n > 1),
        "a delivery in flight at a kill was sent again: {requests_of:?}"
    );

    drop(server);
    if let (Some(admin), Some(name)) = (pg, pg_name) {
        openentry_store::testdb::drop_postgres(&admin, &name)
            .await
            .unwrap();
    }
}

//! Acknowledged orders survive `kill -9` (docs/operations.md, "SQLite": durability; run small).
//!
//! A real `openentry serve` process takes createOrder from 8 clients, each order with its own
//! `Idempotency-Key` and a cart whose total depends on the key. A nemesis kills the server with
//! SIGKILL five times, each time after a different number of acknowledged orders (so kills land
//! wherever the group commit happens to be), checks the SQLite file's integrity and restarts it
//! on the same database. A client whose request got no answer retries the same key on the next
//! server. At the end every acknowledged order is there with its total, every key made exactly
//! one order, and nothing else exists. On PostgreSQL when `OPENENTRY_TEST_DATABASE_URL` is set.
//!
//! No sleeps: kills are driven by counts of acknowledgements, and a client whose server is gone
//! waits for the nemesis to announce the next one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::sync::watch;

#[path = "common/listening.rs"]
mod listening;

const BIN: &str = env!("CARGO_BIN_EXE_openentry");
const APP_TOKEN: &str = "kill9-app-token";
const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const CLIENTS: usize = 8;
const USERS: usize = 4;
const KILLS: usize = 5;

/// A running server process and its base URL.
struct Server {
    child: Child,
    base: String,
}

fn start(database_url: &str) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .args(["--database-url", database_url, "--app-token", APP_TOKEN])
        .env("OPENENTRY_ARGON2_M_KIB", "256")
        .env("OPENENTRY_ARGON2_T", "1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = listening::base_url(&mut child);
    Server { child, base }
}

impl Server {
    /// SIGKILL: no shutdown, no flush, no goodbye.
    fn kill(self) {
        drop(self);
    }
}

/// A server is killed when dropped, so a failing test leaves no process behind.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn integrity_ok(file: &Path) {
    let conn = rusqlite::Connection::open(file).unwrap();
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(verdict, "ok");
}

/// The server everyone should talk to now, and how many times it was started.
#[derive(Clone, Debug)]
struct Current {
    base: String,
    generation: u64,
}

#[derive(Debug, Default)]
struct Ledger {
    /// key → (order id, total) as acknowledged.
    acked: BTreeMap<String, (i64, String)>,
    /// Answers other than 2xx (none are expected: a killed server gives no answer at all).
    refused: Vec<String>,
}

/// A total as exact text: createOrder answers a number (`579.7`), stored orders a string
/// (`"579.70"`) — a wire quirk of the platform.
fn amount(v: &Value) -> String {
    let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

async fn sign_in(http: &reqwest::Client, base: &str, i: usize) -> String {
    let url = |a: &str| format!("{base}/api/content/users-auth-providers/marker/email/users/{a}");
    let body = json!({"authData": [
        {"marker": "email_reg", "value": format!("k9-{i}@example.com")},
        {"marker": "password_reg", "value": "correct horse battery"}]});
    for action in ["sign-up", "auth"] {
        let r = http
            .post(url(action))
            .header("x-app-token", APP_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "{action}: {}",
            r.text().await.unwrap()
        );
        if action == "auth" {
            let v: Value = r.json().await.unwrap();
            return v["accessToken"].as_str().unwrap().to_owned();
        }
    }
    unreachable!()
}

/// One try of a request: its status and body, or `None` when the server gave no answer.
async fn send(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> Option<(reqwest::StatusCode, Vec<u8>)> {
    let r = http
        .post(format!("{base}{ORDERS}"))
        .header("x-app-token", APP_TOKEN)
        .header("Idempotency-Key", key)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .ok()?;
    let status = r.status();
    r.bytes().await.ok().map(|b| (status, b.to_vec()))
}

/// One client: creates orders with fresh keys until told to stop; a key without an answer is
/// retried, on the next server if this one is gone, until it gets one. Every key is sent
/// twice at once: the second is usually answered as a replay of the first, and a replay is an
/// acknowledgement like any other (it must never come before the order is durable).
async fn client(
    id: usize,
    token: String,
    now: watch::Receiver<Current>,
    stop: watch::Receiver<bool>,
    ledger: Arc<Mutex<Ledger>>,
    acks: watch::Sender<usize>,
) {
    let http = reqwest::Client::new();
    let mut now = now;
    for n in 0.. {
        if *stop.borrow() {
            return;
        }
        let key = format!("k9-{id}-{n}");
        // The total depends on the key, so a mix-up would show.
        let body = json!({"formIdentifier": "order", "paymentAccountIdentifier": "cash",
            "formData": {"en_US": [{"type": "string", "marker": "name", "value": "K9"}]},
            "products": [{"productId": 15, "quantity": 1 + n % 4},
                         {"productId": 16, "quantity": 1 + id % 3}]});
        loop {
            let current = now.borrow().clone();
            let (first, twin) = tokio::join!(
                send(&http, &current.base, &token, &key, &body),
                send(&http, &current.base, &token, &key, &body)
            );
            let mut answered = false;
            for answer in [first, twin].into_iter().flatten() {
                let (status, body) = answer;
                if status.is_success() {
                    let v: Value = serde_json::from_slice(&body).unwrap();
                    let order = (v["id"].as_i64().unwrap(), amount(&v["totalSum"]));
                    let mut l = ledger.lock().unwrap();
                    match l.acked.insert(key.clone(), order.clone()) {
                        // Kills are placed by acknowledged keys, replays included.
                        None => acks.send_modify(|n| *n += 1),
                        Some(before) if before != order => l
                            .refused
                            .push(format!("{key}: answered {before:?} and {order:?}")),
                        Some(_) => {}
                    }
                    drop(l);
                    answered = true;
                } else if status == reqwest::StatusCode::CONFLICT {
                    // The twin is still in flight: the other answer (or the retry) decides.
                } else {
                    let text = String::from_utf8_lossy(&body).into_owned();
                    let mut l = ledger.lock().unwrap();
                    l.refused.push(format!("{key}: {status} {text}"));
                    answered = true;
                }
            }
            if answered {
                break;
            }
            // No answer (killed mid-request): same key, on the next server.
            now.wait_for(|c| c.generation > current.generation)
                .await
                .unwrap();
        }
    }
}

async fn orders_of(http: &reqwest::Client, base: &str, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let page: Value = http
            .get(format!("{base}{ORDERS}?limit=100&offset={}", out.len()))
            .header("x-app-token", APP_TOKEN)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            return out;
        }
        out.extend(items);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn acknowledged_orders_survive_kill_9() {
    // reqwest's rustls needs a crypto provider before a client is built.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k9.db");
    #[allow(clippy::disallowed_methods)] // configuration: the environment chooses the database
    let pg = std::env::var("OPENENTRY_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let (database_url, pg_name) = match &pg {
        Some(admin) => {
            let name = format!("oe_kill9_{}", std::process::id());
            let url = openentry_store::testdb::create_postgres(admin, &name)
                .await
                .unwrap();
            (url, Some(name))
        }
        None => (format!("sqlite://{}", file.display()), None),
    };

    let mut server = start(&database_url);
    let http = reqwest::Client::new();
    let mut tokens = Vec::new();
    for i in 0..USERS {
        tokens.push(sign_in(&http, &server.base, i).await);
    }
    let (now_tx, now_rx) = watch::channel(Current {
        base: server.base.clone(),
        generation: 0,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let (acks_tx, mut acks_rx) = watch::channel(0_usize);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            tokio::spawn(client(
                id,
                tokens[id % USERS].clone(),
                now_rx.clone(),
                stop_rx.clone(),
                Arc::clone(&ledger),
                acks_tx.clone(),
            ))
        })
        .collect();

    let mut target = 0;
    for round in 0..KILLS {
        // Different distances between kills, so they hit different points of a batch.
        target += 60 + 37 * round;
        acks_rx.wait_for(|n| *n >= target).await.unwrap();
        server.kill();
        if pg.is_none() {
            integrity_ok(&file);
        }
        server = start(&database_url);
        now_tx.send_modify(|c| {
            c.base = server.base.clone();
            c.generation += 1;
        });
    }
    stop_tx.send_replace(true);
    for c in clients {
        c.await.unwrap();
    }

    // What the database holds now is exactly what was acknowledged.
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(ledger.refused.is_empty(), "refused: {:?}", ledger.refused);
    let acked: BTreeMap<i64, String> = ledger.acked.values().cloned().collect();
    assert_eq!(
        acked.len(),
        ledger.acked.len(),
        "two keys were answered with one order"
    );
    let mut stored = BTreeMap::new();
    for token in &tokens {
        for o in orders_of(&http, &server.base, token).await {
            stored.insert(o["id"].as_i64().unwrap(), amount(&o["totalSum"]));
        }
    }
    let missing: BTreeSet<_> = acked.keys().filter(|id| !stored.contains_key(id)).collect();
    assert!(missing.is_empty(), "acknowledged orders lost: {missing:?}");
    let extra: BTreeSet<_> = stored.keys().filter(|id| !acked.contains_key(id)).collect();
    assert!(extra.is_empty(), "orders nobody was told about: {extra:?}");
    assert_eq!(stored, acked, "totals changed");
    assert!(
        acked.len() >= target,
        "{} orders, {target} expected",
        acked.len()
    );

    server.kill();
    if pg.is_none() {
        integrity_ok(&file);
    }
    if let (Some(admin), Some(name)) = (pg, pg_name) {
        openentry_store::testdb::drop_postgres(&admin, &name)
            .await
            .unwrap();
    }
}

//! Open-loop order load for the crash tests: a new order every `1/rate` s whatever the servers
//! do (paced by `tokio::time::interval`), each under its own `Idempotency-Key` and retried with
//! that key until some server answers it. A ledger keeps what was acknowledged, and `verify`
//! checks that the servers hold exactly that.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::crash::{APP_TOKEN, ORDERS, Session, amount, orders_of};

/// The servers clients should talk to now; `generation` grows on every change.
#[derive(Clone, Debug)]
pub struct Target {
    pub bases: Vec<String>,
    pub generation: u64,
}

#[derive(Debug, Default)]
pub struct Ledger {
    /// key → (order id, total) as acknowledged.
    pub acked: BTreeMap<String, (i64, String)>,
    /// Answers no retry can change (none are expected).
    pub refused: Vec<String>,
    /// Requests without an answer or answered 5xx/409, each retried.
    pub retries: usize,
}

/// What a load needs; cheap to clone into each order's task.
#[derive(Clone)]
pub struct Load {
    pub target: watch::Receiver<Target>,
    pub sessions: Vec<Session>,
    pub ledger: Arc<Mutex<Ledger>>,
    pub acks: watch::Sender<usize>,
    pub http: reqwest::Client,
}

/// One try of a request: its status and body, or `None` when the server gave no answer.
async fn send(
    load: &Load,
    base: &str,
    token: &str,
    key: &str,
    body: &Value,
) -> Option<(u16, Vec<u8>)> {
    let r = load
        .http
        .post(format!("{base}{ORDERS}"))
        .header("x-app-token", APP_TOKEN)
        .header("Idempotency-Key", key)
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .ok()?;
    let status = r.status().as_u16();
    r.bytes().await.ok().map(|b| (status, b.to_vec()))
}

/// Records an answer; true when it settles the key.
fn record(load: &Load, key: &str, status: u16, body: &[u8]) -> bool {
    let mut l = load.ledger.lock().unwrap();
    if (200..300).contains(&status) {
        let v: Value = serde_json::from_slice(body).unwrap();
        let order = (v["id"].as_i64().unwrap(), amount(&v["totalSum"]));
        match l.acked.insert(key.to_owned(), order.clone()) {
            None => load.acks.send_modify(|n| *n += 1),
            Some(before) if before != order => l
                .refused
                .push(format!("{key}: answered {before:?} and {order:?}")),
            Some(_) => {}
        }
        return true;
    }
    // 409: the twin is in flight; 5xx: the database is away (the request rolled back).
    if status == 409 || status >= 500 {
        return false;
    }
    let text = String::from_utf8_lossy(body);
    l.refused.push(format!("{key}: {status} {text}"));
    true
}

/// Order `n`: sent until answered, to the servers in turn. Every fourth key is sent twice at
/// once: the second is usually answered as a replay of the first, and a replay is an
/// acknowledgement like any other (it must never come before the order is durable).
async fn order(load: Load, n: usize) {
    let session = &load.sessions[n % load.sessions.len()];
    let key = format!("crash-{n}");
    // The total depends on the key, so a mix-up would show.
    let body = json!({"formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Crash"}]},
        "products": [{"productId": 15, "quantity": 1 + n % 4},
                     {"productId": 16, "quantity": 1 + n / 4 % 3}]});
    let mut target = load.target.clone();
    for attempt in n.. {
        let now = target.borrow_and_update().clone();
        let base = &now.bases[attempt % now.bases.len()];
        let answers = if n.is_multiple_of(4) {
            let (a, b) = tokio::join!(
                send(&load, base, &session.access, &key, &body),
                send(&load, base, &session.access, &key, &body)
            );
            vec![a, b]
        } else {
            vec![send(&load, base, &session.access, &key, &body).await]
        };
        let mut settled = false;
        for (status, body) in answers.into_iter().flatten() {
            settled |= record(&load, &key, status, &body);
        }
        if settled {
            return;
        }
        // No answer, or the database away: the next server, or the same one a bit later.
        load.ledger.lock().unwrap().retries += 1;
        tokio::select! {
            _ = target.changed() => {}
            () = tokio::time::sleep(Duration::from_millis(50)) => {} // retry backoff
        }
    }
}

/// Orders waiting for an answer at most; ticks beyond it are skipped.
const MAX_IN_FLIGHT: usize = 256;

/// Creates orders at `rate` per second until `stop`, then waits for every one to be answered.
/// Returns how many were started.
pub async fn run(load: Load, rate: usize, stop: watch::Receiver<bool>) -> usize {
    let mut stop = stop;
    let mut tasks = JoinSet::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1) / u32::try_from(rate).unwrap());
    let mut n = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                // The generator's own bound: a server slower than the rate (a debug build on a
                // busy machine) would otherwise pile up connections until it sheds them.
                while let Some(done) = tasks.try_join_next() {
                    done.unwrap();
                }
                if tasks.len() < MAX_IN_FLIGHT {
                    tasks.spawn(order(load.clone(), n));
                    n += 1;
                }
            }
            _ = stop.wait_for(|s| *s) => break,
        }
    }
    let all = async { while tasks.join_next().await.transpose().unwrap().is_some() {} };
    tokio::time::timeout(Duration::from_secs(120), all)
        .await
        .expect("every order answered after the last restart");
    n
}

/// What `base` holds now is exactly what was acknowledged: every acknowledged order once,
/// with its total, and nothing else. Returns the acknowledged orders' ids.
pub async fn verify(
    http: &reqwest::Client,
    base: &str,
    sessions: &[Session],
    ledger: &Arc<Mutex<Ledger>>,
) -> BTreeSet<i64> {
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(ledger.refused.is_empty(), "refused: {:?}", ledger.refused);
    let acked: BTreeMap<i64, String> = ledger.acked.values().cloned().collect();
    assert_eq!(
        acked.len(),
        ledger.acked.len(),
        "two keys were answered with one order"
    );
    let mut stored = BTreeMap::new();
    for s in sessions {
        for o in orders_of(http, base, &s.access).await {
            let id = o["id"].as_i64().unwrap();
            assert!(
                stored.insert(id, amount(&o["totalSum"])).is_none(),
                "order {id} twice"
            );
        }
    }
    let missing: BTreeSet<_> = acked.keys().filter(|id| !stored.contains_key(id)).collect();
    assert!(missing.is_empty(), "acknowledged orders lost: {missing:?}");
    let extra: BTreeSet<_> = stored.keys().filter(|id| !acked.contains_key(id)).collect();
    assert!(extra.is_empty(), "orders nobody was told about: {extra:?}");
    assert_eq!(stored, acked, "totals changed");
    eprintln!(
        "crash: {} orders acknowledged, {} retries",
        acked.len(),
        ledger.retries
    );
    acked.into_keys().collect()
}

/// A load running in the background, and the handles to steer it.
pub struct Running {
    target: watch::Sender<Target>,
    stop: watch::Sender<bool>,
    pub acked: watch::Receiver<usize>,
    pub ledger: Arc<Mutex<Ledger>>,
    task: tokio::task::JoinHandle<usize>,
}

/// Starts orders at `rate` per second for `sessions`' users, spread over `bases`.
pub fn start(
    http: &reqwest::Client,
    sessions: &[Session],
    bases: Vec<String>,
    rate: usize,
) -> Running {
    let (target_tx, target) = watch::channel(Target {
        bases,
        generation: 0,
    });
    let (stop_tx, stop) = watch::channel(false);
    let (acks, acked) = watch::channel(0_usize);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let load = Load {
        target,
        sessions: sessions.to_vec(),
        ledger: Arc::clone(&ledger),
        acks,
        http: http.clone(),
    };
    Running {
        target: target_tx,
        stop: stop_tx,
        acked,
        ledger,
        task: tokio::spawn(run(load, rate, stop)),
    }
}

impl Running {
    /// From now on, orders (new ones and retries) go to `bases`.
    pub fn retarget(&self, bases: Vec<String>) {
        self.target.send_modify(|t| {
            t.bases = bases;
            t.generation += 1;
        });
    }

    /// Waits until `n` orders are acknowledged.
    pub async fn until_acked(&mut self, n: usize) {
        self.acked.wait_for(|a| *a >= n).await.unwrap();
    }

    /// Stops starting orders and waits until every started one is answered.
    pub async fn finish(self) -> Arc<Mutex<Ledger>> {
        self.stop.send_replace(true);
        self.task.await.unwrap();
        self.ledger
    }
}

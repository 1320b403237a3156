//! A webhook receiver for the crash tests: records `(webhook-id, order id)` of every request as
//! it arrives and holds requests while `hold` is set (so a server dies mid-delivery); and the
//! delivery log the servers keep, polled until settled.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use tokio::sync::watch;

use crate::crash::ADMIN_TOKEN;

#[derive(Clone)]
pub struct Receiver {
    pub hold: watch::Sender<bool>,
    pub arrivals: watch::Sender<usize>,
    pub seen: Arc<Mutex<Vec<(String, i64)>>>,
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
    r.arrivals.send_modify(|n| *n += 1);
    let mut hold = r.hold.subscribe();
    let _ = hold.wait_for(|h| !*h).await;
    StatusCode::NO_CONTENT
}

/// Starts a receiver (holding when `hold`); returns it and its URL.
pub async fn start(hold: bool) -> (Receiver, String) {
    let receiver = Receiver {
        hold: watch::Sender::new(hold),
        arrivals: watch::Sender::new(0),
        seen: Arc::default(),
    };
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(receiver.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (receiver, url)
}

impl Receiver {
    /// Order → the `webhook-id`s its requests carried, and how many requests arrived per order.
    pub fn by_order(&self) -> (BTreeMap<i64, BTreeSet<String>>, BTreeMap<i64, usize>) {
        let mut ids_of: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
        let mut requests_of: BTreeMap<i64, usize> = BTreeMap::new();
        for (id, order) in self.seen.lock().unwrap().iter() {
            ids_of.entry(*order).or_default().insert(id.clone());
            *requests_of.entry(*order).or_default() += 1;
        }
        (ids_of, requests_of)
    }
}

/// The delivery log once `expected` deliveries are sent (polled: the server records an outcome
/// after the receiver's answer), or what it was at the deadline.
pub async fn settled_log(http: &reqwest::Client, base: &str, expected: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut log: Vec<Value> = Vec::new();
        loop {
            let page: Vec<Value> = http
                .get(format!(
                    "{base}/api/admin/deliveries?limit=100&offset={}",
                    log.len()
                ))
                .bearer_auth(ADMIN_TOKEN)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if page.is_empty() {
                break;
            }
            log.extend(page);
        }
        let sent = log.iter().filter(|d| d["state"] == "sent").count();
        if sent == expected || Instant::now() > deadline {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every order's event arrived, always under one `webhook-id`, and the log says sent for each.
pub fn check_deliveries(receiver: &Receiver, log: &[Value], orders: &BTreeSet<i64>) {
    let states: Vec<&str> = log.iter().map(|d| d["state"].as_str().unwrap()).collect();
    assert_eq!(log.len(), orders.len(), "one delivery per order");
    assert!(states.iter().all(|s| *s == "sent"), "{states:?}");
    let (ids_of, _) = receiver.by_order();
    let delivered: BTreeSet<i64> = ids_of.keys().copied().collect();
    let lost: BTreeSet<_> = orders.difference(&delivered).collect();
    assert!(lost.is_empty(), "events lost: {lost:?}");
    assert_eq!(&delivered, orders, "events of unknown orders");
    assert!(
        ids_of.values().all(|ids| ids.len() == 1),
        "one webhook-id per event: {ids_of:?}"
    );
    let logged: BTreeSet<&str> = log.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let received: BTreeSet<&str> = ids_of.values().flatten().map(String::as_str).collect();
    assert_eq!(logged, received);
}

//! A PostgreSQL restart loses no delivery. Restarting the cluster other tests share is not an
//! option, so the test does what a restart does to the server: every connection to its
//! database is ended (`pg_terminate_backend`) while a pass is sending. The relay records what
//! it can on fresh connections, a claim whose outcome could not be written is taken again
//! after its lease, and every event arrives, each under its one id. PostgreSQL only (SQLite
//! has no server to lose).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use tokio::sync::watch;

use super::*;

/// A receiver that holds every request until the gate opens, and counts arrivals.
#[derive(Clone)]
struct Gate {
    open: watch::Receiver<bool>,
    arrived: watch::Sender<usize>,
    /// `(webhook-id, order id)` of each request it answered.
    answered: Arc<Mutex<Vec<(String, i64)>>>,
}

async fn held(State(g): State<Gate>, headers: HeaderMap, body: String) -> StatusCode {
    g.arrived.send_modify(|n| *n += 1);
    let mut open = g.open.clone();
    if open.wait_for(|o| *o).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_str(&body).unwrap_or_default();
    let order = body["data"]["aggregateId"].as_i64().unwrap_or_default();
    g.answered.lock().unwrap().push((id, order));
    StatusCode::NO_CONTENT
}

#[tokio::test]
async fn deliveries_survive_the_database_ending_every_connection() {
    let Some(admin) = openentry_testkit::test_database_admin_url() else {
        return; // PostgreSQL only.
    };
    let (open_tx, open) = watch::channel(false);
    let (arrived, mut arrivals) = watch::channel(0_usize);
    let gate = Gate {
        open,
        arrived,
        answered: Arc::default(),
    };
    let app = Router::new()
        .route("/hooks", post(held))
        .with_state(gate.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let s = shop(&url, 8).await;
    let mut orders = Vec::new();
    for _ in 0..4 {
        orders.push(paid_order(&s).await);
    }
    // A pass claims the four deliveries and waits on the receiver.
    let http = s.http.clone();
    let run = format!("{}/api/admin/relay/run", s.url);
    let token = s.admin_token.clone();
    let first = tokio::spawn(async move { http.post(run).bearer_auth(token).send().await });
    tokio::time::timeout(Duration::from_secs(30), arrivals.wait_for(|n| *n >= 4))
        .await
        .expect("the pass reached the receiver")
        .unwrap();
    // The database goes away under it.
    let name = s.database_url.rsplit('/').next().unwrap().to_owned();
    let ended = openentry_store::testdb::terminate_connections(&admin, &name)
        .await
        .unwrap();
    assert!(ended > 0, "the server held connections");
    open_tx.send_replace(true);
    // The pass ends (what it could not record stays claimed until its lease ends).
    first.await.unwrap().unwrap();
    // Checkout works on fresh connections, and its events are delivered too.
    for _ in 0..2 {
        orders.push(paid_order(&s).await);
    }
    s.clock.advance_secs(120);
    for _ in 0..10 {
        let report = pass(&s).await;
        if report["claimed"] == 0 && report["routed"] == 0 {
            break;
        }
        s.clock.advance_secs(120);
    }
    let answered = gate.answered.lock().unwrap().clone();
    let mut ids_of: HashMap<i64, HashSet<String>> = HashMap::new();
    for (id, order) in &answered {
        ids_of.entry(*order).or_default().insert(id.clone());
    }
    let delivered: HashSet<i64> = ids_of.keys().copied().collect();
    assert_eq!(delivered, orders.iter().copied().collect(), "{answered:?}");
    assert!(ids_of.values().all(|ids| ids.len() == 1), "{ids_of:?}");
    let entries = log(&s).await;
    assert_eq!(entries.len(), orders.len());
    assert!(entries.iter().all(|e| e["state"] == "sent"), "{entries:?}");
}

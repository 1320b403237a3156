//! Payment sessions of offline (custom) accounts: the seed's steps 5-6, one waiting session per
//! order, expiry, operator actions, the order following its payment, and the outbox.

use openentry_testkit::{Resp, TestServer};
use serde_json::{Value, json};

use crate::email;

const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const SESSIONS: &str = "/api/content/payments/sessions";

pub(crate) async fn session(s: &TestServer, token: &str, order_id: i64) -> Resp {
    s.post(
        SESSIONS,
        Some(token),
        json!({"orderId": order_id, "type": "session", "automaticTaxEnabled": false}),
    )
    .await
}

#[tokio::test]
async fn the_seed_steps_five_and_six() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("pay")).await;
    let id = s.create_order(&t, "cash").await;
    let r = session(&s, &t, id).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let mut keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "amount",
            "createdDate",
            "id",
            "orderId",
            "paymentAccountId",
            "paymentUrl",
            "status",
            "type",
            "updatedDate"
        ],
        "no clientSecret for offline accounts"
    );
    assert_eq!(r.body["type"], "session");
    assert_eq!(r.body["status"], "waiting");
    assert_eq!(r.body["paymentAccountId"], 1);
    assert_eq!(r.body["orderId"], id);
    assert_eq!(r.body["amount"], Value::Null);
    assert_eq!(r.body["paymentUrl"], Value::Null);
    let by_order = s.get(&format!("{SESSIONS}/order/{id}"), Some(&t)).await;
    assert_eq!(by_order.body, json!([r.body.clone()]));
    let by_id = s
        .get(&format!("{SESSIONS}/{}", r.body["id"]), Some(&t))
        .await;
    assert_eq!(by_id.body, r.body);
    let list = s
        .get(&format!("{SESSIONS}/?offset=0&limit=30"), Some(&t))
        .await;
    assert_eq!(list.body, json!({"items": [r.body.clone()], "total": 1}));
}

#[tokio::test]
async fn fifty_concurrent_requests_open_one_waiting_session() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("race")).await;
    let id = s.create_order(&t, "cash").await;
    let results = futures::future::join_all((0..50).map(|_| session(&s, &t, id))).await;
    let mut ids: Vec<i64> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{:?}", r.body);
            r.body["id"].as_i64().unwrap()
        })
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 1, "every request got the one waiting session");
    let all = s.get(&format!("{SESSIONS}/order/{id}"), Some(&t)).await;
    assert_eq!(all.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn other_users_orders_and_sessions_look_missing() {
    let s = TestServer::spawn().await;
    let a = s.user(&email("a")).await;
    let b = s.user(&email("b")).await;
    let id = s.create_order(&a, "cash").await;
    let sid = session(&s, &a, id).await.body["id"].as_i64().unwrap();
    let strip = |r: Resp, n: i64| (r.status, r.message().replace(&n.to_string(), "N"));
    assert_eq!(
        strip(session(&s, &b, id).await, id),
        strip(session(&s, &b, id + 999).await, id + 999)
    );
    assert_eq!(
        strip(s.get(&format!("{SESSIONS}/{sid}"), Some(&b)).await, sid),
        strip(
            s.get(&format!("{SESSIONS}/{}", sid + 999), Some(&b)).await,
            sid + 999
        )
    );
    assert_eq!(
        s.get(&format!("{SESSIONS}/order/{id}"), Some(&b))
            .await
            .status,
        404
    );
    assert_eq!(
        s.get(&format!("{SESSIONS}/?offset=0&limit=30"), Some(&b))
            .await
            .body["total"],
        0
    );
}

#[tokio::test]
async fn sessions_expire_with_the_clock_and_the_order_stays_payable() {
    let s = TestServer::spawn().await;
    let e = email("exp");
    let t = s.user(&e).await;
    let id = s.create_order(&t, "cash").await;
    let first = session(&s, &t, id).await.body["id"].as_i64().unwrap();
    s.clock.advance_secs(30 * 60 + 1);
    let t = s.sign_in(&e, "correct horse battery").await.0;
    let list = s.get(&format!("{SESSIONS}/order/{id}"), Some(&t)).await;
    assert_eq!(list.body[0]["status"], "expired");
    let second = session(&s, &t, id).await;
    assert_eq!(second.status, 201);
    assert_ne!(second.body["id"], first);
    assert_eq!(second.body["status"], "waiting");
    let stored = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&t))
        .await;
    assert_eq!(stored.body["statusIdentifier"], "upcoming");
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn an_operator_completing_a_cash_session_marks_the_order_paid() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("cash")).await;
    let id = s.create_order(&t, "cash").await;
    let sid = session(&s, &t, id).await.body["id"].as_i64().unwrap();
    let r = s
        .admin(
            reqwest::Method::POST,
            &format!("/api/admin/payments/sessions/{sid}/complete"),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["status"].clone()),
        (200, json!("completed"))
    );
    let stored = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&t))
        .await;
    assert_eq!(stored.body["statusIdentifier"], "paid");
    assert_eq!(
        session(&s, &t, id).await.status,
        409,
        "a paid order is not paid again"
    );
    let again = s
        .admin(
            reqwest::Method::POST,
            &format!("/api/admin/payments/sessions/{sid}/cancel"),
            None,
        )
        .await;
    assert_eq!(again.status, 409, "a completed session never goes back");

    let history = s
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/orders/{id}/history"),
            None,
        )
        .await
        .body;
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "payment", "status"]);
    assert_eq!(history[2]["detail"]["to"], "paid");
    let events = s
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/outbox?aggregate=order&id={id}"),
            None,
        )
        .await
        .body;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["order.created", "order.payment", "order.status"]);
    let events = s
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/outbox?aggregate=payment_session&id={sid}"),
            None,
        )
        .await
        .body;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["payment.session.created", "payment.session.completed"]
    );
    let listed = s
        .admin(reqwest::Method::GET, "/api/admin/orders?limit=10", None)
        .await
        .body;
    assert_eq!(listed["total"], 1);
    assert!(listed["items"][0]["userId"].is_i64());
}

#[tokio::test]
async fn canceled_orders_cannot_be_paid_and_bad_requests_are_refused() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("cxl")).await;
    let id = s.create_order(&t, "cash").await;
    let r = s
        .post(SESSIONS, Some(&t), json!({"orderId": id, "type": "card"}))
        .await;
    assert_eq!(r.status, 400);
    s.call(
        reqwest::Method::PUT,
        &format!("{ORDERS}/{id}?langCode=en_US"),
        Some(&t),
        Some(json!({"statusIdentifier": "canceled"})),
    )
    .await;
    assert_eq!(session(&s, &t, id).await.status, 409);
    assert_eq!(
        s.post(SESSIONS, None, json!({"orderId": id, "type": "session"}))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn accounts_are_listed_without_secrets() {
    let s = TestServer::spawn().await;
    let list = s.get("/api/content/payments/accounts", None).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body[0]["identifier"], "cash");
    assert_eq!(list.body[0]["type"], "custom");
    assert_eq!(list.body[0]["isUsed"], true);
    assert_eq!(
        list.body[0]["localizeInfos"]["en_US"]["title"],
        "Cash on delivery"
    );
    let one = s.get("/api/content/payments/accounts/1", None).await;
    assert_eq!(one.body, list.body[0]);
    assert_eq!(
        s.get("/api/content/payments/accounts/99", None)
            .await
            .status,
        404
    );
    let text = list.body.to_string().to_lowercase();
    assert!(!text.contains("secret") && !text.contains("sk_") && !text.contains("whsec"));
}

#[tokio::test]
async fn an_idempotency_key_replays_the_session_answer() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("idem")).await;
    let id = s.create_order(&t, "cash").await;
    let send = |key: &'static str, body: Value| {
        s.http
            .post(format!("{}{SESSIONS}", s.url))
            .header("x-app-token", &s.app_token)
            .header("idempotency-key", key)
            .bearer_auth(&t)
            .body(body.to_string())
            .send()
    };
    let body = json!({"orderId": id, "type": "session", "automaticTaxEnabled": false});
    let first = send("s-1", body.clone())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let again = send("s-1", body.clone())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first, again);
    let other = send("s-1", json!({"orderId": id, "type": "intent"}))
        .await
        .unwrap();
    assert_eq!(other.status(), 422);
}

#[tokio::test]
async fn expiry_survives_a_restart() {
    let s = TestServer::spawn().await;
    let e = email("restart");
    let t = s.user(&e).await;
    let id = s.create_order(&t, "cash").await;
    let sid = session(&s, &t, id).await.body["id"].as_i64().unwrap();
    // A node that never saw the session being made (what a restarted process is) expires it
    // from the stored time alone.
    let restarted = s.second_node().await;
    s.clock.advance_secs(30 * 60 + 1);
    let t = restarted.sign_in(&e, "correct horse battery").await.0;
    let r = restarted.get(&format!("{SESSIONS}/{sid}"), Some(&t)).await;
    assert_eq!(r.body["status"], "expired");
}

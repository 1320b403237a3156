//! Stripe accounts end to end: sessions and intents created through a local stand-in of
//! Stripe's API (which checks and records what it receives), and signed webhooks: the
//! signature matrix, exactly-once delivery, any order of events, the amount guard, expiry.
//! Signatures are computed here with hmac + sha2 directly, independently of the server's
//! verifier.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::routing::post;
use axum::{Json, Router};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use openentry_domain::clock::Clock;
use openentry_server::ProjectSource;
use openentry_testkit::TEST_CATALOG;
use openentry_testkit::{Resp, TestServer};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::email;

const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const SESSIONS: &str = "/api/content/payments/sessions";
const WEBHOOK: &str = "/api/content/payments/webhook/stripe";
const KEY: &str = "sk_test_x";
const WHSEC: &str = "whsec_test";

// ---- the stand-in for Stripe's API ----

/// One request the stand-in received.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    authorization: String,
    idempotency_key: String,
    content_type: String,
    form: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default)]
struct Stand {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer next instead of success.
    fail: Arc<Mutex<VecDeque<u16>>>,
    /// Idempotency key → object id, as Stripe replays a key's first answer.
    ids: Arc<Mutex<HashMap<String, String>>>,
    /// When set, the next create call says it arrived, then waits to be released.
    hold: Arc<Mutex<Option<Hold>>>,
}

/// A held call: `arrived` fires when it comes in; it answers once `release` fires.
#[derive(Debug)]
struct Hold {
    arrived: tokio::sync::oneshot::Sender<()>,
    release: tokio::sync::oneshot::Receiver<()>,
}

impl Stand {
    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn form(body: &[u8]) -> BTreeMap<String, String> {
    std::str::from_utf8(body)
        .unwrap()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

async fn stripe_api(
    State(stand): State<Stand>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, Json<Value>) {
    let header = |n: &str| {
        headers
            .get(n)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let got = Received {
        path: uri.path().to_owned(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        content_type: header("content-type"),
        form: form(&body),
    };
    stand.received.lock().unwrap().push(got.clone());
    if got.authorization != format!("Bearer {KEY}") {
        let e = json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}});
        return (StatusCode::UNAUTHORIZED, Json(e));
    }
    if let Some(code) = stand.fail.lock().unwrap().pop_front() {
        let message = if code == 402 {
            "Your card was declined."
        } else {
            "An unknown error occurred"
        };
        let e = json!({"error": {"type": "api_error", "message": message}});
        return (StatusCode::from_u16(code).unwrap(), Json(e));
    }
    if got.path.ends_with("/expire") || got.path.ends_with("/cancel") {
        return (StatusCode::OK, Json(json!({"status": "closed"})));
    }
    let hold = stand.hold.lock().unwrap().take();
    if let Some(h) = hold {
        let _ = h.arrived.send(());
        let _ = h.release.await;
    }
    let intent = got.path == "/v1/payment_intents";
    let id = {
        let mut ids = stand.ids.lock().unwrap();
        let n = ids.len() + 1;
        let prefix = if intent { "pi_test" } else { "cs_test" };
        ids.entry(got.idempotency_key.clone())
            .or_insert_with(|| format!("{prefix}_{n:04}"))
            .clone()
    };
    let answer = if intent {
        json!({"id": id, "object": "payment_intent", "client_secret": format!("{id}_secret_abc{}", id.len()),
               "amount": got.form["amount"].parse::<i64>().unwrap(), "currency": got.form["currency"], "status": "requires_payment_method"})
    } else {
        json!({"id": id, "object": "checkout.session", "url": format!("https://checkout.stripe.com/c/pay/{id}"),
               "payment_status": "unpaid", "status": "open"})
    };
    (StatusCode::OK, Json(answer))
}

async fn stand_in() -> Stand {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let stand = Stand {
        url: format!("http://{}", listener.local_addr().unwrap()),
        ..Stand::default()
    };
    let app = Router::new()
        .route("/v1/checkout/sessions", post(stripe_api))
        .route("/v1/payment_intents", post(stripe_api))
        .route("/v1/checkout/sessions/{id}/expire", post(stripe_api))
        .route("/v1/payment_intents/{id}/cancel", post(stripe_api))
        .with_state(stand.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    stand
}

// ---- the server ----

/// A Stripe account `card` in test mode linked to storage `orders` (the demo project already
/// has it; otherwise it is added).
fn project_text() -> String {
    if TEST_CATALOG.contains(r#"identifier = "card""#) {
        return TEST_CATALOG.to_owned();
    }
    let card = r#"
[[payment_accounts]]
identifier = "card"
title = { en_US = "Card (Stripe)" }
type = "stripe"
test_mode = true

[payment_accounts.stripe]
secret_key_env = "STRIPE_SECRET_KEY"
webhook_secret_env = "STRIPE_WEBHOOK_SECRET"
success_url = "http://localhost:3000/orders/{ORDER_ID}?paid=1"
cancel_url = "http://localhost:3000/orders/{ORDER_ID}"
"#;
    let linked = TEST_CATALOG.replace(
        r#"payment_accounts = ["cash"]"#,
        r#"payment_accounts = ["cash", "card"]"#,
    );
    format!("{linked}{card}")
}

struct Shop {
    s: TestServer,
    stand: Stand,
    token: String,
    _dir: tempfile::TempDir,
}

/// A server with the `card` account, its secrets injected, Stripe's API at the stand-in.
async fn shop_with(text: String, secrets: bool) -> Shop {
    let stand = stand_in().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.toml");
    std::fs::write(&file, text).unwrap();
    let base = stand.url.clone();
    let s = TestServer::spawn_with(
        move |c| {
            c.stripe_api_base = base;
            if secrets {
                c.secrets.0.insert("STRIPE_SECRET_KEY".into(), KEY.into());
                c.secrets
                    .0
                    .insert("STRIPE_WEBHOOK_SECRET".into(), WHSEC.into());
            }
        },
        ProjectSource::File(file),
    )
    .await;
    let token = s.user(&email("stripe")).await;
    Shop {
        s,
        stand,
        token,
        _dir: dir,
    }
}

async fn shop() -> Shop {
    shop_with(project_text(), true).await
}

impl Shop {
    async fn order(&self) -> i64 {
        self.s.create_order(&self.token, "card").await
    }

    async fn create(&self, order: i64, kind: &str) -> Resp {
        let body = json!({"orderId": order, "type": kind, "automaticTaxEnabled": false});
        self.s.post(SESSIONS, Some(&self.token), body).await
    }

    /// A new order with a waiting session of `kind`: (order id, session id, Stripe id).
    async fn paying(&self, kind: &str) -> (i64, i64, String) {
        let order = self.order().await;
        let r = self.create(order, kind).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let stripe_id = if kind == "intent" {
            let secret = r.body["clientSecret"].as_str().unwrap();
            secret.split("_secret_").next().unwrap().to_owned()
        } else {
            let url = r.body["paymentUrl"].as_str().unwrap();
            url.rsplit('/').next().unwrap().to_owned()
        };
        (order, r.body["id"].as_i64().unwrap(), stripe_id)
    }

    /// (status of the order's newest session, order status identifier).
    async fn state(&self, order: i64) -> (String, String) {
        let list = self
            .s
            .get(&format!("{SESSIONS}/order/{order}"), Some(&self.token))
            .await;
        let last = list.body.as_array().unwrap().last().cloned().unwrap();
        let o = self
            .s
            .get(
                &format!("{ORDERS}/{order}?langCode=en_US"),
                Some(&self.token),
            )
            .await;
        (
            last["status"].as_str().unwrap().to_owned(),
            o.body["statusIdentifier"].as_str().unwrap().to_owned(),
        )
    }

    async fn admin(&self, path: &str) -> Value {
        let r = self.s.admin(reqwest::Method::GET, path, None).await;
        assert_eq!(r.status, 200, "{path}");
        r.body
    }

    async fn history(&self, order: i64) -> Vec<Value> {
        let h = self
            .admin(&format!("/api/admin/orders/{order}/history"))
            .await;
        h.as_array().unwrap().clone()
    }

    fn now(&self) -> i64 {
        self.s.clock.now().unix_secs()
    }

    /// Delivers a webhook (no app token: Stripe sends none).
    async fn deliver(&self, body: &str, signature: Option<String>) -> Resp {
        let mut req = self
            .s
            .http
            .post(format!("{}{WEBHOOK}", self.s.url))
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_owned());
        if let Some(sig) = signature {
            req = req.header("Stripe-Signature", sig);
        }
        let r = req.send().await.unwrap();
        Resp {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            body: r.json().await.unwrap_or(Value::Null),
        }
    }

    /// Delivers a webhook signed now with the right secret; asserts 200.
    async fn deliver_signed(&self, body: &str) {
        let r = self
            .deliver(body, Some(header(WHSEC, self.now(), body)))
            .await;
        assert_eq!((r.status, &r.body), (200, &json!({"received": true})));
    }
}

// ---- signing, independently of the server ----

fn sign(secret: &str, t: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn header(secret: &str, t: i64, body: &str) -> String {
    format!("t={t},v1={}", sign(secret, &t.to_string(), body))
}

fn event(id: &str, kind: &str, object: Value) -> String {
    let mut event = json!({"id": id, "object": "event", "api_version": "2024-06-20",
                           "created": 1_780_745_901, "livemode": false, "type": kind,
                           "data": {}});
    event["data"]["object"] = object;
    event.to_string()
}

fn intent(pi: &str, amount: i64, currency: &str, order: i64, session: i64) -> Value {
    json!({"id": pi, "object": "payment_intent", "amount": amount, "amount_received": amount,
           "currency": currency, "status": "succeeded",
           "metadata": {"order_id": order.to_string(), "session_id": session.to_string()}})
}

fn checkout(cs: &str, payment_status: &str, order: i64, session: i64) -> Value {
    json!({"id": cs, "object": "checkout.session", "amount_total": 40000, "currency": "usd",
           "payment_status": payment_status, "client_reference_id": order.to_string(),
           "metadata": {"order_id": order.to_string(), "session_id": session.to_string()}})
}

fn secrets_in(text: &str) -> bool {
    text.contains("sk_test") || text.contains("whsec") || text.contains(KEY)
}

// ---- sessions and intents ----

mod money;
mod sessions;
mod webhooks;

//! Every method of the Rust client (`openentry-client`) against the real server, one server
//! and one database per test: values, the automatic refresh, typed errors and idempotency
//! keys. Runs on SQLite, and on PostgreSQL when `OPENENTRY_TEST_DATABASE_URL` is set.
//!
//! This file holds the shared helpers and the seed flow; `client/*.rs` one area each.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

// The crate root is this file, so its modules name their paths.
#[path = "client/accounts.rs"]
mod accounts;
#[path = "client/catalog.rs"]
mod catalog;
#[path = "client/collections.rs"]
mod collections;
#[path = "client/commerce.rs"]
mod commerce;
#[path = "client/idempotency.rs"]
mod idempotency;
#[path = "client/tokens.rs"]
mod tokens;

use std::sync::{Arc, Mutex};

use openentry_client::types::auth::{AuthDataItem, AuthRequest, NotificationData, SignUpRequest};
use openentry_client::types::orders::{OrderRequest, ProductQuantity};
use openentry_client::{Config, Error, ErrorBody, OneEntry, SaveFunction, SessionType, StatusCode};
use openentry_testkit::TestServer;
use openentry_testkit::unique_email as email;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
/// The demo provider's access token lifetime (the server allows a few seconds of leeway).
const ACCESS_TTL_SECS: i64 = 3600;

fn client_with(s: &TestServer, adjust: impl FnOnce(&mut Config)) -> OneEntry {
    let mut config = Config {
        token: Some(s.app_token.clone()),
        ..Config::default()
    };
    adjust(&mut config);
    OneEntry::new(&s.url, config).unwrap()
}

fn client(s: &TestServer) -> OneEntry {
    client_with(s, |_| {})
}

fn credentials(email: &str, password: &str) -> Vec<AuthDataItem> {
    [("email_reg", email), ("password_reg", password)]
        .map(|(marker, value)| AuthDataItem {
            marker: marker.to_owned(),
            value: value.to_owned(),
        })
        .to_vec()
}

fn sign_up_request(email: &str) -> SignUpRequest {
    SignUpRequest {
        form_identifier: Some("reg".into()),
        auth_data: credentials(email, PASSWORD),
        form_data: Some(json!([{"marker": "name", "type": "string", "value": "Christina Thomas"}])),
        notification_data: Some(NotificationData {
            email: email.to_owned(),
            phone_push: vec![],
            phone_sms: Some(String::new()),
        }),
        lang_code: None,
    }
}

fn auth(email: &str, password: &str) -> AuthRequest {
    AuthRequest {
        auth_data: credentials(email, password),
    }
}

/// A client whose new user has signed up and in.
async fn signed_in(s: &TestServer, tag: &str) -> (OneEntry, String) {
    let c = client(s);
    let e = email(tag);
    c.auth_provider()
        .sign_up("email", &sign_up_request(&e))
        .await
        .unwrap();
    c.auth_provider()
        .auth("email", &auth(&e, PASSWORD))
        .await
        .unwrap();
    (c, e)
}

fn seed_order(quantity: i64) -> OrderRequest {
    OrderRequest {
        form_identifier: Some("order".into()),
        payment_account_identifier: Some("cash".into()),
        form_data: Some(json!([{"type": "string", "marker": "name", "value": "Christina Thomas"}])),
        products: vec![ProductQuantity {
            product_id: 15,
            quantity,
        }],
        ..OrderRequest::default()
    }
}

/// The status and body of an API error; anything else fails the test.
fn api_error<T: std::fmt::Debug>(r: Result<T, Error>) -> (StatusCode, ErrorBody) {
    match r {
        Err(Error::Api { status, body }) => {
            assert_eq!(body.status_code, status.as_u16(), "{body:?}");
            assert!(!body.message.is_empty());
            (status, body)
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// An admin API call that must succeed; its JSON answer.
async fn admin(s: &TestServer, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let r = s.admin(method, path, body).await;
    assert!((200..300).contains(&r.status), "admin {path}: {}", r.status);
    r.body
}

/// Records every refresh token handed to the hook.
fn recorder() -> (SaveFunction, Arc<Mutex<Vec<String>>>) {
    let saved = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&saved);
    let hook = SaveFunction::new(move |t| sink.lock().unwrap().push(t.to_owned()));
    (hook, saved)
}

#[test]
fn clients_are_send_sync_and_cheap_to_clone() {
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<OneEntry>();
    send_sync::<openentry_client::Orders>();
    assert!(std::mem::size_of::<OneEntry>() <= 4 * std::mem::size_of::<usize>());
}

#[tokio::test]
async fn the_seed_flow_answers_what_the_seed_shows() {
    let s = TestServer::spawn().await;
    let c = client(&s);
    let e = email("seed");
    let user = c
        .auth_provider()
        .sign_up("email", &sign_up_request(&e))
        .await
        .unwrap();
    assert_eq!(
        (user.identifier.as_str(), user.is_active),
        (e.as_str(), true)
    );
    let tokens = c
        .auth_provider()
        .auth("email", &auth(&e, PASSWORD))
        .await
        .unwrap();
    assert_eq!(tokens.user_identifier, e);
    assert_eq!(tokens.auth_provider_identifier, "email");
    assert_eq!(c.access_token(), Some(tokens.access_token.clone()));
    let order = c
        .orders()
        .create_order("orders", &seed_order(1))
        .await
        .unwrap();
    assert_eq!(order.currency, "USD");
    assert_eq!(order.total_sum.to_string(), "400");
    assert_eq!(order.total_due.to_string(), "400");
    assert_eq!(order.bonus_applied.to_string(), "0");
    assert_eq!(order.status_identifier, "upcoming");
    assert_eq!(order.status_localize_infos, json!({"title": "Upcoming"}));
    assert_eq!(
        order.form_data,
        json!([{"marker": "name", "type": "string", "value": "Christina Thomas"}])
    );
    assert_eq!(order.discount_config.total_raw.to_string(), "400");
    let session = c
        .payments()
        .create_session(order.id, SessionType::Session)
        .await
        .unwrap();
    assert_eq!(
        (session.kind.as_str(), session.status.as_str()),
        ("session", "waiting")
    );
    assert_eq!(
        (session.order_id, session.payment_account_id),
        (order.id, 1)
    );
    assert_eq!(
        (session.amount.clone(), session.payment_url.clone()),
        (None, None)
    );
    assert_eq!(session.client_secret, None);
    assert_eq!(session.created_date, session.updated_date);
    let sessions = c
        .payments()
        .get_session_by_order_id(order.id)
        .await
        .unwrap();
    assert_eq!(sessions, vec![session]);
}

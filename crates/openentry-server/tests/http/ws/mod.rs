//! The SDK's WebSocket (issue 14): socket.io at `/api/content/ws/`, authenticated by the app
//! token and the user's access token; the relay's `websocket` channel reaches the user's
//! sockets on whichever node holds them (PostgreSQL `LISTEN/NOTIFY`; SQLite is one node).
//! The background relay is off: tests run passes through the admin API.

mod client;
mod forms;
mod recipients;

use openentry_server::ProjectSource;
use openentry_testkit::{TestServer, test_catalog_with, unique_email};
use reqwest::Method;
use serde_json::json;

use client::{Seen, connect};

/// The test catalog with an `order_paid` event on the `websocket` channel.
fn catalog_with_ws_event() -> ProjectSource {
    test_catalog_with(
        r#"
[[events]]
identifier = "order_paid"
module = "orders"
condition = "order_status"
storage = "orders"
status = "paid"
recipients = ["user"]
channels = ["websocket"]
[events.messages.en_US]
subject = "Order {{order.id}} is paid"
text = "Order {{order.id}} is now {{order.status}}."
"#,
    )
}

/// No background relay, and no periodic sweep within a test: what closes a socket here is
/// the revocation signal or the check before an emit.
pub(super) fn quiet(c: &mut openentry_server::Config) {
    c.relay.interval = None;
    c.ws.sweep = std::time::Duration::from_secs(3600);
}

async fn shop() -> TestServer {
    TestServer::spawn_with(quiet, catalog_with_ws_event()).await
}

/// Whether the tests run on PostgreSQL (several nodes are possible only there).
fn on_postgres(s: &TestServer) -> bool {
    s.database_url.starts_with("postgres")
}

/// The user's order moved to `paid` by the operator; its id.
async fn paid_order(s: &TestServer, token: &str) -> i64 {
    let id = s.create_order(token, "cash").await;
    let r = s
        .admin(
            Method::PUT,
            &format!("/api/admin/orders/{id}/status"),
            Some(json!({"statusIdentifier": "paid"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

pub(super) async fn pass(s: &TestServer) -> serde_json::Value {
    let r = s.admin(Method::POST, "/api/admin/relay/run", None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn a_socket_receives_what_another_node_relayed_and_only_its_own() {
    let a = shop().await;
    // On SQLite there is one node: the socket's node relays.
    let b = if on_postgres(&a) {
        Some(a.second_node_with(quiet).await)
    } else {
        None
    };
    let relay = b.as_ref().unwrap_or(&a);
    let ann = a.user(&unique_email("ws-ann")).await;
    let bob = a.user(&unique_email("ws-bob")).await;
    let mut ann_socket = connect(&a.url, &a.app_token, &ann).await.unwrap();
    let mut bob_socket = connect(&a.url, &a.app_token, &bob).await.unwrap();

    let order = paid_order(&a, &ann).await;
    assert_eq!(pass(relay).await["sent"], 1);
    let Seen::Event(name, n) = ann_socket.next().await else {
        panic!("the socket closed");
    };
    assert_eq!(name, "notification");
    assert_eq!(n["event"], "order_paid");
    assert_eq!(n["title"], format!("Order {order} is paid"));
    assert_eq!(n["message"], format!("Order {order} is now paid."));
    assert_eq!(
        n["order"],
        json!({"id": order, "storage": "orders", "status": "paid"})
    );

    // Bob's first notification is about his own order: Ann's never reached him.
    let own = paid_order(&a, &bob).await;
    assert_eq!(pass(relay).await["sent"], 1);
    let Seen::Event(_, m) = bob_socket.next().await else {
        panic!("the socket closed");
    };
    assert_eq!(m["order"]["id"], own);
    if let Some(b) = b {
        b.stop().await;
    }
}

#[tokio::test]
async fn a_socket_needs_a_valid_app_token_and_access_token() {
    let s = shop().await;
    let token = s.user(&unique_email("ws-auth")).await;
    let refused = connect(&s.url, "not-the-app-token", &token).await.err();
    assert!(refused.is_some_and(|m| m.contains("x-app-token")));
    let refused = connect(&s.url, &s.app_token, "undefined").await.err();
    assert_eq!(refused.as_deref(), Some("Unauthorized"));
    let forged = format!("{}x", &token[..token.len() - 1]);
    let refused = connect(&s.url, &s.app_token, &forged).await.err();
    assert_eq!(refused.as_deref(), Some("Unauthorized"));
    assert!(connect(&s.url, &s.app_token, &token).await.is_ok());
}

#[tokio::test]
async fn signing_out_on_another_node_closes_the_socket() {
    let a = shop().await;
    let b = if on_postgres(&a) {
        Some(a.second_node_with(quiet).await)
    } else {
        None
    };
    let other = b.as_ref().unwrap_or(&a);
    let e = unique_email("ws-out");
    a.sign_up(&e, openentry_testkit::PASSWORD).await;
    let (access, refresh) = a.sign_in(&e, openentry_testkit::PASSWORD).await;
    let mut socket = connect(&a.url, &a.app_token, &access).await.unwrap();
    let r = other
        .post(
            "/api/content/users-auth-providers/marker/email/users/logout",
            Some(&access),
            json!({"refreshToken": refresh}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(socket.next().await, Seen::Closed);
    if let Some(b) = b {
        b.stop().await;
    }
}

#[tokio::test]
async fn an_expired_token_closes_the_socket_instead_of_receiving() {
    let s = shop().await;
    let token = s.user(&unique_email("ws-exp")).await;
    let mut socket = connect(&s.url, &s.app_token, &token).await.unwrap();
    paid_order(&s, &token).await;
    // The test catalog's access tokens live an hour.
    s.clock.advance_secs(3600 + 60);
    assert_eq!(pass(&s).await["sent"], 1);
    assert_eq!(socket.next().await, Seen::Closed);
}

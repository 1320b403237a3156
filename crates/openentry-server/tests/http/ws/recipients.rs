//! Who a WebSocket notification reaches besides the user it concerns: the users of the
//! event's group, and the operators, whose sockets connect with the admin token (a back
//! office's live feed) and receive only what is addressed to `operators`.

use openentry_testkit::{TestServer, unique_email};

use super::client::{Seen, connect};
use super::{pass, quiet};

const EVENTS: &str = r#"
[[events]]
identifier = "newcomer"
module = "users"
condition = "sign_up"
recipients = ["group", "operators"]
group = "guest"
channels = ["websocket"]
[events.messages.en_US]
subject = "{{user.login}} joined"

[[events]]
identifier = "new_order"
module = "orders"
condition = "order_created"
recipients = ["operators"]
channels = ["websocket"]
[events.messages.en_US]
subject = "Order {{order.id}} arrived"
"#;

async fn shop() -> TestServer {
    TestServer::spawn_with(quiet, openentry_testkit::test_catalog_with(EVENTS)).await
}

async fn title(socket: &mut super::client::Socket) -> String {
    let Seen::Event(name, n) = socket.next().await else {
        panic!("the socket closed");
    };
    assert_eq!(name, "notification");
    n["title"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn group_members_and_operators_receive_their_events_and_nothing_else() {
    let s = shop().await;
    let admin = s.admin_token.clone();
    let ann_login = unique_email("ws-group-ann");
    let ann = s.user(&ann_login).await;
    assert_eq!(
        pass(&s).await["sent"],
        2,
        "Ann and the operators hear of Ann"
    );
    let mut ann_socket = connect(&s.url, &s.app_token, &ann).await.unwrap();
    let mut desk = connect(&s.url, &s.app_token, &admin).await.unwrap();

    // Ann orders: only the operators hear of it.
    let order = s.create_order(&ann, "cash").await;
    assert_eq!(pass(&s).await["sent"], 1);
    assert_eq!(title(&mut desk).await, format!("Order {order} arrived"));

    // Bob signs up: the group (Ann, Bob) and the operators hear of it. Ann's next
    // notification is this one: the order's never reached her socket.
    let bob_login = unique_email("ws-group-bob");
    s.user(&bob_login).await;
    assert_eq!(pass(&s).await["sent"], 3);
    let joined = format!("{} joined", bob_login.to_lowercase());
    assert_eq!(title(&mut ann_socket).await.to_lowercase(), joined);
    assert_eq!(title(&mut desk).await.to_lowercase(), joined);

    // The log names the operators' delivery by its target, without a user.
    let r = s
        .admin(
            reqwest::Method::GET,
            "/api/admin/deliveries?target=operators",
            None,
        )
        .await;
    let rows = r.body.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{}", r.body);
    assert!(rows.iter().all(|d| d["userId"].is_null()), "{}", r.body);
}

#[tokio::test]
async fn an_operator_socket_needs_the_admin_token() {
    let s = shop().await;
    let wrong = format!("{}x", s.admin_token);
    let refused = connect(&s.url, &s.app_token, &wrong).await.err();
    assert_eq!(refused.as_deref(), Some("Unauthorized"));
    let refused = connect(&s.url, "not-the-app-token", &s.admin_token)
        .await
        .err();
    assert!(refused.is_some_and(|m| m.contains("x-app-token")));
}

#[tokio::test]
async fn an_api_token_whose_role_reads_events_opens_an_operator_socket() {
    let s = shop().await;
    let support = s.operator_token("ws-support", "support").await;
    let editor = s.operator_token("ws-editor", "editor").await;
    assert!(connect(&s.url, &s.app_token, &support).await.is_ok());
    let refused = connect(&s.url, &s.app_token, &editor).await.err();
    assert_eq!(
        refused.as_deref(),
        Some("Unauthorized"),
        "an editor reads no events"
    );
}

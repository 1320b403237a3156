//! Offline (cash) payments and the order's total (issue 10, findings 1 and 7): an operator can
//! never mark an order paid by a session opened for another total, and no session is opened or
//! completed for a paid order, whatever races, on one node or two.

use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;
use crate::payments::session;

const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const SESSIONS: &str = "/api/content/payments/sessions";

fn cart(quantity: i64) -> Value {
    json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": quantity}]
    })
}

async fn complete(s: &TestServer, sid: i64) -> Resp {
    let path = format!("/api/admin/payments/sessions/{sid}/complete");
    s.admin(Method::POST, &path, None).await
}

async fn sessions_of(s: &TestServer, token: &str, order: i64) -> Vec<Value> {
    let r = s
        .get(&format!("{SESSIONS}/order/{order}"), Some(token))
        .await;
    r.body.as_array().unwrap().clone()
}

async fn status_and_total(s: &TestServer, token: &str, order: i64) -> (String, String) {
    let o = s
        .get(&format!("{ORDERS}/{order}?langCode=en_US"), Some(token))
        .await;
    (
        o.body["statusIdentifier"].as_str().unwrap().to_owned(),
        o.body["totalSum"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_cash_session_of_the_old_total_never_pays_the_updated_order() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("cash-update")).await;
    let id = s.create_order(&t, "cash").await;
    let old = session(&s, &t, id).await;
    assert_eq!(old.status, 201, "{:?}", old.body);
    let old = old.body["id"].as_i64().unwrap();
    // 400 USD waiting; the customer makes it 10 units = 4,000 USD.
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    let r = s.call(Method::PUT, &path, Some(&t), Some(cart(10))).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(sessions_of(&s, &t, id).await[0]["status"], "canceled");
    // The operator takes 400 in cash for the old session: refused, the order stays unpaid.
    let r = complete(&s, old).await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert!(r.message().contains("no longer covers"), "{}", r.message());
    assert_eq!(
        status_and_total(&s, &t, id).await,
        ("upcoming".to_owned(), "4000.00".to_owned())
    );
    // A new session is for 4,000 and pays the order.
    let new = session(&s, &t, id).await;
    assert_eq!(new.status, 201, "{:?}", new.body);
    let new = new.body["id"].as_i64().unwrap();
    assert_ne!(new, old);
    assert_eq!(complete(&s, new).await.status, 200);
    assert_eq!(
        status_and_total(&s, &t, id).await,
        ("paid".to_owned(), "4000.00".to_owned())
    );
    // And nothing more: no second completion, no new session.
    assert_eq!(complete(&s, old).await.status, 409);
    assert_eq!(session(&s, &t, id).await.status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn completion_racing_a_new_session_never_leaves_a_paid_order_payable() {
    let s = TestServer::spawn().await;
    let other = s.second_node().await;
    let t = s.user(&email("cash-race")).await;
    let mut new_sessions = 0;
    for i in 0..30 {
        let id = s.create_order(&t, "cash").await;
        let first = session(&s, &t, id).await.body["id"].as_i64().unwrap();
        // The customer asks for another session (another type, so it is not a replay) on one
        // node while the operator completes the first on the other.
        let body = json!({"orderId": id, "type": "intent"});
        let (done, asked) = tokio::join!(complete(&s, first), other.post(SESSIONS, Some(&t), body));
        assert_eq!(done.status, 200, "try {i}: {:?}", done.body);
        assert!(
            asked.status == 201 || asked.status == 409,
            "try {i}: {:?}",
            asked.body
        );
        let all = sessions_of(&s, &t, id).await;
        let waiting: Vec<&Value> = all.iter().filter(|x| x["status"] == "waiting").collect();
        assert!(
            waiting.is_empty(),
            "try {i}: a paid order is payable: {all:?}"
        );
        if asked.status == 201 {
            new_sessions += usize::from(asked.body["id"] != first);
            // Whatever was answered is not payable: completing it is refused.
            let sid = asked.body["id"].as_i64().unwrap();
            if sid != first {
                assert_eq!(complete(&s, sid).await.status, 409, "try {i}");
            }
        }
        assert_eq!(status_and_total(&s, &t, id).await.0, "paid", "try {i}");
    }
    eprintln!("new sessions answered during the race: {new_sessions}");
}

//! The audit log: an operator settling a customer's cash payment is recorded with who, what and
//! the result; the log is filterable by target.

use openentry_testkit::TestServer;
use reqwest::Method;

use crate::email;
use crate::payments::session;

#[tokio::test]
async fn settling_a_cash_session_is_in_the_audit_log_under_the_operator() {
    let s = TestServer::spawn().await;
    s.create_operator("cashier@shop.test", "manager").await;
    let cashier = s.session("cashier@shop.test").await;
    let t = s.user(&email("audit-cash")).await;
    let order = s.create_order(&t, "cash").await;
    let opened = session(&s, &t, order).await;
    assert_eq!(opened.status, 201, "{:?}", opened.body);
    let sid = opened.body["id"].as_i64().unwrap();

    let path = format!("/api/admin/payments/sessions/{sid}/complete");
    let r = s
        .as_session(&cashier, true, Method::POST, &path, None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let target = format!("payments/sessions/{sid}");
    let log = s
        .admin(
            Method::GET,
            &format!("/api/admin/audit?target={target}"),
            None,
        )
        .await;
    assert_eq!(log.status, 200, "{:?}", log.body);
    let entries = log.body.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["actor"], "admin:cashier@shop.test");
    assert_eq!(entries[0]["action"], "settle");
    assert_eq!(entries[0]["resource"], "payments");
    assert_eq!(entries[0]["after"]["status"], "completed");

    // A refused change leaves no entry.
    let again = s
        .as_session(&cashier, true, Method::POST, &path, None)
        .await;
    assert_ne!(again.status, 200, "{:?}", again.body);
    let log = s
        .admin(
            Method::GET,
            &format!("/api/admin/audit?target={target}"),
            None,
        )
        .await;
    assert_eq!(log.body.as_array().unwrap().len(), 1);
}

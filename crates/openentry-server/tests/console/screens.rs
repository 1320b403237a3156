//! The console signed in: a manager settles a customer's cash order and sees it paid; a form
//! without the session's token is refused; an editor cannot open payments. Screenshots of
//! each main screen are taken on the way.

use openentry_testkit::operators::OPERATOR_PASSWORD;
use openentry_testkit::{TestServer, unique_email};
use reqwest::redirect::Policy;
use serde_json::json;

use crate::browser::Browser;

/// A customer's order paid in cash, with its waiting payment session: (order, session).
pub(crate) async fn cash_order(server: &TestServer) -> (i64, i64) {
    let token = server.user(&unique_email("console")).await;
    let order = server.create_order(&token, "cash").await;
    let r = server
        .post(
            "/api/content/payments/sessions",
            Some(&token),
            json!({"orderId": order, "type": "session", "automaticTaxEnabled": false}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    (order, r.body["id"].as_i64().unwrap())
}

/// Signs `login` in through the sign-in page and waits for the dashboard.
pub(crate) async fn sign_in(b: &Browser, login: &str) {
    b.go("/admin/login").await;
    b.fill("#login", login).await;
    b.fill("#password", OPERATOR_PASSWORD).await;
    b.click("#sign-in").await;
    b.find("#figures").await;
}

/// A client that keeps redirects visible.
pub(crate) fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn a_manager_settles_a_customers_cash_order_and_sees_it_paid() {
    let server = TestServer::spawn().await;
    server.create_operator("maria", "manager").await;
    let (order, session) = cash_order(&server).await;
    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "maria").await;
    assert_eq!(b.path().await, "/admin");
    assert_eq!(b.text("#orders-today .figure").await, "1");
    assert_eq!(b.text("#payments-waiting .figure").await, "1");
    assert_eq!(b.text("#refunds-pending .figure").await, "0");
    assert_eq!(b.text("#delivery-failures .figure").await, "0");
    b.find("nav.areas a[aria-current=page][href='/admin']")
        .await;
    b.shot("dashboard").await;

    b.click("nav.areas a[href='/admin/orders']").await;
    let link = format!("#orders a[href='/admin/orders/{order}']");
    b.find(&link).await;
    b.shot("orders").await;
    // The filters narrow the list: nothing is paid yet.
    b.go("/admin/orders?status=paid").await;
    b.find("#f-status option[value=paid][selected]").await;
    assert!(
        b.client
            .find(fantoccini::Locator::Css(&link))
            .await
            .is_err()
    );
    b.go("/admin/orders").await;
    b.click(&link).await;
    let status = b.find("#order-status").await;
    assert_eq!(
        status.attr("data-status").await.unwrap().as_deref(),
        Some("upcoming")
    );
    b.shot("order").await;

    // Cash received: the operator settles the session, and the order is paid.
    b.click(&format!("#settle-{session}")).await;
    b.find("#done").await;
    let status = b.find("#order-status").await;
    assert_eq!(
        status.attr("data-status").await.unwrap().as_deref(),
        Some("paid")
    );
    assert!(b.text(".session-status").await.contains("completed"));
    assert!(b.text("#history").await.contains("status"));
    b.shot("order-paid").await;
    // The console's change is in the audit log under the operator's name, as the API's are.
    let log = server
        .admin(
            reqwest::Method::GET,
            "/api/admin/audit?actor=admin:maria",
            None,
        )
        .await;
    assert_eq!(log.body[0]["action"], "settle", "{:?}", log.body);
    assert_eq!(
        log.body[0]["target"],
        format!("payments/sessions/{session}")
    );

    // Every other screen renders, and the dashboard now shows the day's money.
    b.go("/admin").await;
    assert_eq!(b.text("#payments-waiting .figure").await, "0");
    assert_eq!(b.text("#revenue-today .figure").await, "400 USD");
    b.go("/admin/payments").await;
    b.find("#payments").await;
    b.shot("payments").await;
    b.go("/admin/catalog").await;
    b.find("#products a[href='/admin/catalog/15']").await;
    b.shot("catalog").await;
    b.click("#products a[href='/admin/catalog/15']").await;
    assert_eq!(b.text("h1").await, "Leather bag");
    b.shot("product").await;
    b.go("/admin/deliveries").await;
    b.find("#f-state").await;
    b.shot("deliveries").await;

    // Right to left, and on a phone.
    b.go(&format!("/admin/orders/{order}")).await;
    b.click("a[hreflang=ar]").await;
    b.find("html[dir=rtl]").await;
    assert_eq!(b.path().await, format!("/admin/orders/{order}"));
    b.shot("order-ar").await;
    b.go("/admin").await;
    b.shot("dashboard-ar").await;
    b.click("a[hreflang=en]").await;
    b.client.set_window_size(390, 844).await.unwrap();
    b.go("/admin/orders").await;
    b.find("#orders").await;
    b.shot("orders-phone").await;

    // Signing out ends the session: the console sends the browser back to the sign-in page.
    b.client.set_window_size(1280, 900).await.unwrap();
    b.click("header.top form button[type=submit]").await;
    b.find("#sign-in").await;
    b.go("/admin/orders").await;
    assert_eq!(b.path().await, "/admin/login");
    b.close().await;
}

#[tokio::test]
async fn a_console_form_without_the_sessions_token_is_refused() {
    let server = TestServer::spawn().await;
    server.create_operator("sam", "manager").await;
    let (order, _) = cash_order(&server).await;
    let me = server.session("sam").await;
    let http = raw();
    let post = |body: String| {
        http.post(format!("{}/admin/orders/{order}/status", server.url))
            .header("cookie", &me.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    for body in [
        "status=paid".to_owned(),
        "status=paid&csrf=not-the-token".to_owned(),
    ] {
        let r = post(body).await.unwrap();
        assert_eq!(r.status(), 403);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("did not come from the console")
        );
    }
    let r = server
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/orders/{order}/history"),
            None,
        )
        .await;
    assert_eq!(
        r.body.as_array().unwrap().len(),
        1,
        "nothing changed: {:?}",
        r.body
    );
    // With the token the same form is accepted.
    let r = post(format!("status=paid&csrf={}", me.csrf)).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/admin/orders/{order}?done=status")
    );
}

#[tokio::test]
async fn an_editor_cannot_open_payments_nor_settle_one() {
    let server = TestServer::spawn().await;
    server.create_operator("eddie", "editor").await;
    let (_, session) = cash_order(&server).await;
    // Refused by the server, not by a missing button: the page and the form post.
    let me = server.session("eddie").await;
    let http = raw();
    let r = http
        .get(format!("{}/admin/payments", server.url))
        .header("cookie", &me.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .post(format!("{}/admin/payments/{session}/complete", server.url))
        .header("cookie", &me.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={}", me.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = server
        .admin(reqwest::Method::GET, "/api/admin/payments/sessions", None)
        .await;
    assert_eq!(r.body["items"][0]["status"], "waiting");

    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "eddie").await;
    // The editor's dashboard has no money figures and its navigation no payments.
    assert!(
        b.client
            .find(fantoccini::Locator::Css("#payments-waiting"))
            .await
            .is_err()
    );
    assert!(
        b.client
            .find(fantoccini::Locator::Css(
                "nav.areas a[href='/admin/payments']"
            ))
            .await
            .is_err()
    );
    b.go("/admin/payments").await;
    assert_eq!(b.text("main h1").await, "Not allowed");
    b.shot("forbidden").await;
    b.close().await;
}

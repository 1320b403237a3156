//! Console screens: admin (browser tests). An owner manages operators and API tokens (the
//! secret shown once, working, then revoked), creates a discount with a coupon the Content API
//! then honours, and reads what all that wrote in the audit log. The refusals, the settings'
//! secrets and versions are in `admin/http.rs`, the last owner and the log's filters in
//! `admin/log.rs`, password and second-factor resets in `admin/accounts.rs`.

mod accounts;
mod http;
mod log;

use fantoccini::Locator;
use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use crate::browser::Browser;
use crate::screens::sign_in;

/// Picks `value` in the select `css`.
async fn choose(b: &Browser, css: &str, value: &str) {
    b.find(css).await.select_by_value(value).await.unwrap();
}

/// The page's HTML.
async fn source(b: &Browser) -> String {
    b.client.source().await.unwrap()
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn an_owner_adds_a_manager_and_a_token_whose_secret_is_shown_once() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "olga").await;
    b.click("nav.areas a[href='/admin/admins']").await;

    // A new manager.
    b.fill("#new-login", "mia").await;
    choose(&b, "#new-role", "manager").await;
    b.fill("#new-password", "a new manager pass 2026").await;
    b.click("#create-operator").await;
    b.find("#done[data-done=created]").await;
    let row = b.find("#operators tr[data-login=mia] .role").await;
    assert_eq!(row.text().await.unwrap(), "Manager");
    assert_eq!(
        row.attr("data-role").await.unwrap().as_deref(),
        Some("manager")
    );
    let mia = server
        .operator_sign_in("mia", "a new manager pass 2026", None)
        .await;
    assert_eq!(mia.status, 200, "{:?}", mia.body);

    // A token: its secret is on the answer to the form, once.
    b.fill("#token-name", "ci-deploy").await;
    choose(&b, "#token-role", "manager").await;
    b.click("#create-token").await;
    let secret = b
        .find("#token-secret")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(secret.starts_with("oe_"), "{secret}");
    let me = server
        .as_token(&secret, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(
        (me.status, me.body["actor"].clone()),
        (200, json!("token:ci-deploy"))
    );
    // Back on the list, and after a reload, the secret is nowhere.
    b.click("a[href='/admin/admins']").await;
    b.find("#tokens").await;
    b.client.refresh().await.unwrap();
    b.find("#tokens").await;
    assert!(!source(&b).await.contains(&secret));
    b.shot("admins").await;

    // Revoked: the token is refused from then on.
    let tokens = server.admin(Method::GET, "/api/admin/tokens", None).await;
    let id = tokens.body[0]["id"].as_i64().unwrap();
    b.click(&format!("#revoke-{id}")).await;
    b.find("#done[data-done=revoked]").await;
    assert!(
        b.text(&format!("#token-{id} .state"))
            .await
            .contains("Revoked")
    );
    assert!(
        b.client
            .find(Locator::Css(&format!("#revoke-{id}")))
            .await
            .is_err()
    );
    let me = server
        .as_token(&secret, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(me.status, 403, "{:?}", me.body);

    // The log shows what the console did, under the owner's name, newest first.
    b.click("nav.areas a[href='/admin/audit']").await;
    b.fill("#f-actor", "admin:olga").await;
    b.click("#filter").await;
    let actions = b.text("#entries tbody").await;
    assert!(actions.contains("revoke"), "{actions}");
    assert_eq!(
        b.text("#entries tbody tr:first-child .target").await,
        format!("tokens/{id}")
    );
    assert!(actions.contains("operators/"), "{actions}");
    b.shot("audit").await;

    b.click("nav.areas a[href='/admin/settings']").await;
    b.find("#settings-form").await;
    b.shot("settings").await;
    b.close().await;
}

#[tokio::test]
async fn an_owner_creates_a_discount_with_a_coupon_that_the_content_api_applies() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "olga").await;
    b.click("nav.areas a[href='/admin/discounts']").await;
    b.fill("#d-identifier", "autumn").await;
    b.fill("#d-title-en_US", "Autumn sale").await;
    choose(&b, "#d-value-type", "PERCENT").await;
    b.fill("#d-value", "12.5").await;
    choose(&b, "#d-applicability", "TO_ORDER").await;
    b.click("#create-discount").await;
    b.find("#done[data-done=created]").await;
    assert_eq!(b.text("#marker").await, "autumn");
    b.fill("#c-code", "autumn125").await;
    b.click("#add-coupon").await;
    b.find("#done[data-done=coupon]").await;
    assert_eq!(b.text("#coupons .code").await, "AUTUMN125");
    // The value is kept exactly as typed.
    let value = b.find("#d-value").await.prop("value").await.unwrap();
    assert_eq!(value.as_deref(), Some("12.5"));
    b.go("/admin/discounts/autumn#coupons-h").await;
    b.find("#coupons").await;
    b.shot("discount").await;
    b.go("/admin/discounts").await;
    b.find("#discounts a[href='/admin/discounts/autumn']").await;
    b.shot("discounts").await;
    b.close().await;

    // The storefront's preview with the code: 12.5 % off the 400 bag.
    let preview = server
        .post(
            "/api/content/orders-storage/orders/preview?langCode=en_US",
            None,
            json!({
                "formIdentifier": "order", "paymentAccountIdentifier": "cash",
                "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Ann"}]},
                "products": [{"productId": 15, "quantity": 1}],
                "couponCode": "autumn125",
            }),
        )
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    assert_eq!(
        preview.body["totalSumWithDiscount"],
        json!(350),
        "{:?}",
        preview.body
    );
    assert_eq!(
        preview.body["discountConfig"]["coupon"]["code"],
        "AUTUMN125"
    );
    // Audited as the management API audits an edit of the discount.
    let log = server
        .admin(
            Method::GET,
            "/api/admin/audit?resource=discounts&target=discounts/autumn",
            None,
        )
        .await;
    let actions: Vec<&str> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "create"], "{:?}", log.body);
}

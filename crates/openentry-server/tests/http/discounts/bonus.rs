//! Bonus points on the demo project: operator adjustments, spending within the settings,
//! giving back, accrual on payment, and concurrent spenders.

use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use super::{ORDERS, PREVIEW, bag, body, create, spawn};
use crate::email;

pub(super) async fn user_id(s: &TestServer, t: &str) -> i64 {
    s.get("/api/content/users/me", Some(t)).await.body["id"]
        .as_i64()
        .unwrap()
}

pub(super) async fn adjust(s: &TestServer, user: i64, delta: Value) -> Resp {
    let body = json!({"userId": user, "delta": delta, "reason": "welcome gift"});
    s.admin(
        Method::POST,
        "/api/admin/discounts/bonus-balance/adjust",
        Some(body),
    )
    .await
}

pub(super) async fn balance(s: &TestServer, t: &str) -> Value {
    s.get("/api/content/discounts/bonus-balance", Some(t))
        .await
        .body["balance"]
        .clone()
}

#[tokio::test]
async fn bonuses_are_spent_within_the_settings_and_given_back_on_cancel() {
    let s = spawn().await;
    let t = s.user(&email("bonus")).await;
    let me = user_id(&s, &t).await;
    assert_eq!(balance(&s, &t).await, json!(0));
    assert_eq!(adjust(&s, me, json!(100)).await.status, 200);
    assert_eq!(
        adjust(&s, me, json!(-200)).await.status,
        409,
        "never below zero"
    );
    assert_eq!(balance(&s, &t).await, json!(100));
    let mut b = body(&bag(), None);
    b["bonusAmount"] = json!(500);
    // 30 % of 400 is 120; the balance, 100, is less.
    let p = s.post(PREVIEW, Some(&t), b.clone()).await;
    assert_eq!(
        (p.body["bonusApplied"].clone(), p.body["totalDue"].clone()),
        (json!(100), json!(300))
    );
    assert_eq!(
        p.body["discountConfig"]["bonus"]["maxBonusDiscount"],
        json!(100)
    );
    let r = create(&s, &t, b.clone()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(
        (
            r.body["totalSum"].clone(),
            r.body["bonusApplied"].clone(),
            r.body["totalDue"].clone()
        ),
        (json!(400), json!(100), json!(300))
    );
    assert_eq!(
        r.body["discountConfig"], p.body["discountConfig"],
        "preview equals create"
    );
    assert_eq!(balance(&s, &t).await, json!(0));
    let id = r.body["id"].as_i64().unwrap();
    let mut cancel = b;
    cancel["statusIdentifier"] = json!("withdrawn");
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    assert_eq!(
        s.call(Method::PUT, &path, Some(&t), Some(cancel))
            .await
            .status,
        200
    );
    assert_eq!(balance(&s, &t).await, json!(100), "given back");
    let h = s
        .get("/api/content/discounts/bonus-balance/history", Some(&t))
        .await;
    let kinds: Vec<&str> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ACCRUAL", "USAGE", "REVERSAL_USAGE"]);
    assert_eq!(h.body[1]["amount"], json!(-100));
    let usage = s
        .get(
            "/api/content/discounts/bonus-balance/history?type=USAGE",
            Some(&t),
        )
        .await;
    assert_eq!(usage.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn fifty_concurrent_orders_never_overspend_one_balance() {
    let a = spawn().await;
    let b = a.second_node().await;
    let t = a.user(&email("spend")).await;
    let me = user_id(&a, &t).await;
    assert_eq!(adjust(&a, me, json!(100)).await.status, 200);
    let mut order = body(&bag(), None);
    order["bonusAmount"] = json!(100);
    let calls = (0..50).map(|i| create(if i % 2 == 0 { &a } else { &b }, &t, order.clone()));
    let results = futures::future::join_all(calls).await;
    let spent: Vec<&Resp> = results
        .iter()
        .filter(|r| r.status == 201 && r.body["bonusApplied"] == 100)
        .collect();
    assert_eq!(spent.len(), 1);
    assert!(results.iter().all(|r| r.status == 409
        || (r.status == 201 && (r.body["bonusApplied"] == 0 || r.body["bonusApplied"] == 100))));
    assert_eq!(balance(&a, &t).await, json!(0), "never below zero");
    let h = a
        .get("/api/content/discounts/bonus-balance/history", Some(&t))
        .await;
    let amounts: Vec<f64> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_f64().unwrap())
        .collect();
    assert_eq!(amounts, [100.0, -100.0], "the ledger sums to the balance");
}

#[tokio::test]
async fn a_paid_order_accrues_its_bonus_and_a_cancel_takes_it_back() {
    let s = spawn().await;
    let t = s.user(&email("cashback")).await;
    let r = create(&s, &t, body(&bag(), None)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(balance(&s, &t).await, json!(0), "nothing before payment");
    let status = |to: &str| json!({"statusIdentifier": to});
    let path = format!("/api/admin/orders/{id}/status");
    assert_eq!(
        s.admin(Method::PUT, &path, Some(status("paid")))
            .await
            .status,
        200
    );
    assert_eq!(balance(&s, &t).await, json!(20), "5 % of 400");
    let h = s
        .get("/api/content/discounts/bonus-balance/history", Some(&t))
        .await;
    assert_eq!(h.body[0]["type"], "ACCRUAL");
    assert_eq!(h.body[0]["entityIdentifier"], json!(id.to_string()));
    assert_eq!(
        s.admin(Method::PUT, &path, Some(status("withdrawn")))
            .await
            .status,
        200
    );
    assert_eq!(balance(&s, &t).await, json!(0), "taken back");
}

#[tokio::test]
async fn accrued_points_expire_by_the_clock_spent_ones_first() {
    let s = spawn().await;
    let (e, pw) = (email("expiry"), "correct horse battery");
    s.sign_up(&e, pw).await;
    let (t, _) = s.sign_in(&e, pw).await;
    let r = create(&s, &t, body(&bag(), None)).await;
    let path = format!("/api/admin/orders/{}/status", r.body["id"]);
    let paid = json!({"statusIdentifier": "paid"});
    assert_eq!(s.admin(Method::PUT, &path, Some(paid)).await.status, 200);
    assert_eq!(balance(&s, &t).await, json!(20));
    let mut spend = body(&bag(), None);
    spend["bonusAmount"] = json!(5);
    let r = create(&s, &t, spend).await;
    assert_eq!(r.body["bonusApplied"], json!(5), "{:?}", r.body);
    s.clock.advance_secs(364 * 86_400);
    // Tokens do not live a year: sign in again.
    let (t, _) = s.sign_in(&e, pw).await;
    assert_eq!(
        balance(&s, &t).await,
        json!(15),
        "not yet: the demo keeps points 365 days"
    );
    s.clock.advance_secs(2 * 86_400);
    let (t, _) = s.sign_in(&e, pw).await;
    assert_eq!(balance(&s, &t).await, json!(0));
    let h = s
        .get("/api/content/discounts/bonus-balance/history", Some(&t))
        .await;
    let kinds: Vec<(&str, Value)> = h
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap(), e["amount"].clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ACCRUAL", json!(20)),
            ("USAGE", json!(-5)),
            ("EXPIRATION", json!(-15))
        ]
    );
}

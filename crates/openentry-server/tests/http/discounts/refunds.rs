//! Bonus points and refunds on the demo project (5 % cashback, bonuses pay at most 30 %): an
//! approved refund gives back its share of the points spent and takes back its share of the
//! points accrued, in any number of parts, never below a zero balance.

use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

use super::bonus::{adjust, balance, user_id};
use super::{body, create, spawn};
use crate::email;

async fn paid(s: &TestServer, id: i64) {
    let path = format!("/api/admin/orders/{id}/status");
    let to = json!({"statusIdentifier": "paid"});
    assert_eq!(s.admin(Method::PUT, &path, Some(to)).await.status, 200);
}

/// Asks for a refund of `bags` units of product 15 and lets the operator approve it; the
/// amount refunded.
async fn refund(s: &TestServer, t: &str, id: i64, bags: i64) -> Value {
    let ask = json!({"products": {"15": {"quantity": bags}}});
    let path = format!("/api/content/orders/{id}/refund");
    let r = s.post(&path, Some(t), ask).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let decide = format!("/api/admin/orders/{id}/refund");
    let r = s
        .admin(Method::PUT, &decide, Some(json!({"status": "approved"})))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "approved");
    r.body["amount"].clone()
}

async fn ledger(s: &TestServer, t: &str) -> Vec<(String, Value)> {
    let h = s
        .get("/api/content/discounts/bonus-balance/history", Some(t))
        .await;
    h.body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_owned(), e["amount"].clone()))
        .collect()
}

#[tokio::test]
async fn partial_refunds_settle_spent_and_accrued_points_in_proportion() {
    let s = spawn().await;
    let t = s.user(&email("refund")).await;
    let me = user_id(&s, &t).await;
    assert_eq!(adjust(&s, me, json!(100)).await.status, 200);
    let mut b = body(&json!([{"productId": 15, "quantity": 2}]), None);
    b["bonusAmount"] = json!(100);
    let r = create(&s, &t, b).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["totalDue"], json!(700));
    let id = r.body["id"].as_i64().unwrap();
    paid(&s, id).await;
    assert_eq!(balance(&s, &t).await, json!(35), "5 % of the 700 paid");
    // One bag of two: half of what was paid, half the points both ways.
    assert_eq!(refund(&s, &t, id, 1).await, json!(350));
    assert_eq!(balance(&s, &t).await, json!(67.5), "35 + 50 − 17.5");
    // The other bag: the rest, whatever rounding left.
    assert_eq!(refund(&s, &t, id, 1).await, json!(350));
    assert_eq!(balance(&s, &t).await, json!(100), "all undone");
    let entries = ledger(&s, &t).await;
    let kinds: Vec<(&str, Value)> = entries
        .iter()
        .map(|(k, a)| (k.as_str(), a.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ACCRUAL", json!(100)),
            ("USAGE", json!(-100)),
            ("ACCRUAL", json!(35)),
            ("REVERSAL_USAGE", json!(50)),
            ("REVERSAL_ACCRUAL", json!(-17.5)),
            ("REVERSAL_USAGE", json!(50)),
            ("REVERSAL_ACCRUAL", json!(-17.5)),
        ]
    );
    // Deciding again finds nothing open.
    let decide = format!("/api/admin/orders/{id}/refund");
    let again = s
        .admin(Method::PUT, &decide, Some(json!({"status": "approved"})))
        .await;
    assert_eq!(again.status, 404, "{:?}", again.body);
}

#[tokio::test]
async fn a_refund_never_takes_the_balance_below_zero() {
    let s = spawn().await;
    let t = s.user(&email("spender")).await;
    let first = create(
        &s,
        &t,
        body(&json!([{"productId": 15, "quantity": 1}]), None),
    )
    .await;
    let id = first.body["id"].as_i64().unwrap();
    paid(&s, id).await;
    assert_eq!(balance(&s, &t).await, json!(20));
    // The accrual is spent on another order before the first one is refunded.
    let mut spend = body(&json!([{"productId": 15, "quantity": 1}]), None);
    spend["bonusAmount"] = json!(20);
    let r = create(&s, &t, spend).await;
    assert_eq!(r.body["bonusApplied"], json!(20), "{:?}", r.body);
    assert_eq!(balance(&s, &t).await, json!(0));
    assert_eq!(refund(&s, &t, id, 1).await, json!(400));
    assert_eq!(balance(&s, &t).await, json!(0), "points spent stay spent");
    let sum: f64 = ledger(&s, &t)
        .await
        .iter()
        .map(|(_, a)| a.as_f64().unwrap())
        .sum();
    assert!(sum.abs() < 1e-9, "the ledger sums to the balance: {sum}");
}

#[tokio::test]
async fn a_rejected_refund_changes_no_points_and_a_refunded_discount_pays_back_what_was_paid() {
    let s = spawn().await;
    let t = s.user(&email("reject")).await;
    let r = create(
        &s,
        &t,
        body(&json!([{"productId": 15, "quantity": 1}]), Some("BAGS10")),
    )
    .await;
    assert_eq!(r.body["totalSum"], json!(360), "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    paid(&s, id).await;
    assert_eq!(balance(&s, &t).await, json!(18), "5 % of 360");
    let path = format!("/api/content/orders/{id}/refund");
    let ask = json!({"products": {"15": {"quantity": 1}}});
    assert_eq!(s.post(&path, Some(&t), ask).await.status, 200);
    let list = s.get(&path, Some(&t)).await.body;
    assert_eq!(
        list[0]["amount"],
        json!(360),
        "what was paid, not the list price"
    );
    let decide = format!("/api/admin/orders/{id}/refund");
    let no = s
        .admin(Method::PUT, &decide, Some(json!({"status": "rejected"})))
        .await;
    assert_eq!(
        (no.status, no.body["status"].clone()),
        (200, json!("rejected"))
    );
    assert_eq!(balance(&s, &t).await, json!(18));
    let bad = s
        .admin(Method::PUT, &decide, Some(json!({"status": "pending"})))
        .await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);
    assert_eq!(refund(&s, &t, id, 1).await, json!(360));
    assert_eq!(balance(&s, &t).await, json!(0));
}

//! getBonusHistory's filters, as the SDK sends them (`type`, `dateFrom`, `dateTo`,
//! `discountId`, `moduleId`, `isAdmin`), and the USER_LTV condition (the buyer's paid orders).

use openentry_server::ProjectSource;
use openentry_testkit::{ORDERS, TEST_CATALOG, TestServer, order_body};
use reqwest::Method;
use serde_json::{Value, json};

use super::bonus::{adjust, user_id};
use super::{bag, body, create, spawn};
use crate::email;

const HISTORY: &str = "/api/content/discounts/bonus-balance/history";

async fn paid(s: &TestServer, id: &Value, to: &str) {
    let path = format!("/api/admin/orders/{id}/status");
    let to = json!({ "statusIdentifier": to });
    assert_eq!(s.admin(Method::PUT, &path, Some(to)).await.status, 200);
}

async fn kinds(s: &TestServer, t: &str, query: &str) -> Vec<String> {
    let r = s.get(&format!("{HISTORY}?{query}"), Some(t)).await;
    assert_eq!(r.status, 200, "{query}: {:?}", r.body);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["type"].as_str().unwrap(), e["amount"]))
        .collect()
}

#[tokio::test]
async fn history_filters_are_applied() {
    let s = spawn().await;
    let t = s.user(&email("filters")).await;
    let me = user_id(&s, &t).await;
    assert_eq!(adjust(&s, me, json!(100)).await.status, 200);
    let r = create(&s, &t, body(&bag(), None)).await;
    paid(&s, &r.body["id"], "paid").await;
    let order = format!("{}/{}?langCode=en_US", super::ORDERS, r.body["id"]);
    let storage = s.get(&order, Some(&t)).await.body["storageId"].clone();
    assert!(storage.is_i64(), "{storage:?}");
    let all = s.get(HISTORY, Some(&t)).await.body;
    assert_eq!(
        all[1]["discountId"],
        json!(4),
        "cashback is the fourth discount"
    );
    assert_eq!(all[1]["moduleId"], storage);
    assert!(all[1]["expiresAt"].is_string(), "the demo's points expire");
    assert!(all[0].get("discountId").is_none(), "{:?}", all[0]);
    assert_eq!(kinds(&s, &t, "").await, ["ACCRUAL:100", "ACCRUAL:20"]);
    assert_eq!(kinds(&s, &t, "discountId=4").await, ["ACCRUAL:20"]);
    assert!(kinds(&s, &t, "discountId=1").await.is_empty());
    assert!(kinds(&s, &t, "discountId=99").await.is_empty());
    assert_eq!(
        kinds(&s, &t, &format!("moduleId={storage}")).await,
        ["ACCRUAL:20"]
    );
    assert!(kinds(&s, &t, "moduleId=999").await.is_empty());
    assert_eq!(kinds(&s, &t, "isAdmin=true").await, ["ACCRUAL:100"]);
    assert_eq!(kinds(&s, &t, "isAdmin=false").await, ["ACCRUAL:20"]);
    assert_eq!(kinds(&s, &t, "type=USAGE").await.len(), 0);
    assert_eq!(kinds(&s, &t, "dateFrom=2026-06-06").await.len(), 2);
    assert!(kinds(&s, &t, "dateTo=2026-06-06").await.is_empty());
    for bad in [
        "type=GIFT",
        "isAdmin=yes",
        "discountId=x",
        "moduleId=01",
        "dateFrom=tomorrow",
    ] {
        let r = s.get(&format!("{HISTORY}?{bad}"), Some(&t)).await;
        assert_eq!(r.status, 400, "{bad}: {:?}", r.body);
    }
}

const LOYALTY: &str = r#"
[[discounts]]
identifier = "loyal"
value_type = "PERCENT"
value = "10"
applicability = "TO_ORDER"
conditions = [{ type = "USER_LTV", value = "500" }]
"#;

async fn loyalty_shop() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, format!("{TEST_CATALOG}\n{LOYALTY}")).unwrap();
    let s = TestServer::spawn_with(|_| {}, ProjectSource::File(path)).await;
    (s, dir)
}

const PREVIEW: &str = "/api/content/orders-storage/orders/preview?langCode=en_US";

async fn discounted(s: &TestServer, t: Option<&str>, cart: &Value) -> Value {
    let p = s.post(PREVIEW, t, cart.clone()).await;
    assert_eq!(p.status, 200, "{:?}", p.body);
    p.body["totalSumWithDiscount"].clone()
}

#[tokio::test]
async fn user_ltv_counts_paid_orders_in_the_cart_currency_less_refunds() {
    let (s, _dir) = loyalty_shop().await;
    let t = s.user(&email("loyal")).await;
    let cart = json!({"products": [{"productId": 15, "quantity": 1}]});
    let first = s.post(ORDERS, Some(&t), order_body("cash")).await;
    assert_eq!(first.body["totalSum"], json!(400), "{:?}", first.body);
    paid(&s, &first.body["id"], "paid").await;
    assert_eq!(
        discounted(&s, Some(&t), &cart).await,
        json!(400),
        "400 < 500"
    );
    // An unpaid order and an order in euros do not count.
    assert_eq!(
        s.post(ORDERS, Some(&t), order_body("cash")).await.status,
        201
    );
    let mut eur = order_body("cash");
    eur["products"] = json!([{"productId": 20, "quantity": 2}]);
    let e = s.post(ORDERS, Some(&t), eur).await;
    assert_eq!(e.status, 201, "{:?}", e.body);
    paid(&s, &e.body["id"], "paid").await;
    assert_eq!(discounted(&s, Some(&t), &cart).await, json!(400));
    let second = s.post(ORDERS, Some(&t), order_body("cash")).await;
    paid(&s, &second.body["id"], "completed").await;
    assert_eq!(
        discounted(&s, Some(&t), &cart).await,
        json!(360),
        "800 ≥ 500"
    );
    let created = s.post(ORDERS, Some(&t), order_body("cash")).await;
    assert_eq!(
        created.body["totalSum"],
        json!(360),
        "create agrees with preview"
    );
    assert_eq!(
        created.body["discountConfig"]["orderDiscounts"][0]["identifier"],
        "loyal"
    );
    // A refunded order no longer counts.
    let id = &second.body["id"];
    let ask = json!({"products": {"15": {"quantity": 1}}});
    let path = format!("/api/content/orders/{id}/refund");
    assert_eq!(s.post(&path, Some(&t), ask).await.status, 200);
    let decide = format!("/api/admin/orders/{id}/refund");
    let ok = json!({"status": "approved"});
    assert_eq!(s.admin(Method::PUT, &decide, Some(ok)).await.status, 200);
    assert_eq!(
        discounted(&s, Some(&t), &cart).await,
        json!(400),
        "800 − 400 refunded"
    );
    // Without a user, no lifetime value.
    assert_eq!(discounted(&s, None, &cart).await, json!(400));
}

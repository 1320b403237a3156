//! Discounts on the demo project: coupons on preview, create and update, single-use coupons
//! under concurrency on two nodes, and the Discounts module's reads.

use openentry_server::ProjectSource;
use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;

mod admin;
mod bonus;
mod history;
mod refunds;

const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
const PREVIEW: &str = "/api/content/orders-storage/orders/preview?langCode=en_US";

/// The demo project: its discounts are what the shop template shows.
async fn spawn() -> TestServer {
    TestServer::spawn_with(|_| {}, ProjectSource::Demo).await
}

fn body(products: &Value, coupon: Option<&str>) -> Value {
    let mut b = json!({
        "formIdentifier": "order",
        "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": products,
    });
    if let Some(c) = coupon {
        b["couponCode"] = json!(c);
    }
    b
}

fn bag() -> Value {
    json!([{"productId": 15, "quantity": 1}])
}

async fn create(s: &TestServer, t: &str, b: Value) -> Resp {
    s.post(ORDERS, Some(t), b).await
}

async fn validate(s: &TestServer, code: &str) -> Value {
    let r = s
        .get(
            &format!("/api/content/discounts/coupons/validate?code={code}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn a_coupon_prices_preview_and_create_alike_and_the_seed_stays_400() {
    let s = spawn().await;
    let t = s.user(&email("bags10")).await;
    let plain = create(&s, &t, body(&bag(), None)).await;
    assert_eq!(
        (plain.status, plain.body["totalSum"].clone()),
        (201, json!(400))
    );
    assert_eq!(plain.body["discountConfig"]["productDiscounts"], json!([]));
    let p = s.post(PREVIEW, None, body(&bag(), Some("bags10"))).await;
    assert_eq!(p.status, 200, "{:?}", p.body);
    assert_eq!(p.body["totalSum"], json!(400));
    assert_eq!(p.body["totalSumWithDiscount"], json!(360));
    assert_eq!(p.body["totalDue"], json!(360));
    assert_eq!(p.body["orderPreview"][0]["discountPrice"], json!(360));
    let r = create(&s, &t, body(&bag(), Some("bags10"))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(
        (r.body["totalSum"].clone(), r.body["totalDue"].clone()),
        (json!(360), json!(360))
    );
    let dc = &r.body["discountConfig"];
    assert_eq!(dc, &p.body["discountConfig"], "preview equals create");
    assert_eq!(dc["totalRaw"], json!(400));
    assert_eq!(dc["coupon"]["code"], "BAGS10");
    let d = &dc["productDiscounts"][0];
    assert_eq!(
        (
            d["identifier"].clone(),
            d["discountType"].clone(),
            d["value"].clone(),
            d["amount"].clone()
        ),
        (json!("bags-10"), json!("PERCENT"), json!(10), json!(40))
    );
    assert_eq!(dc["settings"]["allowStacking"], json!(true));
    assert_eq!(dc["settings"]["maxDiscountValue"], json!(50));
    let id = r.body["id"].as_i64().unwrap();
    let stored = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&t))
        .await;
    assert_eq!(stored.body["totalSum"], "360.00");
    // Reading the order back through an update keeps its discounts.
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    let u = s
        .call(
            Method::PUT,
            &path,
            Some(&t),
            Some(body(&bag(), Some("BAGS10"))),
        )
        .await;
    assert_eq!(u.status, 200, "{:?}", u.body);
    assert_eq!(u.body["totalSum"], json!(360));
    assert_eq!(u.body["discountConfig"]["coupon"]["code"], "BAGS10");
}

#[tokio::test]
async fn coupons_that_do_not_exist_or_do_not_apply_are_refused() {
    let s = spawn().await;
    let t = s.user(&email("nocoupon")).await;
    let r = create(&s, &t, body(&bag(), Some("NOPE"))).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    let belt = json!([{"productId": 17, "quantity": 1}]);
    let r = create(&s, &t, body(&belt, Some("WELCOME20"))).await;
    assert_eq!(r.status, 400, "below the minimum cart: {:?}", r.body);
    let r = s
        .post(
            PREVIEW,
            None,
            json!({"products": belt, "additionalDiscountsMarkers": ["nope"]}),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert_eq!(
        validate(&s, "NOPE").await,
        json!({"valid": false, "error": "Coupon not found"})
    );
}

#[tokio::test]
async fn gifts_are_free_lines() {
    let s = spawn().await;
    let t = s.user(&email("gift")).await;
    let wallet = json!([{"productId": 16, "quantity": 1}]);
    let r = create(&s, &t, body(&wallet, Some("GIFT"))).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["totalSum"], json!(59.9));
    let id = r.body["id"].as_i64().unwrap();
    let stored = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&t))
        .await;
    let lines = stored.body["products"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["id"] == 17 && l["isGift"] == true && l["price"] == 0)
    );
}

#[tokio::test]
async fn a_single_use_coupon_serves_one_order_and_comes_back_on_cancel() {
    let s = spawn().await;
    let t = s.user(&email("welcome")).await;
    assert_eq!(validate(&s, "welcome20").await["valid"], true);
    let first = create(&s, &t, body(&bag(), Some("WELCOME20"))).await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.body["totalSum"], json!(380));
    let id = first.body["id"].as_i64().unwrap();
    let v = validate(&s, "WELCOME20").await;
    assert_eq!(
        (v["valid"].clone(), v["coupon"]["isUsed"].clone()),
        (json!(false), json!(true))
    );
    assert_eq!(v["coupon"]["orderId"], json!(id));
    let second = create(&s, &t, body(&bag(), Some("WELCOME20"))).await;
    assert_eq!(second.status, 400, "{:?}", second.body);
    let mut cancel = body(&bag(), Some("WELCOME20"));
    cancel["statusIdentifier"] = json!("withdrawn");
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    let c = s.call(Method::PUT, &path, Some(&t), Some(cancel)).await;
    assert_eq!(c.status, 200, "{:?}", c.body);
    assert_eq!(
        validate(&s, "WELCOME20").await["valid"],
        true,
        "released on cancel"
    );
    assert_eq!(
        create(&s, &t, body(&bag(), Some("WELCOME20"))).await.status,
        201
    );
}

#[tokio::test]
async fn fifty_concurrent_orders_on_two_nodes_claim_a_single_use_coupon_once() {
    let a = spawn().await;
    let b = a.second_node().await;
    let t = a.user(&email("race")).await;
    let calls = (0..50).map(|i| {
        let node = if i % 2 == 0 { &a } else { &b };
        create(node, &t, body(&bag(), Some("WELCOME20")))
    });
    let results = futures::future::join_all(calls).await;
    let won: Vec<&Resp> = results.iter().filter(|r| r.status == 201).collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(results.iter().all(|r| matches!(r.status, 201 | 400 | 409)));
    assert_eq!(won[0].body["totalSum"], json!(380));
    let orders = a
        .get(
            &format!("{ORDERS}?langCode=en_US&limit=100&offset=0"),
            Some(&t),
        )
        .await;
    assert_eq!(
        orders.body["total"],
        json!(1),
        "the losers left nothing behind"
    );
}

#[tokio::test]
async fn the_discounts_module_lists_the_project_discounts() {
    let s = spawn().await;
    let all = s
        .get(
            "/api/content/discounts?langCode=en_US&offset=0&limit=30",
            None,
        )
        .await;
    assert_eq!(all.status, 200, "{:?}", all.body);
    assert_eq!(all.body["total"], json!(7)); // three with coupons, three sale prices, cashback
    assert_eq!(all.body["items"][0]["identifier"], "bags-10");
    let one = s
        .get(
            "/api/content/discounts/marker/welcome?marker=&langCode=en_US",
            None,
        )
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(
        one.body["discountValue"],
        json!({"applicability": "TO_ORDER", "discountType": "FIXED_AMOUNT", "value": 20})
    );
    assert_eq!(
        one.body["conditions"],
        json!([{"type": "MIN_CART_AMOUNT", "value": "100"}])
    );
    let bonus = s
        .get("/api/content/discounts?langCode=en_US&type=BONUS", None)
        .await;
    assert_eq!(bonus.body["total"], json!(1));
    assert_eq!(
        bonus.body["items"][0]["bonusEvent"],
        json!({"triggerEvent": "ORDER_PAID"})
    );
    assert_eq!(
        s.get("/api/content/discounts/marker/nope?langCode=en_US", None)
            .await
            .status,
        404
    );
}

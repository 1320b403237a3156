//! Orders: server-side totals, validation, ownership, idempotency, updates, refunds, history.

use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;

const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";

fn seed_body() -> Value {
    json!({
        "formIdentifier": "order",
        "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}]
    })
}

fn cart(products: Value) -> Value {
    let mut b = seed_body();
    b["products"] = products;
    b
}

async fn create(s: &TestServer, token: &str, body: Value) -> Resp {
    s.post(ORDERS, Some(token), body).await
}

async fn count(s: &TestServer, token: &str) -> i64 {
    s.get(
        &format!("{ORDERS}?langCode=en_US&limit=30&offset=0"),
        Some(token),
    )
    .await
    .body["total"]
        .as_i64()
        .unwrap()
}

async fn admin_status(s: &TestServer, id: i64, status: &str) -> Resp {
    let path = format!("/api/admin/orders/{id}/status");
    let body = json!({"statusIdentifier": status});
    s.admin(reqwest::Method::PUT, &path, Some(body)).await
}

#[tokio::test]
async fn the_seed_order_is_priced_by_the_server() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("seed")).await;
    let r = create(&s, &t, seed_body()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let b = &r.body;
    assert!(b["id"].as_i64().unwrap() > 0);
    assert_eq!(b["currency"], "USD");
    assert_eq!(b["totalSum"], json!(400));
    assert_eq!(b["totalDue"], json!(400));
    assert_eq!(b["bonusApplied"], json!(0));
    assert_eq!(b["statusIdentifier"], "upcoming");
    assert_eq!(b["statusLocalizeInfos"], json!({"title": "Upcoming"}));
    assert_eq!(b["products"], json!([{"productId": 15, "quantity": 1}]));
    assert_eq!(
        b["formData"],
        json!([{"marker": "name", "type": "string", "value": "Christina Thomas"}])
    );
    assert_eq!(b["createdDate"], "2026-06-06T11:38:21.644Z");
    let dc = &b["discountConfig"];
    assert_eq!(dc["coupon"], Value::Null);
    assert_eq!(dc["settings"]["giftRefundPolicy"], "KEEP_GIFT");
    assert_eq!(dc["bonus"]["availableBalance"], json!(0));
    for k in ["totalRaw", "totalSumWithDiscount", "totalDue"] {
        assert_eq!(dc[k], json!(400), "{k}");
    }
    let stored = s
        .get(&format!("{ORDERS}/{}?langCode=en_US", b["id"]), Some(&t))
        .await;
    assert_eq!(stored.status, 200);
    assert_eq!(
        stored.body["totalSum"], "400.00",
        "a string in stored orders"
    );
    assert_eq!(stored.body["storageId"], 1);
    assert_eq!(stored.body["paymentUrl"], Value::Null);
    assert_eq!(stored.body["isCompleted"], false);
    assert_eq!(
        stored.body["products"][0],
        json!({"id": 15, "title": "Leather bag", "sku": "BAG-15", "previewImage": null, "price": 400, "quantity": 1, "isGift": false})
    );
}

#[tokio::test]
async fn what_the_client_says_about_money_status_or_owner_is_ignored() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("tamper")).await;
    let mut body = cart(json!([{"productId": 15, "quantity": 2, "price": 1, "total": 1}]));
    for (k, v) in [
        ("totalSum", json!(1)),
        ("currency", json!("JPY")),
        ("statusIdentifier", json!("paid")),
        ("userId", json!(999)),
        ("totalDue", json!(0)),
        ("discountConfig", json!({"totalDue": 0})),
    ] {
        body[k] = v;
    }
    let r = create(&s, &t, body).await;
    assert_eq!(r.status, 201);
    assert_eq!(
        (
            r.body["totalSum"].clone(),
            r.body["currency"].clone(),
            r.body["statusIdentifier"].clone()
        ),
        (json!(800), json!("USD"), json!("upcoming"))
    );
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn bad_orders_are_refused_and_leave_nothing_behind() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("bad")).await;
    let mut missing_name = seed_body();
    missing_name["formData"] = json!({"en_US": []});
    let mut unlinked = seed_body();
    unlinked["paymentAccountIdentifier"] = json!("cheque");
    let mut no_account = seed_body();
    no_account
        .as_object_mut()
        .unwrap()
        .remove("paymentAccountIdentifier");
    let mut coupon = seed_body();
    coupon["couponCode"] = json!("FREE");
    let cases = [
        (
            cart(json!([{"productId": 999, "quantity": 1}])),
            400,
            "product 999 does not exist",
        ),
        (
            cart(json!([{"productId": 15, "quantity": 0}])),
            400,
            "quantity 0",
        ),
        (
            cart(json!([{"productId": 15, "quantity": -1}])),
            400,
            "quantity -1",
        ),
        (
            cart(json!([{"productId": 15, "quantity": 10001}])),
            400,
            "quantity 10001",
        ),
        (
            cart(json!([{"productId": 15, "quantity": 1.5}])),
            400,
            "Invalid request body",
        ),
        (
            cart(json!([{"productId": 15, "quantity": "1"}])),
            400,
            "Invalid request body",
        ),
        (cart(json!([])), 400, "no products"),
        (
            cart(json!([{"productId": 18, "quantity": 1}])),
            400,
            "cannot be ordered",
        ),
        (
            cart(json!([{"productId": 19, "quantity": 1}])),
            400,
            "has no price",
        ),
        (
            cart(json!([{"productId": 15, "quantity": 1}, {"productId": 20, "quantity": 1}])),
            400,
            "different currencies",
        ),
        (
            cart(json!(vec![json!({"productId": 15, "quantity": 1}); 1001])),
            400,
            "at most 1000 lines",
        ),
        (missing_name, 400, "Required fields are missing: name"),
        (unlinked, 400, "not linked to order storage"),
        (no_account, 400, "paymentAccountIdentifier is required"),
        (coupon, 400, "Coupon \"FREE\" does not exist"),
    ];
    for (body, status, message) in cases {
        let r = create(&s, &t, body.clone()).await;
        assert_eq!(r.status, status, "{body} → {:?}", r.body);
        assert!(
            r.message().to_lowercase().contains(&message.to_lowercase()),
            "{} does not say {message:?}",
            r.message()
        );
    }
    let r = s
        .post(
            "/api/content/orders-storage/marker/nope/orders",
            Some(&t),
            seed_body(),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(count(&s, &t).await, 0, "no order was written");
    assert_eq!(
        s.post(ORDERS, None, seed_body()).await.status,
        401,
        "orders need a user"
    );
}

#[tokio::test]
async fn an_overflowing_total_is_refused_with_422() {
    let text =
        openentry_testkit::TEST_CATALOG.replace("price = \"400\"", "price = \"92233720368547758\"");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, text).unwrap();
    let s = TestServer::spawn_with(|_| {}, openentry_server::ProjectSource::File(path)).await;
    let t = s.user(&email("big")).await;
    let r = create(&s, &t, cart(json!([{"productId": 15, "quantity": 10000}]))).await;
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(count(&s, &t).await, 0);
}

#[tokio::test]
async fn other_users_orders_look_exactly_like_missing_ones() {
    let s = TestServer::spawn().await;
    let a = s.user(&email("owner")).await;
    let b = s.user(&email("other")).await;
    let id = create(&s, &a, seed_body()).await.body["id"]
        .as_i64()
        .unwrap();
    let missing = id + 1000;
    let strip = |r: Resp| {
        let mut body = r.body;
        body["timestamp"] = Value::Null;
        (
            r.status,
            body.to_string()
                .replace(&missing.to_string(), "ID")
                .replace(&id.to_string(), "ID"),
        )
    };
    for (method, path, body) in [
        (Method::GET, format!("{ORDERS}/{{}}?langCode=en_US"), None),
        (
            Method::PUT,
            format!("{ORDERS}/{{}}?langCode=en_US"),
            Some(json!({"statusIdentifier": "canceled"})),
        ),
        (
            Method::POST,
            "/api/content/orders/{}/refund".to_owned(),
            Some(json!({"products": {"15": {"quantity": 1}}})),
        ),
        (
            Method::GET,
            "/api/content/orders/{}/refund".to_owned(),
            None,
        ),
        (
            Method::DELETE,
            "/api/content/orders/{}/refund".to_owned(),
            None,
        ),
    ] {
        let theirs = s
            .call(
                method.clone(),
                &path.replace("{}", &id.to_string()),
                Some(&b),
                body.clone(),
            )
            .await;
        let nobody = s
            .call(
                method.clone(),
                &path.replace("{}", &missing.to_string()),
                Some(&b),
                body,
            )
            .await;
        assert_eq!(theirs.status, 404, "{method} {path}");
        assert_eq!(strip(theirs), strip(nobody), "{method} {path}");
    }
    assert_eq!(
        count(&s, &b).await,
        0,
        "lists hold only the caller's orders"
    );
    assert_eq!(count(&s, &a).await, 1);
    let own = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&a))
        .await;
    assert_eq!(
        own.body["statusIdentifier"], "upcoming",
        "the other user changed nothing"
    );
}

#[tokio::test]
async fn fifty_concurrent_orders_get_fifty_ids() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("many")).await;
    let calls = (0..50).map(|_| create(&s, &t, seed_body()));
    let results = futures::future::join_all(calls).await;
    let mut ids: Vec<i64> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{:?}", r.body);
            r.body["id"].as_i64().unwrap()
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    assert_eq!(count(&s, &t).await, 50);
}

pub(crate) async fn create_with_key(
    s: &TestServer,
    token: &str,
    key: &str,
    body: &Value,
) -> (u16, String) {
    let r = s
        .http
        .post(format!("{}{ORDERS}", s.url))
        .header("x-app-token", &s.app_token)
        .header("idempotency-key", key)
        .bearer_auth(token)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn idempotency_keys_replay_and_refuse_other_bodies() {
    let s = TestServer::spawn().await;
    let e = email("idem");
    let t = s.user(&e).await;
    let first = create_with_key(&s, &t, "k-1", &seed_body()).await;
    assert_eq!(first.0, 201);
    s.clock.advance_secs(24 * 3600 - 60);
    // Access tokens live an hour: sign in again on the moved clock.
    let t = s.sign_in(&e, "correct horse battery").await.0;
    let again = create_with_key(&s, &t, "k-1", &seed_body()).await;
    assert_eq!(again, first, "byte-identical replay within 24 h");
    assert_eq!(count(&s, &t).await, 1);

    let other = create_with_key(
        &s,
        &t,
        "k-1",
        &cart(json!([{"productId": 16, "quantity": 1}])),
    )
    .await;
    assert_eq!(other.0, 422, "{}", other.1);
    assert_eq!(count(&s, &t).await, 1);

    // Keys are per user.
    let u = s.user(&email("idem2")).await;
    let theirs = create_with_key(&s, &u, "k-1", &seed_body()).await;
    assert_eq!(theirs.0, 201);
    assert_ne!(theirs.1, first.1);

    // A refused request stores nothing: the corrected retry with the same key goes through.
    let refused = create_with_key(
        &s,
        &t,
        "k-2",
        &cart(json!([{"productId": 999, "quantity": 1}])),
    )
    .await;
    assert_eq!(refused.0, 400);
    assert_eq!(create_with_key(&s, &t, "k-2", &seed_body()).await.0, 201);

    // After 24 h a key is forgotten.
    s.clock.advance_secs(61);
    let t = s.sign_in(&e, "correct horse battery").await.0;
    let later = create_with_key(&s, &t, "k-1", &seed_body()).await;
    assert_eq!(later.0, 201);
    assert_ne!(later.1, first.1);
    assert_eq!(count(&s, &t).await, 3);
}

#[tokio::test]
async fn concurrent_requests_with_one_key_make_one_order() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("idemrace")).await;
    let body = seed_body();
    let calls = (0..20).map(|_| create_with_key(&s, &t, "same", &body));
    let results = futures::future::join_all(calls).await;
    assert!(
        results
            .iter()
            .all(|(status, _)| *status == 201 || *status == 409),
        "{results:?}"
    );
    assert_eq!(count(&s, &t).await, 1);
}

#[tokio::test]
async fn preview_equals_create() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("preview")).await;
    let products = json!([{"productId": 16, "quantity": 3}, {"productId": 17, "quantity": 1}, {"productId": 16, "quantity": 1}]);
    let preview = s
        .post(
            "/api/content/orders-storage/orders/preview?langCode=en_US",
            Some(&t),
            json!({"products": products}),
        )
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    let created = create(&s, &t, cart(products)).await;
    for k in [
        "totalSum",
        "totalDue",
        "bonusApplied",
        "currency",
        "discountConfig",
    ] {
        assert_eq!(preview.body[k], created.body[k], "{k}");
    }
    assert_eq!(
        preview.body["totalSum"],
        json!(274.6),
        "4 × 59.90 + 35, exactly"
    );
    assert_eq!(
        preview.body["orderPreview"][0],
        json!({"id": 16, "price": 59.9, "quantity": 4, "discountPrice": null, "isGift": false})
    );
    assert_eq!(count(&s, &t).await, 1, "preview wrote nothing");
}

#[tokio::test]
async fn customers_may_cancel_unpaid_orders_and_change_their_carts() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("upd")).await;
    let id = create(&s, &t, seed_body()).await.body["id"]
        .as_i64()
        .unwrap();
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    let r = s
        .call(
            Method::PUT,
            &path,
            Some(&t),
            Some(cart(
                json!([{"productId": 15, "quantity": 2}, {"productId": 17, "quantity": 1}]),
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["totalSum"], json!(835), "re-priced from the catalog");
    let mut cancel =
        cart(json!([{"productId": 15, "quantity": 2}, {"productId": 17, "quantity": 1}]));
    cancel["statusIdentifier"] = json!("canceled");
    let r = s
        .call(Method::PUT, &path, Some(&t), Some(cancel.clone()))
        .await;
    assert_eq!(
        (r.status, r.body["statusIdentifier"].clone()),
        (200, json!("canceled"))
    );
    let stored = s.get(&path, Some(&t)).await;
    assert_eq!(stored.body["isCompleted"], true);
    let back = s
        .call(
            Method::PUT,
            &path,
            Some(&t),
            Some(json!({"statusIdentifier": "upcoming"})),
        )
        .await;
    assert_eq!(back.status, 409, "a canceled order stays canceled");
    let r = s
        .call(
            Method::PUT,
            &path,
            Some(&t),
            Some(cart(json!([{"productId": 16, "quantity": 1}]))),
        )
        .await;
    assert_eq!(r.status, 409, "no cart changes after cancellation");
}

#[tokio::test]
async fn nothing_changes_after_payment_and_refunds_follow_the_rules() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("paid")).await;
    let id = create(&s, &t, cart(json!([{"productId": 15, "quantity": 2}])))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let refund = format!("/api/content/orders/{id}/refund");
    let ask = |q: i64| json!({"products": {"15": {"quantity": q}}, "note": "scratched"});
    assert_eq!(
        s.post(&refund, Some(&t), ask(1)).await.status,
        409,
        "not paid yet"
    );
    assert_eq!(admin_status(&s, id, "paid").await.status, 200);
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    assert_eq!(
        s.call(
            Method::PUT,
            &path,
            Some(&t),
            Some(cart(json!([{"productId": 15, "quantity": 1}])))
        )
        .await
        .status,
        409
    );
    assert_eq!(
        s.call(
            Method::PUT,
            &path,
            Some(&t),
            Some(json!({"statusIdentifier": "canceled"}))
        )
        .await
        .status,
        409
    );

    assert_eq!(
        s.post(&refund, Some(&t), ask(3)).await.status,
        400,
        "more than ordered"
    );
    let r = s.post(&refund, Some(&t), ask(1)).await;
    assert_eq!((r.status, r.body.clone()), (200, json!(true)));
    assert_eq!(
        s.post(&refund, Some(&t), ask(1)).await.status,
        409,
        "one open request at a time"
    );
    let list = s.get(&refund, Some(&t)).await.body;
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(list[0]["amount"], json!(400));
    assert_eq!(list[0]["products"], json!({"15": {"quantity": 1}}));
    let r = s.call(Method::DELETE, &refund, Some(&t), None).await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(
        s.call(Method::DELETE, &refund, Some(&t), None).await.status,
        404
    );
    assert_eq!(
        s.post(&refund, Some(&t), ask(2)).await.status,
        200,
        "a canceled request frees its units"
    );
    assert_eq!(
        s.get(&refund, Some(&t))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn every_change_is_in_the_history() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("hist")).await;
    let id = create(&s, &t, seed_body()).await.body["id"]
        .as_i64()
        .unwrap();
    let path = format!("{ORDERS}/{id}?langCode=en_US");
    s.call(
        Method::PUT,
        &path,
        Some(&t),
        Some(cart(json!([{"productId": 16, "quantity": 1}]))),
    )
    .await;
    admin_status(&s, id, "paid").await;
    s.post(
        &format!("/api/content/orders/{id}/refund"),
        Some(&t),
        json!({"products": {"16": {"quantity": 1}}}),
    )
    .await;
    let h = s
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/orders/{id}/history"),
            None,
        )
        .await
        .body;
    let kinds: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "products", "status", "refund_requested"]);
    assert!(h[0]["actor"].as_str().unwrap().starts_with("user:"));
    assert_eq!(h[2]["actor"], "admin");
    assert_eq!(h[2]["detail"], json!({"from": "upcoming", "to": "paid"}));
}

#[tokio::test]
async fn storages_and_statuses_are_listed() {
    let s = TestServer::spawn().await;
    let storages = s
        .get(
            "/api/content/orders-storage?langCode=en_US&limit=30&offset=0",
            None,
        )
        .await;
    assert_eq!(storages.body[0]["identifier"], "orders");
    assert_eq!(storages.body[0]["formIdentifier"], "order");
    assert_eq!(
        storages.body[0]["paymentAccountIdentifiers"],
        json!([{"identifier": "cash"}, {"identifier": "card"}])
    );
    let one = s
        .get(
            "/api/content/orders-storage/marker/orders?langCode=en_US",
            None,
        )
        .await;
    assert_eq!(one.body["localizeInfos"]["en_US"]["title"], "Orders");
    let statuses = s
        .get(
            "/api/content/orders-storage/marker/orders/order-statuses?langCode=en_US",
            None,
        )
        .await;
    let ids: Vec<&str> = statuses
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["upcoming", "paid", "completed", "canceled"]);
    assert_eq!(statuses.body[0]["isDefault"], true);
    assert_eq!(
        s.get("/api/content/orders-storage/marker/nope", None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_product_is_refunded_under_one_key_only() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("alias")).await;
    let id = create(&s, &t, cart(json!([{"productId": 15, "quantity": 1}])))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    assert_eq!(admin_status(&s, id, "paid").await.status, 200);
    let refund = format!("/api/content/orders/{id}/refund");
    // "15", "015" and "+15" name one product: counted three times they made 1,200 of 400.
    for products in [
        json!({"15": {"quantity": 1}, "015": {"quantity": 1}, "+15": {"quantity": 1}}),
        json!({"015": {"quantity": 1}}),
        json!({"+15": {"quantity": 1}}),
        json!({" 15": {"quantity": 1}}),
    ] {
        let r = s
            .post(&refund, Some(&t), json!({"products": products}))
            .await;
        assert_eq!(r.status, 400, "{products}: {:?}", r.body);
    }
    assert_eq!(s.get(&refund, Some(&t)).await.body, json!([]));
    let r = s
        .post(
            &refund,
            Some(&t),
            json!({"products": {"15": {"quantity": 1}}}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(s.get(&refund, Some(&t)).await.body[0]["amount"], json!(400));
    // The same in paths: one spelling per id.
    for alias in [format!("0{id}"), format!("+{id}")] {
        let r = s
            .get(&format!("/api/content/orders/{alias}/refund"), Some(&t))
            .await;
        assert_eq!(r.status, 400, "{alias}: {:?}", r.body);
        let r = s
            .get(&format!("{ORDERS}/{alias}?langCode=en_US"), Some(&t))
            .await;
        assert_eq!(r.status, 400, "{alias}: {:?}", r.body);
    }
}

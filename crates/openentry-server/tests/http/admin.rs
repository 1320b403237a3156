//! The operator surface: lists read the same orders their owners see.

use openentry_testkit::TestServer;
use serde_json::json;

use crate::email;

const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";

async fn order_of(s: &TestServer, token: &str, quantity: i64) -> i64 {
    let body = json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": quantity}]
    });
    let r = s.post(ORDERS, Some(token), body).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn every_order_of_a_page_carries_its_own_lines() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("adm")).await;
    let mut ids = Vec::new();
    for quantity in 1..=4 {
        ids.push(order_of(&s, &t, quantity).await);
    }
    let page = s
        .admin(
            reqwest::Method::GET,
            "/api/admin/orders?offset=1&limit=2",
            None,
        )
        .await
        .body;
    assert_eq!(page["total"], 4);
    let items = page["items"].as_array().unwrap();
    let got: Vec<(i64, i64)> = items
        .iter()
        .map(|o| {
            let lines = o["products"].as_array().unwrap();
            assert_eq!(lines.len(), 1, "{o}");
            (
                o["id"].as_i64().unwrap(),
                lines[0]["quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [(ids[2], 3), (ids[1], 2)]);
    for item in items {
        let id = item["id"].as_i64().unwrap();
        let own = s
            .call(
                reqwest::Method::GET,
                &format!("{ORDERS}/{id}?langCode=en_US"),
                Some(&t),
                None,
            )
            .await;
        assert_eq!(own.status, 200);
        assert_eq!(item["products"], own.body["products"]);
    }
}

#[tokio::test]
async fn the_order_list_filters_by_storage_and_status() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("flt")).await;
    let first = order_of(&s, &t, 1).await;
    let second = order_of(&s, &t, 2).await;
    let r = s
        .admin(
            reqwest::Method::PUT,
            &format!("/api/admin/orders/{second}/status"),
            Some(json!({"statusIdentifier": "paid"})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let ids = |path: &'static str| {
        let s = &s;
        async move {
            let page = s.admin(reqwest::Method::GET, path, None).await.body;
            let ids: Vec<i64> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_i64().unwrap())
                .collect();
            (ids, page["total"].as_i64().unwrap())
        }
    };
    assert_eq!(
        ids("/api/admin/orders?status=paid").await,
        (vec![second], 1)
    );
    assert_eq!(
        ids("/api/admin/orders?storage=orders&status=upcoming").await,
        (vec![first], 1)
    );
    assert_eq!(
        ids("/api/admin/orders?storage=orders").await,
        (vec![second, first], 2)
    );
    // An unknown marker lists nothing, not everything.
    assert_eq!(ids("/api/admin/orders?status=nope").await, (vec![], 0));
}

//! The admin API of discounts and coupons: edits checked as `project check` checks a file,
//! kept in the stored project (a restarted node serves them), codes generated from masks, and
//! gifts that replace the cart items they are given for.

use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use super::{ORDERS, body, create, spawn, validate};
use crate::email;

const ADMIN: &str = "/api/admin/discounts";

async fn post(s: &TestServer, path: &str, b: Value) -> Resp {
    s.admin(Method::POST, path, Some(b)).await
}

async fn codes(s: &TestServer, marker: &str) -> Vec<Value> {
    let r = s
        .admin(Method::GET, &format!("{ADMIN}/{marker}/coupons"), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

fn spring() -> Value {
    json!({
        "identifier": "spring",
        "title": {"en_US": "Spring"},
        "value_type": "PERCENT",
        "value": "15",
        "applicability": "TO_ORDER",
        "coupons": [{"mask": "spring-####-??", "count": 5}],
    })
}

/// The demo's discounts: three with coupons, three sale prices, the cashback program.
const DEMO_DISCOUNTS: usize = 7;

#[tokio::test]
async fn discounts_are_checked_created_and_their_mask_codes_made() {
    let s = spawn().await;
    let list = s.admin(Method::GET, ADMIN, None).await;
    assert_eq!(list.body["total"], json!(DEMO_DISCOUNTS), "{:?}", list.body);
    assert_eq!(list.body["items"][0]["definition"]["identifier"], "bags-10");
    let bad = post(
        &s,
        ADMIN,
        json!({"identifier": "bad", "value_type": "PERCENT", "value": "120"}),
    )
    .await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);
    assert!(
        bad.body["message"]
            .as_str()
            .unwrap()
            .contains(&format!("discounts[{DEMO_DISCOUNTS}].value"))
    );
    let small = json!({"identifier": "tiny", "value_type": "PERCENT", "value": "5",
        "coupons": [{"mask": "T-####", "count": 6000}]});
    assert_eq!(
        post(&s, ADMIN, small).await.status,
        400,
        "more than half the space"
    );
    let r = post(&s, ADMIN, spring()).await;
    assert_eq!(
        (r.status, r.body["id"].clone()),
        (201, json!(DEMO_DISCOUNTS + 1)),
        "{:?}",
        r.body
    );
    assert_eq!(
        post(&s, ADMIN, spring()).await.status,
        409,
        "markers are unique"
    );
    let made = codes(&s, "spring").await;
    assert_eq!(made.len(), 5);
    let mut seen: Vec<&str> = made.iter().map(|c| c["code"].as_str().unwrap()).collect();
    for c in &seen {
        let b = c.as_bytes();
        assert!(
            c.len() == 14 && c.starts_with("SPRING-") && b[11] == b'-',
            "{c}"
        );
        assert!(b[7..11].iter().all(u8::is_ascii_digit), "{c}");
        assert!(b[12..].iter().all(u8::is_ascii_uppercase), "{c}");
    }
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 5, "unique");
    assert!(
        made.iter()
            .all(|c| c["isReusable"] == false && c["isUsed"] == false)
    );
    let code = seen[0].to_owned();
    let v = validate(&s, &code.to_ascii_lowercase()).await;
    assert_eq!(v["valid"], true, "{v:?}");
    assert!(v["coupon"]["id"].as_i64().unwrap() > 1_000_000);
    // A generated code is single-use.
    let t = s.user(&email("spring")).await;
    let bag = json!([{"productId": 15, "quantity": 1}]);
    let o = create(&s, &t, body(&bag, Some(&code))).await;
    assert_eq!(
        (o.status, o.body["totalSum"].clone()),
        (201, json!(340)),
        "{:?}",
        o.body
    );
    assert_eq!(create(&s, &t, body(&bag, Some(&code))).await.status, 400);
    let used = codes(&s, "spring").await;
    let mine = used.iter().find(|c| c["code"] == code.as_str()).unwrap();
    assert_eq!(
        (mine["isUsed"].clone(), mine["orderId"].clone()),
        (json!(true), o.body["id"].clone())
    );
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // a scenario reads top to bottom
async fn edits_are_served_at_once_kept_on_a_restart_and_deleted() {
    let s = spawn().await;
    assert_eq!(post(&s, ADMIN, spring()).await.status, 201);
    let seen: Vec<String> = codes(&s, "spring")
        .await
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    let code = seen[0].clone();
    // An update is served by the Content API at once.
    let mut twenty = spring();
    twenty["value"] = json!("20");
    let u = s
        .admin(Method::PUT, &format!("{ADMIN}/spring"), Some(twenty))
        .await;
    assert_eq!(u.status, 200, "{:?}", u.body);
    let served = s
        .get("/api/content/discounts/marker/spring?langCode=en_US", None)
        .await;
    assert_eq!(served.body["discountValue"]["value"], json!(20));
    let renamed = s
        .admin(
            Method::PUT,
            &format!("{ADMIN}/spring"),
            Some(json!({"identifier": "autumn", "value_type": "NONE"})),
        )
        .await;
    assert_eq!(renamed.status, 400);
    // Kept: a node started on the same database serves the same discount and codes.
    let b = s.second_node().await;
    let again = codes(&b, "spring").await;
    assert_eq!(again.len(), 5);
    assert!(again.iter().any(|c| c["code"] == code.as_str()));
    // A manual code next to the mask, then the mask goes with its codes.
    let manual = post(
        &b,
        &format!("{ADMIN}/spring/coupons"),
        json!({"code": "SPRING-FIXED"}),
    )
    .await;
    assert_eq!(manual.status, 201, "{:?}", manual.body);
    assert_eq!(manual.body["total"], json!(6));
    let gone = s
        .admin(
            Method::DELETE,
            &format!("{ADMIN}/spring/coupons/spring-%23%23%23%23-%3F%3F"),
            None,
        )
        .await;
    assert_eq!(gone.status, 200, "{:?}", gone.body);
    let left = codes(&s, "spring").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["code"], "SPRING-FIXED");
    assert_eq!(validate(&s, &seen[1]).await["valid"], false);
    let d = s
        .admin(Method::DELETE, &format!("{ADMIN}/spring"), None)
        .await;
    assert_eq!(d.status, 200);
    assert_eq!(
        s.admin(Method::GET, &format!("{ADMIN}/spring"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        s.get("/api/content/discounts/marker/spring?langCode=en_US", None)
            .await
            .status,
        404
    );
    assert_eq!(s.get(ADMIN, None).await.status, 401, "operators only");
    // Every change is in the audit log, the discount before and after; the refused rename
    // left nothing.
    let log = s
        .admin(
            Method::GET,
            "/api/admin/audit?target=discounts/spring",
            None,
        )
        .await;
    assert_eq!(log.status, 200, "{:?}", log.body);
    let mut actions: Vec<&str> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        ["create", "update", "update", "update", "delete"],
        "{:?}",
        log.body
    );
    let entries = log.body.as_array().unwrap();
    assert_eq!(entries[0]["before"]["identifier"], "spring");
    assert!(entries[0]["after"].is_null());
    assert_eq!(entries[3]["before"]["value"], "15");
    assert_eq!(entries[3]["after"]["value"], "20");
}

#[tokio::test]
async fn concurrent_edits_on_two_nodes_are_never_lost() {
    let a = spawn().await;
    let b = a.second_node().await;
    let calls = (0..8).map(|i| {
        let node = if i % 2 == 0 { &a } else { &b };
        let d = json!({"identifier": format!("d{i}"), "value_type": "PERCENT", "value": "1"});
        post(node, ADMIN, d)
    });
    let results = futures::future::join_all(calls).await;
    assert!(
        results.iter().all(|r| matches!(r.status, 201 | 409)),
        "{:?}",
        results
            .iter()
            .map(|r| (r.status, r.body.clone()))
            .collect::<Vec<_>>()
    );
    let won = results.iter().filter(|r| r.status == 201).count();
    assert!(won >= 1);
    let list = a.admin(Method::GET, ADMIN, None).await;
    assert_eq!(
        list.body["total"],
        json!(DEMO_DISCOUNTS + won),
        "every 201 is kept, every 409 left nothing"
    );
}

#[tokio::test]
async fn gifts_replace_the_cart_items_they_are_given_for() {
    let s = spawn().await;
    let belt = json!({
        "identifier": "second-belt-free",
        "value_type": "NONE",
        "conditions": [{"type": "PRODUCT_IN_CART", "value": "17"}],
        "gifts": [17],
        "gifts_replace_cart_items": true,
    });
    assert_eq!(post(&s, ADMIN, belt).await.status, 201);
    let t = s.user(&email("belts")).await;
    let two = json!([{"productId": 17, "quantity": 2}]);
    let p = s
        .post(
            "/api/content/orders-storage/orders/preview?langCode=en_US",
            Some(&t),
            body(&two, None),
        )
        .await;
    assert_eq!(p.body["totalSum"], json!(35), "{:?}", p.body);
    let r = create(&s, &t, body(&two, None)).await;
    assert_eq!(
        (r.status, r.body["totalSum"].clone()),
        (201, json!(35)),
        "{:?}",
        r.body
    );
    assert_eq!(r.body["discountConfig"], p.body["discountConfig"]);
    let id = r.body["id"].as_i64().unwrap();
    let stored = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&t))
        .await;
    let price = |v: &Value| v.as_f64().or_else(|| v.as_str()?.parse().ok()).unwrap();
    let mut lines: Vec<(i64, String, bool)> = stored.body["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let p = format!("{:.2}", price(&l["price"]));
            (l["quantity"].as_i64().unwrap(), p, l["isGift"] == true)
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [(1, "0.00".to_owned(), true), (1, "35.00".to_owned(), false)],
        "one belt paid, the other is the gift"
    );
}

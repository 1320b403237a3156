//! The read-only catalog: products, product statuses, attribute sets, forms.

use openentry_server::ProjectSource;
use openentry_testkit::TEST_CATALOG;
use openentry_testkit::{Resp, TestServer};
use serde_json::{Value, json};

const P: &str = "/api/content/products";

fn ids(body: &Value) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

fn assert_error(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(r.body["statusCode"], status, "{:?}", r.body);
    assert!(!r.message().is_empty());
    assert!(r.body["pageData"].is_null());
    assert!(r.body["timestamp"].is_string());
}

async fn filtered(s: &TestServer, query: &str, filter: Value) -> Resp {
    s.post(
        &format!("{P}/all?langCode=en_US{query}"),
        None,
        json!({ "filter": filter }),
    )
    .await
}

#[tokio::test]
async fn a_product_by_id_has_its_exact_price_and_values() {
    let s = TestServer::spawn().await;
    let r = s.get(&format!("{P}/15?langCode=en_US"), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let p = &r.body;
    assert_eq!(p["id"], 15);
    assert_eq!(p["price"], json!(400));
    assert_eq!(
        p["localizeInfos"],
        json!({"en_US": {"title": "Leather bag"}})
    );
    assert_eq!(p["statusIdentifier"], "in_stock");
    assert_eq!(p["statusLocalizeInfos"]["en_US"]["title"], "In stock");
    assert_eq!(p["attributeSetIdentifier"], "product");
    assert_eq!(p["sku"], "BAG-15");
    assert_eq!(p["isSync"], false);
    assert_eq!(p["isVisible"], true);
    assert_eq!(p["position"], 1);
    assert_eq!(p["additional"], json!({"prices": {"min": 400, "max": 400}}));
    assert_eq!(p["categories"], json!(["catalog", "bags"]));
    assert_eq!(p["relatedIds"], json!([16, 17]));
    let price = &p["attributeValues"]["price"];
    assert_eq!(price["value"], json!(400));
    assert_eq!(price["type"], "float");
    assert_eq!(price["isPrice"], true);
    assert_eq!(price["additionalFields"], json!([]));
    assert_eq!(p["attributeValues"]["currency"]["value"], "USD");
    assert_eq!(p["attributeValues"]["currency"]["isCurrency"], true);
    assert_eq!(p["attributeValues"]["color"]["value"], "brown");
    assert_eq!(
        p["productPages"][1]["pageId"], 2,
        "bags is the second page seen"
    );
    assert_eq!(p["productPages"][1]["categoryPath"], "bags");

    // Decimal prices are exact JSON numbers; products without a price say null.
    let wallet = s.get(&format!("{P}/16"), None).await.body;
    assert_eq!(wallet["price"].to_string(), "59.9");
    let gift = s.get(&format!("{P}/19"), None).await.body;
    assert_eq!(gift["price"], Value::Null);
    assert!(gift["attributeValues"].get("price").is_none());
    assert_eq!(gift["additional"]["prices"], json!({"min": 0, "max": 0}));
    assert_eq!(
        s.get(&format!("{P}/18"), None).await.body["statusIdentifier"],
        "out_of_stock"
    );
}

#[tokio::test]
async fn filters_compare_prices_exactly() {
    let s = TestServer::spawn().await;
    let mth =
        json!([{"attributeMarker": "price", "conditionMarker": "mth", "conditionValue": 100}]);
    let r = filtered(&s, "&sortKey=id&sortOrder=ASC", mth).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(ids(&r.body), vec![15, 18, 20]);
    assert_eq!(r.body["total"], 3);
    assert_eq!(
        r.body["items"][0]["additional"]["prices"],
        json!({"min": 120.5, "max": 400})
    );

    let cases = [
        (
            json!({"conditionMarker": "mth", "conditionValue": "59.9"}),
            vec![15, 18, 20],
        ),
        (
            json!({"conditionMarker": "mth", "conditionValue": "59.89"}),
            vec![15, 16, 18, 20],
        ),
        (
            json!({"conditionMarker": "lth", "conditionValue": "59.91"}),
            vec![16, 17],
        ),
        (
            json!({"conditionMarker": "eq", "conditionValue": "59.90"}),
            vec![16],
        ),
        (
            json!({"conditionMarker": "eq", "conditionValue": 400}),
            vec![15],
        ),
        (
            json!({"conditionMarker": "neq", "conditionValue": "400.00"}),
            vec![16, 17, 18, 19, 20],
        ),
        (
            json!({"conditionMarker": "in", "conditionValue": ["35", 120.5]}),
            vec![17, 18],
        ),
        (json!({"conditionMarker": "nexs"}), vec![19]),
        (json!({"conditionMarker": "exs"}), vec![15, 16, 17, 18, 20]),
    ];
    for (mut f, want) in cases {
        f["attributeMarker"] = json!("price");
        let r = filtered(&s, "&sortKey=id&sortOrder=ASC", json!([f.clone()])).await;
        assert_eq!(r.status, 200, "{f}: {:?}", r.body);
        assert_eq!(ids(&r.body), want, "{f}");
    }

    // Other attributes, statuses, pages and titles; items combine with AND.
    let brown_in_stock = json!([
        {"attributeMarker": "color", "conditionMarker": "eq", "conditionValue": "brown"},
        {"attributeMarker": "currency", "conditionMarker": "nin", "conditionValue": "EUR",
         "statusMarker": "in_stock"}
    ]);
    let r = filtered(&s, "&sortKey=id&sortOrder=ASC", brown_in_stock).await;
    assert_eq!(ids(&r.body), vec![15, 17]);
    let r = filtered(&s, "&statusMarker=out_of_stock", json!([])).await;
    assert_eq!(ids(&r.body), vec![18]);
    let bags = json!([{"attributeMarker": "", "pageUrls": ["bags"]}]);
    assert_eq!(ids(&filtered(&s, "", bags).await.body), vec![15]);
    let title = json!([{"attributeMarker": "color", "conditionMarker": "exs", "title": "LEATHER"}]);
    assert_eq!(
        ids(&filtered(&s, "&sortOrder=ASC", title).await.body),
        vec![15, 20]
    );
    let q = "&attributeMarker=color&conditionMarker=eq&conditionValue=blue";
    assert_eq!(ids(&filtered(&s, q, json!([])).await.body), vec![18]);
}

#[tokio::test]
async fn lists_sort_and_page() {
    let s = TestServer::spawn().await;
    let r = filtered(&s, "&sortKey=price&sortOrder=ASC", json!([])).await;
    assert_eq!(ids(&r.body), vec![17, 16, 18, 20, 15, 19], "no price last");
    let r = filtered(&s, "&sortKey=price&sortOrder=DESC", json!([])).await;
    assert_eq!(ids(&r.body), vec![15, 20, 18, 16, 17, 19], "no price last");
    let r = filtered(&s, "&sortKey=title&sortOrder=ASC", json!([])).await;
    assert_eq!(ids(&r.body), vec![17, 19, 15, 20, 18, 16]);
    let r = filtered(&s, "", json!([])).await;
    assert_eq!(
        ids(&r.body),
        vec![20, 19, 18, 17, 16, 15],
        "default: position DESC"
    );

    let r = filtered(&s, "&sortKey=id&sortOrder=ASC&offset=2&limit=3", json!([])).await;
    assert_eq!(ids(&r.body), vec![17, 18, 19]);
    assert_eq!(r.body["total"], 6);
    let r = filtered(&s, "&offset=10", json!([])).await;
    assert_eq!(ids(&r.body), Vec::<i64>::new());
    assert_eq!(r.body["total"], 6);
    // The SDK's default call: no body keys, `langCode` only.
    let r = s
        .post(&format!("{P}/all?langCode=en_US"), None, json!({}))
        .await;
    assert_eq!(r.body["total"], 6, "{:?}", r.body);
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn pages_counts_and_the_other_product_routes() {
    let s = TestServer::spawn().await;
    let by_id = s
        .post(
            &format!("{P}/page/2?langCode=en_US&"),
            None,
            json!({"filter": []}),
        )
        .await;
    assert_eq!(ids(&by_id.body), vec![15], "page 2 is bags");
    let by_url = s
        .post(
            &format!("{P}/page/url/catalog?langCode=en_US&limit=2&sortKey=id&sortOrder=ASC"),
            None,
            json!({"filter": []}),
        )
        .await;
    assert_eq!(ids(&by_url.body), vec![15, 16]);
    assert_eq!(by_url.body["total"], 5);
    assert_error(&s.post(&format!("{P}/page/9"), None, json!({})).await, 404);
    let min = format!("{P}/page/{}", i64::MIN);
    assert_error(&s.post(&min, None, json!({})).await, 404);
    assert_error(
        &s.post(&format!("{P}/page/url/nope"), None, json!({})).await,
        404,
    );

    let prices = s
        .get(
            &format!("{P}/page/catalog/prices?langCode=en_US&sortKey=id&sortOrder=ASC"),
            None,
        )
        .await;
    assert_eq!(
        prices.body,
        json!({"items": [
            {"id": 15, "price": 400}, {"id": 16, "price": 59.9}, {"id": 17, "price": 35},
            {"id": 18, "price": 120.5}, {"id": 20, "price": 369}
        ], "total": 5})
    );

    let counts = s.post(&format!("{P}/all/counts"), None, json!([])).await;
    assert_eq!(
        counts.body,
        json!({"totalAll": 6, "totalInCategory": 6, "totalInCategoryWithNested": 6})
    );
    let f = json!([{"attributeMarker": "price", "conditionMarker": "lth", "conditionValue": 100}]);
    let counts = s
        .post(&format!("{P}/page/url/catalog/counts"), None, f.clone())
        .await;
    assert_eq!(
        counts.body,
        json!({"totalAll": 2, "totalInCategory": 2, "totalInCategoryWithNested": 2})
    );
    let counts = s.post(&format!("{P}/page/2/counts"), None, json!([])).await;
    assert_eq!(
        counts.body,
        json!({"totalAll": 6, "totalInCategory": 1, "totalInCategoryWithNested": 1})
    );

    let empty = s
        .post(&format!("{P}/empty-page?langCode=en_US"), None, json!({}))
        .await;
    assert_eq!(
        empty.body[0]["productIds"],
        json!(["19"]),
        "{:?}",
        empty.body
    );
    assert_eq!(empty.body[0]["total"], 1);
    assert_eq!(empty.body[0]["items"][0]["id"], 19);

    let related = s
        .get(
            &format!("{P}/15/related?langCode=en_US&sortKey=id&sortOrder=ASC"),
            None,
        )
        .await;
    assert_eq!(ids(&related.body), vec![16, 17]);
    let by_ids = s
        .get(&format!("{P}/ids?ids=16,15,99,16&langCode=en_US"), None)
        .await;
    let got: Vec<&Value> = by_ids
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["id"])
        .collect();
    assert_eq!(got, vec![&json!(16), &json!(15)]);
    assert_eq!(s.get(&format!("{P}/15/blocks"), None).await.body, json!([]));
    let hits = s
        .get(
            &format!("{P}/quick/search?langCode=en_US&name=leather%20BAG"),
            None,
        )
        .await;
    assert_eq!(
        hits.body,
        json!([{"id": 15, "title": "Leather bag"}, {"id": 20, "title": "Leather bag (EU edition)"}])
    );
}

#[tokio::test]
async fn hidden_and_unknown_products_are_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.toml");
    let extra = r#"
[[products]]
id = 21
title = { en_US = "Secret bag" }
attribute_set = "product"
visible = false
values = { price = "1", currency = "USD" }
pages = ["catalog"]
"#;
    std::fs::write(&file, format!("{TEST_CATALOG}{extra}")).unwrap();
    let s = TestServer::spawn_with(|_| {}, ProjectSource::File(file)).await;
    for path in ["/21", "/99", "/21/related", "/21/blocks"] {
        assert_error(&s.get(&format!("{P}{path}"), None).await, 404);
    }
    let all = filtered(&s, "", json!([])).await;
    assert_eq!(all.body["total"], 6);
    assert!(!ids(&all.body).contains(&21));
    assert_eq!(
        s.get(&format!("{P}/ids?ids=21,15"), None)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let hits = s.get(&format!("{P}/quick/search?name=secret"), None).await;
    assert_eq!(hits.body, json!([]));
}

#[tokio::test]
async fn bad_queries_are_400() {
    let s = TestServer::spawn().await;
    for query in [
        "&sortKey=colour",
        "&sortOrder=UP",
        "&limit=abc",
        "&offset=-1",
    ] {
        assert_error(&filtered(&s, query, json!([])).await, 400);
    }
    for filter in [
        json!([{"attributeMarker": "price", "conditionMarker": "gt", "conditionValue": 1}]),
        json!([{"attributeMarker": "price", "conditionMarker": "mth", "conditionValue": "cheap"}]),
        json!([{"attributeMarker": "price", "conditionMarker": "mth", "conditionValue": 1e21}]),
        json!([{"attributeMarker": "price", "conditionMarker": "about"}]),
        json!({"filter": 5}),
    ] {
        let r = s
            .post(
                &format!("{P}/all"),
                None,
                if filter.is_array() {
                    json!({"filter": filter})
                } else {
                    filter.clone()
                },
            )
            .await;
        assert_error(&r, 400);
    }
    // A missing or null conditionValue means "no value" (docs/decisions.md, issue 12).
    let no_price = json!([{"attributeMarker": "price", "conditionMarker": "eq"}]);
    assert_eq!(ids(&filtered(&s, "", no_price).await.body), vec![19]);
    assert_error(&s.get(&format!("{P}/ids?ids=15,x"), None).await, 400);
    assert_error(&s.get(&format!("{P}/abc"), None).await, 400);
    assert_error(&s.post(&format!("{P}/page/x"), None, json!({})).await, 400);
    assert_error(
        &s.get("/api/content/attributes-sets?sortBy=colour", None)
            .await,
        400,
    );
    assert_error(&s.get("/api/content/forms?limit=-3", None).await, 400);
}

#[tokio::test]
async fn product_statuses() {
    let s = TestServer::spawn().await;
    let r = s.get("/api/content/product-statuses", None).await;
    assert_eq!(
        r.body,
        json!([
            {"id": 1, "identifier": "in_stock", "localizeInfos": {"en_US": {"title": "In stock"}},
             "isDefault": true, "version": 0, "position": 1},
            {"id": 2, "identifier": "out_of_stock",
             "localizeInfos": {"en_US": {"title": "Out of stock"}},
             "isDefault": false, "version": 0, "position": 2}
        ])
    );
    let one = s
        .get("/api/content/product-statuses/marker/out_of_stock", None)
        .await;
    assert_eq!(one.body["id"], 2);
    assert_error(
        &s.get("/api/content/product-statuses/marker/nope", None)
            .await,
        404,
    );
    let v = "/api/content/product-statuses/marker-validation";
    let ok = s.get(&format!("{v}/in_stock"), None).await;
    assert_eq!(ok.body, json!({"valid": true}));
    let unknown = s.get(&format!("{v}/nope"), None).await;
    assert_eq!(unknown.body, json!({"valid": false}));
}

#[tokio::test]
async fn attribute_sets() {
    let s = TestServer::spawn().await;
    let r = s
        .get(
            "/api/content/attributes-sets?langCode=en_US&offset=0&limit=30&sortBy=id",
            None,
        )
        .await;
    assert_eq!(r.body["total"], 1, "{:?}", r.body);
    let set = &r.body["items"][0];
    for key in [
        "id",
        "createdDate",
        "updatedDate",
        "version",
        "identifier",
        "typeId",
        "title",
        "schema",
        "isVisible",
        "properties",
        "type",
        "position",
    ] {
        assert!(set.get(key).is_some(), "{key} missing: {set}");
    }
    assert_eq!(set["identifier"], "product");
    assert_eq!(set["title"], "Product");
    assert_eq!(set["type"], json!({"id": 1, "type": "product"}));
    assert_eq!(set["schema"]["price"]["isPrice"], true);
    let other_type = s.get("/api/content/attributes-sets?typeId=7", None).await;
    assert_eq!(other_type.body, json!({"total": 0, "items": []}));

    let one = s
        .get(
            "/api/content/attributes-sets/marker/product?langCode=en_US",
            None,
        )
        .await;
    assert_eq!(&one.body, set);
    let attrs = s
        .get(
            "/api/content/attributes-sets/product/attributes?langCode=en_US",
            None,
        )
        .await;
    let markers: Vec<&str> = attrs
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["marker"].as_str().unwrap())
        .collect();
    assert_eq!(markers, ["price", "currency", "color", "description"]);
    let price = s
        .get(
            "/api/content/attributes-sets/product/attributes/price?langCode=en_US",
            None,
        )
        .await;
    assert_eq!(price.body["type"], "float");
    assert_eq!(price.body["position"], 1);
    assert!(
        price.body.get("initialValue").is_some_and(Value::is_null),
        "key required"
    );
    assert_eq!(price.body["localizeInfos"]["en_US"]["title"], "Price");
    assert_error(
        &s.get("/api/content/attributes-sets/marker/nope", None)
            .await,
        404,
    );
    assert_error(
        &s.get("/api/content/attributes-sets/nope/attributes", None)
            .await,
        404,
    );
    assert_error(
        &s.get("/api/content/attributes-sets/product/attributes/nope", None)
            .await,
        404,
    );
}

#[tokio::test]
async fn forms_describe_their_fields() {
    let s = TestServer::spawn().await;
    let all = s
        .get("/api/content/forms?langCode=en_US&offset=0&limit=30", None)
        .await;
    assert_eq!(all.body["total"], 2, "{:?}", all.body);
    let markers: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(markers, ["reg", "order"]);
    let page = s.get("/api/content/forms?offset=1&limit=1", None).await;
    assert_eq!(page.body["total"], 2);
    assert_eq!(page.body["items"][0]["identifier"], "order");

    let reg = s
        .get("/api/content/forms/marker/reg?langCode=en_US", None)
        .await
        .body;
    assert_eq!(reg["type"], "sign_up");
    assert_eq!(reg["processingType"], "async");
    assert!(reg["id"].is_i64() && reg["version"].is_i64() && reg["position"].is_i64());
    assert_eq!(reg["attributeSetId"], Value::Null);
    assert_eq!(reg["templateId"], Value::Null);
    let email = &reg["attributes"][0];
    assert_eq!(email["marker"], "email_reg");
    assert_eq!(
        (
            email["isLogin"].clone(),
            email["isSignUp"].clone(),
            email["isSignUpRequired"].clone(),
            email["isNotificationEmail"].clone(),
            email["isPassword"].clone()
        ),
        (
            json!(true),
            json!(true),
            json!(true),
            json!(true),
            json!(false)
        )
    );
    assert_eq!(email["validators"]["requiredValidator"]["strict"], true);
    assert_eq!(email["validators"]["emailInspectionValidator"], true);
    assert_eq!(reg["attributes"][1]["isPassword"], true);
    assert_eq!(reg["attributes"][2]["isSignUpRequired"], false);

    let order = s
        .get("/api/content/forms/marker/order?langCode=en_US", None)
        .await
        .body;
    assert_eq!(order["type"], "order");
    assert_eq!(order["localizeInfos"]["en_US"]["title"], "Checkout");
    let name = &order["attributes"][0];
    assert_eq!(name["marker"], "name");
    assert_eq!(name["type"], "string");
    assert_eq!(name["position"], 1);
    assert_eq!(name["isVisible"], true);
    assert!(name.get("initialValue").is_some_and(Value::is_null));
    assert_eq!(name["validators"]["requiredValidator"]["strict"], true);
    assert_eq!(name["isSignUp"], false);
    assert_eq!(name["isNotificationPhoneSMS"], false);
    assert_eq!(name["additionalFields"], json!([]));
    assert_eq!(name["settings"], json!({}));
    assert_eq!(
        order["attributes"][1]["validators"]["requiredValidator"]["strict"],
        false
    );
    assert_error(&s.get("/api/content/forms/marker/nope", None).await, 404);
}

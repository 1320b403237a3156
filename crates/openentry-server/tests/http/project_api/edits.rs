//! Creating, reading, replacing and deleting entries; refusals in the words of the checks;
//! stale versions; the export importing to the same state.

use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use super::{call, etag, read};

fn scarf() -> serde_json::Value {
    json!({
        "id": 30,
        "sku": "SCF-30",
        "title": {"en_US": "Wool scarf"},
        "attribute_set": "product",
        "values": {"price": "45", "currency": "USD", "color": "grey"},
        "pages": ["catalog"],
    })
}

const PRODUCT: &str = "/api/content/products/30?langCode=en_US";

#[tokio::test]
async fn a_product_is_created_replaced_and_deleted_and_served_at_once() {
    let s = TestServer::spawn().await;
    let created = call(&s, Method::POST, "/products", None, Some(scarf())).await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["sku"], "SCF-30");
    let shown = s.get(PRODUCT, None).await;
    assert_eq!(shown.status, 200, "{:?}", shown.body);
    assert_eq!(shown.body["localizeInfos"]["en_US"]["title"], "Wool scarf");

    let again = call(&s, Method::POST, "/products", None, Some(scarf())).await;
    assert_eq!(again.status, 409, "{:?}", again.body);

    let (mut product, tag) = read(&s, "/products/30").await;
    assert_eq!(
        tag,
        etag(&created),
        "the version a creation answers is the stored one"
    );
    product["title"]["en_US"] = json!("Cashmere scarf");
    let missing = call(&s, Method::PUT, "/products/30", None, Some(product.clone())).await;
    assert_eq!(missing.status, 428, "{:?}", missing.body);
    assert_eq!(missing.body["statusCode"], 428);
    assert!(
        missing.message().contains("If-Match"),
        "{}",
        missing.message()
    );

    let put = call(
        &s,
        Method::PUT,
        "/products/30",
        Some(&tag),
        Some(product.clone()),
    )
    .await;
    assert_eq!(put.status, 200, "{:?}", put.body);
    assert_ne!(etag(&put), tag);
    let shown = s.get(PRODUCT, None).await;
    assert_eq!(
        shown.body["localizeInfos"]["en_US"]["title"],
        "Cashmere scarf"
    );

    // A second operator still holding the first read is refused, not silently applied.
    product["title"]["en_US"] = json!("Lost edit");
    let stale = call(&s, Method::PUT, "/products/30", Some(&tag), Some(product)).await;
    assert_eq!(stale.status, 412, "{:?}", stale.body);
    assert_eq!(stale.body["statusCode"], 412);
    assert!(
        stale.message().contains("read it again"),
        "{}",
        stale.message()
    );
    let stale = call(&s, Method::DELETE, "/products/30", Some(&tag), None).await;
    assert_eq!(stale.status, 412, "{:?}", stale.body);
    let no_tag = call(&s, Method::DELETE, "/products/30", None, None).await;
    assert_eq!(no_tag.status, 428, "{:?}", no_tag.body);

    let gone = call(&s, Method::DELETE, "/products/30", Some(&etag(&put)), None).await;
    assert_eq!(gone.status, 200, "{:?}", gone.body);
    assert_eq!(s.get(PRODUCT, None).await.status, 404);
    let read_gone = call(&s, Method::GET, "/products/30", None, None).await;
    assert_eq!(read_gone.status, 404, "{:?}", read_gone.body);

    // Each change is in the audit log with who made it and the entry before and after;
    // refused edits are not.
    let log = s
        .admin(Method::GET, "/api/admin/audit?target=products/30", None)
        .await;
    assert_eq!(log.status, 200, "{:?}", log.body);
    let actions: Vec<&str> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete", "update", "create"], "{:?}", log.body);
    let update = &log.body[1];
    assert_eq!(update["resource"], "catalog");
    assert_eq!(update["actor"], "token:OPENENTRY_ADMIN_TOKEN");
    assert_eq!(update["before"]["title"]["en_US"], "Wool scarf");
    assert_eq!(update["after"]["title"]["en_US"], "Cashmere scarf");
}

#[tokio::test]
async fn a_page_with_a_block_is_created_sanitized_and_served() {
    let s = TestServer::spawn().await;
    let block = json!({"identifier": "promo", "title": {"en_US": "Promotion"}});
    let r = call(&s, Method::POST, "/blocks", None, Some(block)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let page = json!({
        "url": "sale",
        "title": {"en_US": "Sale"},
        "content": {"en_US": "<p>Half price<script>alert(1)</script></p>"},
        "blocks": ["promo"],
    });
    let r = call(&s, Method::POST, "/pages", None, Some(page)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert!(
        !r.body["content"]["en_US"]
            .as_str()
            .unwrap()
            .contains("script"),
        "page HTML is sanitized as an import sanitizes it: {:?}",
        r.body
    );
    let shown = s
        .get("/api/content/pages/url/sale?langCode=en_US", None)
        .await;
    assert_eq!(shown.status, 200, "{:?}", shown.body);
    assert_eq!(shown.body["localizeInfos"]["en_US"]["title"], "Sale");
    assert_eq!(
        shown.body["localizeInfos"]["en_US"]["plainContent"],
        "Half price"
    );
    let blocks = s
        .get("/api/content/pages/sale/blocks?langCode=en_US", None)
        .await;
    assert_eq!(blocks.status, 200, "{:?}", blocks.body);
    assert_eq!(blocks.body[0]["identifier"], "promo", "{:?}", blocks.body);

    // The block is in use: deleting it is refused by the check, naming the page.
    let (_, tag) = read(&s, "/blocks/promo").await;
    let r = call(&s, Method::DELETE, "/blocks/promo", Some(&tag), None).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(r.message().contains("pages["), "{}", r.message());

    let list = call(&s, Method::GET, "/pages", None, None).await;
    assert_eq!(list.body["total"], 3, "{:?}", list.body);
}

#[tokio::test]
async fn edits_are_refused_in_the_words_of_the_file_checks() {
    let s = TestServer::spawn().await;
    let mut typo = scarf();
    typo["colour"] = json!("grey");
    let r = call(&s, Method::POST, "/products", None, Some(typo)).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(
        r.message().contains("unknown field `colour`"),
        "{}",
        r.message()
    );

    let mut dangling = scarf();
    dangling["attribute_set"] = json!("no_such_set");
    let r = call(&s, Method::POST, "/products", None, Some(dangling)).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(r.message().contains("no_such_set"), "{}", r.message());

    let r = call(
        &s,
        Method::POST,
        "/products",
        None,
        Some(json!({"sku": "X"})),
    )
    .await;
    assert_eq!(r.status, 400, "{:?}", r.body);

    // A status products still use cannot go.
    let (_, tag) = read(&s, "/product-statuses/out_of_stock").await;
    let r = call(
        &s,
        Method::DELETE,
        "/product-statuses/out_of_stock",
        Some(&tag),
        None,
    )
    .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(r.message().contains("out_of_stock"), "{}", r.message());

    // A key is never renamed by a replace.
    let (mut p, tag) = read(&s, "/products/16").await;
    p["id"] = json!(99);
    let r = call(&s, Method::PUT, "/products/16", Some(&tag), Some(p)).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert_eq!(
        call(&s, Method::GET, "/nothing-here", None, None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_settings_are_versioned_like_entries() {
    let s = TestServer::spawn().await;
    let (mut settings, tag) = read(&s, "/settings").await;
    assert!(settings["project"]["locales"].is_array(), "{settings:?}");
    settings["project"]["name"] = json!("Renamed shop");
    let r = call(
        &s,
        Method::PUT,
        "/settings",
        Some(&tag),
        Some(settings.clone()),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["project"]["name"], "Renamed shop");
    let r = call(&s, Method::PUT, "/settings", Some(&tag), Some(settings)).await;
    assert_eq!(r.status, 412, "{:?}", r.body);
    let whole = call(&s, Method::GET, "", None, None).await;
    assert_eq!(whole.body["project"]["name"], "Renamed shop");
}

/// What `GET /api/admin/project` answers after edits is the stored state: imported again
/// through the store's import (what `openentry project import` ends in), nothing changes; and
/// as a TOML file it passes `project check`.
#[tokio::test]
async fn the_exported_definition_imports_to_the_same_state() {
    let s = TestServer::spawn().await;
    assert_eq!(
        call(&s, Method::POST, "/products", None, Some(scarf()))
            .await
            .status,
        201
    );
    let block = json!({"identifier": "promo", "title": {"en_US": "Promotion"}});
    assert_eq!(
        call(&s, Method::POST, "/blocks", None, Some(block))
            .await
            .status,
        201
    );
    let (mut menu_less, tag) = read(&s, "/pages/bags").await;
    menu_less["blocks"] = json!(["promo"]);
    let r = call(&s, Method::PUT, "/pages/bags", Some(&tag), Some(menu_less)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let whole = call(&s, Method::GET, "", None, None).await;
    assert_eq!(whole.status, 200, "{:?}", whole.body);
    let def: openentry_domain::project::ProjectDefinition =
        serde_json::from_value(whole.body).unwrap();
    assert!(def.products.iter().any(|p| p.id == 30));
    let text = openentry_server::project::to_toml(&def).unwrap();
    openentry_server::project::parse_definition("export", &text).unwrap();
    // The TOML form is the file `openentry project export` writes.
    let file = s
        .http
        .get(format!("{}/api/admin/project?format=toml", s.url))
        .bearer_auth(&s.admin_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let parsed = openentry_server::project::parse_definition("export", &file).unwrap();
    assert_eq!(parsed, def);

    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        s.database_url.clone(),
    ))
    .await
    .unwrap();
    let now = openentry_domain::clock::Clock::now(&s.clock);
    let report = openentry_store::project::import(&db, &def, now)
        .await
        .unwrap();
    assert!(
        !report.changed,
        "the export is the stored state: {report:?}"
    );
}

//! Blocks on the wire (tests/sdk/blocks.toml): the localized block shape, and frequently
//! ordered products from real orders, hidden products left out after a re-import.

use std::path::PathBuf;

use openentry_server::ProjectSource;
use openentry_testkit::{ORDERS, TestServer};
use serde_json::{Value, json};

use crate::email;

fn project_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/blocks.toml"
    ))
}

async fn spawn() -> TestServer {
    TestServer::spawn_with(|_| {}, ProjectSource::File(project_file())).await
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_block_is_localized_in_the_requested_language() {
    let s = spawn().await;
    let r = s
        .get(
            "/api/content/blocks/marker/bundle?langCode=ar_AE",
            Some(&s.app_token),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mut b = r.body;
    assert_eq!(
        b["attributeValues"]["block_title"]["value"],
        "Often bought as a set"
    );
    assert_eq!(b["attributeValues"]["block_title"]["type"], "string");
    b["attributeValues"] = Value::Null;
    assert!(b["id"].is_i64() && b["position"].is_i64(), "{b}");
    b["id"] = Value::Null;
    b["position"] = Value::Null;
    assert_eq!(
        b,
        json!({
            "id": null, "position": null, "attributeValues": null,
            "attributeSetIdentifier": "block_texts",
            "localizeInfos": {"title": "اشترِ معًا"},
            "version": 1,
            "identifier": "bundle",
            "type": "product_block",
            "templateIdentifier": null,
            "isVisible": true,
            "isSync": false,
            "customSettings": {"productConfig": {"countElementsPerRow": 3, "quantity": 3}},
            "countElementsPerRow": 3,
            "quantity": 3,
        })
    );
}

#[tokio::test]
async fn frequently_ordered_products_come_from_orders_and_leave_out_hidden_ones() {
    let a = spawn().await;
    let path = "/api/content/blocks/often_together/products/15/frequently-ordered?langCode=en_US";
    let none = a.get(path, Some(&a.app_token)).await;
    assert_eq!(none.body, json!({"items": [], "total": 0}));

    let token = a.user(&email("often")).await;
    for cart in [&[15, 16, 17][..], &[15, 16], &[15, 18], &[16, 17], &[17]] {
        let products: Vec<Value> = cart
            .iter()
            .map(|id| json!({"productId": id, "quantity": 2}))
            .collect();
        let body = json!({
            "formIdentifier": "order", "paymentAccountIdentifier": "cash",
            "formData": {"en_US": [{"type": "string", "marker": "name", "value": "C. Thomas"}]},
            "products": products,
        });
        let r = a.post(ORDERS, Some(&token), body).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let with15 = a.get(path, Some(&a.app_token)).await;
    assert_eq!(with15.status, 200, "{:?}", with15.body);
    assert_eq!(ids(&with15.body), [16, 17, 18]);
    assert_eq!(with15.body["total"], 3);
    assert_eq!(
        with15.body["items"][0]["localizeInfos"]["en_US"]["title"],
        "Wallet"
    );

    // Hide the wallet: a new revision of the definition, served by the next node to start.
    let text = std::fs::read_to_string(project_file()).unwrap().replace(
        "pages = [\"catalog\", \"bags\"]\n\n[[products]]\nid = 17",
        "pages = [\"catalog\", \"bags\"]\nvisible = false\n\n[[products]]\nid = 17",
    );
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        a.database_url.clone(),
    ))
    .await
    .unwrap();
    let media =
        openentry_server::media::local::LocalDir::open(a.media_dir.as_ref().unwrap()).unwrap();
    openentry_server::project::import_text(&db, &media, &a.clock, "blocks.toml", &text)
        .await
        .unwrap();
    db.close().await;
    let b = a.second_node().await;
    let hidden = b.get(path, Some(&b.app_token)).await;
    assert_eq!(ids(&hidden.body), [17, 18], "{:?}", hidden.body);
    let of16 = path.replace("/15/", "/16/");
    assert_eq!(b.get(&of16, Some(&b.app_token)).await.status, 404);
    b.stop().await;
}

//! Catalog editing in the console: an owner creates a product with an image and the official
//! SDK reads it (its image served byte for byte), then edits its price and the Content API
//! shows the new one; the product statuses and attribute sets are listed. A multipart form
//! without the session's token stores nothing, and an edit made from a stale read is refused.

use openentry_testkit::operators::Session;
use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::screens::{raw, sign_in};

/// A real PNG (the SDK suite's hero image).
const PNG: &[u8] = include_bytes!("../../../../tests/sdk/media/content/hero.png");
const BOUNDARY: &str = "----openentry-console-boundary-91ab";

/// Gives the test catalog's product set an image attribute, through the management API.
async fn with_picture(server: &TestServer) {
    let path = "/api/admin/project/attribute-sets/product";
    let r = server.admin(Method::GET, path, None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    let mut set = r.body;
    set["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"marker": "pic", "type": "image", "title": {"en_US": "Picture"}}));
    let put = server
        .http
        .put(format!("{}{path}", server.url))
        .bearer_auth(&server.admin_token)
        .header("if-match", etag)
        .json(&set)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200, "{}", put.text().await.unwrap());
}

/// A product as the Content API answers it: through the official SDK when it can run here,
/// else the same call over plain HTTP (docs/wire.md).
async fn product(server: &TestServer, id: i64) -> Value {
    let call = [("Products", "getProductById", json!([id, "en_US"]))];
    if let Some(mut answers) = server.sdk_read(&call).await {
        return answers.remove(0);
    }
    let r = server
        .get(&format!("/api/content/products/{id}?langCode=en_US"), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

/// The download link of a product's picture (`pic`: one object on products).
fn picture_link(p: &Value) -> String {
    let v = &p["attributeValues"]["pic"]["value"];
    let one = if v.is_array() { &v[0] } else { v };
    one["downloadLink"]
        .as_str()
        .unwrap_or_else(|| panic!("no picture in {p}"))
        .to_owned()
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn an_owner_creates_a_product_with_an_image_the_sdk_reads_it_and_a_price_edit_shows() {
    let server = TestServer::spawn().await;
    with_picture(&server).await;
    server.create_operator("olivia", "owner").await;
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("canvas-tote.png");
    std::fs::write(&png, PNG).unwrap();
    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "olivia").await;
    b.go("/admin/catalog").await;
    b.click("#new-product").await;
    assert_eq!(b.path().await, "/admin/catalog/new");
    // A new product is priced in the catalog's currency.
    let currency = b.find("#p-currency").await.prop("value").await.unwrap();
    assert_eq!(currency.as_deref(), Some("USD"));
    b.fill("#p-title", "Canvas tote").await;
    b.fill("#p-sku", "TOT-21").await;
    b.fill("#p-price", "45.50").await;
    b.find("#p-image")
        .await
        .send_keys(png.to_str().unwrap())
        .await
        .unwrap();
    b.shot("product-new").await;
    b.click("#save-product").await;
    b.find("#done").await;
    let path = b.path().await;
    let id: i64 = path.trim_start_matches("/admin/catalog/").parse().unwrap();
    assert_eq!(id, 21, "the next id after the catalog's 20");
    assert_eq!(b.text("h1").await, "Canvas tote");
    assert_eq!(b.text("#product-price").await, "45.5 USD");
    b.find("#product-image").await;

    // The storefront's SDK sees the product, its exact price and its picture.
    let p = product(&server, id).await;
    // Keyed by locale over HTTP; the SDK may flatten it for the language asked.
    let info = &p["localizeInfos"];
    let title = info["en_US"]["title"].as_str().or(info["title"].as_str());
    assert_eq!(title, Some("Canvas tote"), "{p}");
    assert_eq!(p["sku"], "TOT-21");
    assert_eq!(p["price"], json!(45.5), "{p}");
    let link = picture_link(&p);
    let served = server.http.get(&link).send().await.unwrap();
    assert_eq!(served.status(), 200, "{link}");
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    // The price edited in the console is the Content API's at once.
    b.click("#edit-product").await;
    assert_eq!(b.path().await, format!("/admin/catalog/{id}/edit"));
    let price = b.find("#p-price").await;
    assert_eq!(price.prop("value").await.unwrap().as_deref(), Some("45.50"));
    price.clear().await.unwrap();
    b.fill("#p-price", "39.90").await;
    b.shot("catalog-edit").await;
    b.click("#save-product").await;
    b.find("#done").await;
    assert_eq!(b.text("#product-price").await, "39.9 USD");
    let p = product(&server, id).await;
    assert_eq!(p["price"], json!(39.9), "{p}");
    // The edit kept the picture.
    assert_eq!(picture_link(&p), link);
    // Both changes are in the audit log as the API's product edits are.
    let log = server
        .admin(Method::GET, "/api/admin/audit?actor=admin:olivia", None)
        .await;
    let actions: Vec<(&str, &str)> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["target"].as_str().unwrap()))
        .collect();
    assert!(actions.contains(&("create", "products/21")), "{actions:?}");
    assert!(actions.contains(&("update", "products/21")), "{actions:?}");

    // The catalog's definitions, read only.
    b.go("/admin/catalog").await;
    b.click("#to-statuses").await;
    assert!(b.text("#statuses").await.contains("out_of_stock"));
    b.shot("statuses").await;
    b.go("/admin/catalog").await;
    b.click("#to-sets").await;
    assert!(b.text("#attribute-sets").await.contains("pic (image)"));
    b.shot("attribute-sets").await;
    b.close().await;
}

/// A multipart body: text fields, then the image.
fn form(fields: &[(&str, &str)], image: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = image {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post(server: &TestServer, me: &Session, path: &str, body: Vec<u8>) -> (u16, String) {
    let r = raw()
        .post(format!("{}{path}", server.url))
        .header("cookie", &me.cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    (status, location.unwrap_or(r.text().await.unwrap()))
}

async fn products(server: &TestServer) -> Resp {
    server
        .admin(Method::GET, "/api/admin/project/products", None)
        .await
}

/// Files of the media store whose name ends with `name`.
fn stored_named(server: &TestServer, name: &str) -> usize {
    fn walk(dir: &std::path::Path, name: &str) -> usize {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .map(|e| e.unwrap().path())
                .map(|p| {
                    if p.is_dir() {
                        walk(&p, name)
                    } else {
                        usize::from(p.to_string_lossy().ends_with(name))
                    }
                })
                .sum()
        })
    }
    walk(server.media_dir.as_deref().unwrap(), name)
}

#[tokio::test]
async fn a_multipart_console_form_without_the_sessions_token_stores_nothing() {
    let server = TestServer::spawn().await;
    with_picture(&server).await;
    server.create_operator("otto", "owner").await;
    let me = server.session("otto").await;
    let before = products(&server).await.body["total"].clone();
    let fields = |csrf: &'static str| {
        let mut f = vec![
            ("title", "Forged"),
            ("price", "10"),
            ("currency", "USD"),
            ("status", "in_stock"),
            ("attribute_set", "product"),
        ];
        if !csrf.is_empty() {
            f.push(("csrf", csrf));
        }
        f
    };
    for csrf in ["", "not-the-token"] {
        let body = form(&fields(csrf), Some(("forged-only.png", PNG)));
        let (status, text) = post(&server, &me, "/admin/catalog/new", body).await;
        assert_eq!(status, 403, "{text}");
        assert!(text.contains("did not come from the console"), "{text}");
    }
    // Garbage where a form should be is refused the same way.
    let (status, _) = post(&server, &me, "/admin/catalog/new", b"garbage".to_vec()).await;
    assert_eq!(status, 403);
    assert_eq!(products(&server).await.body["total"], before);
    assert_eq!(stored_named(&server, "forged-only.png"), 0);

    // With the token the same form is taken, image and all.
    let mut ok: Vec<(&str, &str)> = fields("");
    ok.push(("csrf", me.csrf.as_str()));
    let (status, location) = post(
        &server,
        &me,
        "/admin/catalog/new",
        form(&ok, Some(("forged-only.png", PNG))),
    )
    .await;
    assert_eq!(status, 303, "{location}");
    assert_eq!(location, "/admin/catalog/21?done=saved");
    assert_eq!(stored_named(&server, "forged-only.png"), 1);
}

#[tokio::test]
async fn an_edit_made_from_a_stale_read_is_refused() {
    let server = TestServer::spawn().await;
    server.create_operator("ed", "editor").await;
    let me = server.session("ed").await;
    let page = raw()
        .get(format!("{}/admin/catalog/16/edit", server.url))
        .header("cookie", &me.cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&#34;", "\"")
        .replace("&quot;", "\"");
    assert!(!version.is_empty(), "{page}");
    let edit = |price: &'static str| {
        form(
            &[
                ("csrf", me.csrf.as_str()),
                ("version", version.as_str()),
                ("title", "Wallet"),
                ("sku", "WLT-16"),
                ("price", price),
                ("currency", "USD"),
                ("status", "in_stock"),
                ("attribute_set", "product"),
                ("visible", "1"),
            ],
            None,
        )
    };
    let (status, location) = post(&server, &me, "/admin/catalog/16/edit", edit("61.00")).await;
    assert_eq!(status, 303, "{location}");
    // The same read again: an edit has been made since, so this one is refused.
    let (status, text) = post(&server, &me, "/admin/catalog/16/edit", edit("1.00")).await;
    assert_eq!(status, 412, "{text}");
    let p = server
        .get("/api/content/products/16?langCode=en_US", None)
        .await;
    assert_eq!(p.body["price"], json!(61), "{:?}", p.body);
    // Support reads the catalog but may not edit it.
    server.create_operator("sue", "support").await;
    let sue = server.session("sue").await;
    let (status, _) = post(&server, &sue, "/admin/catalog/16/edit", edit("2.00")).await;
    assert_eq!(status, 403);
    for path in ["/admin/catalog/16/edit", "/admin/catalog/new"] {
        let r = raw()
            .get(format!("{}{path}", server.url))
            .header("cookie", &sue.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{path}");
    }
    let r = raw()
        .get(format!("{}/admin/catalog/statuses", server.url))
        .header("cookie", &sue.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

//! Content on the wire: pages, menus and the sitemap, against tests/sdk/content.toml (the SDK
//! suite's `content.test.js` covers every method through the SDK; these check what the SDK's
//! normalization hides and what only raw HTTP shows).

use std::path::PathBuf;

use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use serde_json::{Value, json};

const PAGES: &str = "/api/content/pages";

async fn spawn() -> TestServer {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/sdk/content.toml");
    TestServer::spawn_with(|_| {}, ProjectSource::File(file)).await
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn urls(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["pageUrl"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn content_answers_carry_only_the_language_asked_for() {
    let s = spawn().await;
    let home = s
        .get(&format!("{PAGES}/url/home?langCode=ar_AE"), None)
        .await;
    assert_eq!(home.status, 200, "{:?}", home.body);
    assert_eq!(keys(&home.body["localizeInfos"]), ["ar_AE"]);
    assert_eq!(
        home.body["localizeInfos"]["ar_AE"]["plainContent"],
        "أهلا بكم"
    );
    assert_eq!(
        home.body["attributeValues"]["subtitle"]["value"],
        "جلد فاخر"
    );
    // Pages send an image value as an array of images.
    assert!(home.body["attributeValues"]["hero"]["value"].is_array());

    // Without langCode: the default locale.
    let en = s.get(&format!("{PAGES}/url/home"), None).await.body;
    assert_eq!(en["localizeInfos"]["en_US"]["title"], "Home");
    assert_eq!(keys(&en["localizeInfos"]), ["en_US"]);

    let menu = s
        .get("/api/content/menus/marker/main_web?langCode=ar_AE", None)
        .await
        .body;
    assert_eq!(keys(&menu["localizeInfos"]), ["ar_AE"]);
    assert_eq!(keys(&menu["pages"][0]["localizeInfos"]), ["ar_AE"]);
}

#[tokio::test]
async fn menu_items_are_flat_with_parent_ids_and_nested_in_children() {
    let s = spawn().await;
    let menu = s.get("/api/content/menus/marker/main_web", None).await.body;
    let pages = &menu["pages"];
    assert_eq!(urls(pages), ["home", "catalog", "bags", "about", "team"]);
    let catalog = &pages[1];
    assert_eq!(urls(&catalog["children"]), ["bags"]);
    assert_eq!(catalog["children"][0], pages[2], "the same item, nested");
    assert_eq!(pages[2]["parentId"], catalog["id"]);
    assert!(
        pages[0].get("children").is_none(),
        "a leaf has no children key"
    );
    assert_eq!(
        pages[1]["localizeInfos"]["en_US"],
        json!({"title": "Catalog", "menuTitle": "Shop"})
    );
}

#[tokio::test]
async fn products_of_a_page_below_a_hidden_page_are_not_found() {
    let s = spawn().await;
    let on = |url: &'static str| {
        let s = &s;
        async move {
            s.post(
                &format!("/api/content/products/page/url/{url}"),
                None,
                json!({"filter": []}),
            )
            .await
        }
    };
    let bags = on("bags").await;
    assert_eq!(bags.status, 200, "{:?}", bags.body);
    assert_eq!(bags.body["total"], 2);
    for hidden in ["shoes", "secret", "secret_child"] {
        let r = on(hidden).await;
        assert_eq!(r.status, 404, "{hidden}: {:?}", r.body);
        assert_eq!(r.message(), format!("Page \"{hidden}\" not found"));
    }
    // By id as well: secret_child is page 8.
    let r = s
        .post("/api/content/products/page/8", None, json!({"filter": []}))
        .await;
    assert_eq!(r.status, 404, "{:?}", r.body);
}

#[tokio::test]
async fn search_takes_the_sdks_lang_and_skips_what_is_not_served() {
    let s = spawn().await;
    let hits = s
        .get(
            &format!("{PAGES}/quick/search?undefined&lang=ar_AE&name=%D9%81%D8%B1%D9%8A%D9%82"),
            None,
        )
        .await;
    assert_eq!(hits.status, 200, "{:?}", hits.body);
    assert_eq!(
        hits.body,
        json!([{"id": 6, "pageUrl": "team", "title": "فريقنا"}])
    );
    let none = s
        .get(
            &format!("{PAGES}/quick/search?lang=en_US&name=secret"),
            None,
        )
        .await;
    assert_eq!(none.body, json!([]));
    let bad = s
        .get(&format!("{PAGES}/quick/search?lang=xx_XX&name=a"), None)
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn the_sitemap_needs_the_admin_token_is_shared_by_nodes_and_escapes_addresses() {
    let a = spawn().await;
    let body = json!({"baseUrls": {"en_US": "https://shop.example/en/?a=1&b=2"}});
    let anonymous = a.post("/api/content/sitemap/", None, body.clone()).await;
    assert_eq!(anonymous.status, 401, "{:?}", anonymous.body);
    let wrong = a
        .post(
            "/api/content/sitemap/",
            Some("not-the-admin-token"),
            body.clone(),
        )
        .await;
    assert_eq!(wrong.status, 403, "{:?}", wrong.body);
    assert_eq!(a.get("/api/content/sitemap", None).await.body, json!([]));

    let admin = a.admin_token.clone();
    let ok = a.post("/api/content/sitemap/", Some(&admin), body).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    assert_eq!(ok.body, json!(["/sitemaps/sitemap-en_US.xml"]));

    // Stored, not held by the node that took it.
    let b = a.second_node().await;
    assert_eq!(b.get("/api/content/sitemap/", None).await.body, ok.body);

    let xml = b
        .http
        .get(format!("{}/sitemaps/sitemap-en_US.xml", b.url))
        .send()
        .await
        .unwrap();
    assert_eq!(xml.status(), 200);
    let text = xml.text().await.unwrap();
    assert!(
        text.contains("<loc>https://shop.example/en/?a=1&amp;b=2/home</loc>"),
        "{text}"
    );
    assert!(!text.contains("secret"), "{text}");
    for missing in ["sitemap-ar_AE.xml", "sitemap.xml", "..%2Fetc"] {
        let r = b
            .http
            .get(format!("{}/sitemaps/{missing}", b.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{missing}");
    }
}

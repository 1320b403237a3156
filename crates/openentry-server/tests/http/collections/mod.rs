//! IntegrationCollections on the wire (tests/sdk/collections.toml): each collection reads and
//! writes as its definition says, another user's row answers exactly like a missing one, bad
//! input is a 400 naming the problem and never a 5xx, rows are paged, filtered and localized,
//! concurrent writes all land, anonymous writes are throttled like form submissions, and the
//! definition imports again unchanged (`input.rs` holds the bad input, `rows.rs` the tests of rows at scale).

use std::path::PathBuf;

use openentry_server::{Config, ProjectSource};
use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;

mod admin;
mod input;
mod rows;

pub(crate) const BASE: &str = "/api/content/integration-collections";

pub(crate) fn project_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/collections.toml"
    ))
}

pub(crate) async fn spawn(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::spawn_with(adjust, ProjectSource::File(project_file())).await
}

pub(crate) fn rows(marker: &str) -> String {
    format!("{BASE}/marker/{marker}/rows")
}

pub(crate) fn row(marker: &str, id: &Value) -> String {
    format!("{BASE}/marker/{marker}/rows/{id}")
}

pub(crate) fn wish(note: &str) -> Value {
    json!({"formIdentifier": "wish_form", "formData": {"en_US": [{"marker": "note", "type": "string", "value": note}]}})
}

pub(crate) fn message(text: &str) -> Value {
    json!({"formData": [{"marker": "text", "type": "text", "value": text}]})
}

pub(crate) fn store(name: &str, lang: &str) -> Value {
    json!({"formIdentifier": "store_form", "formData": {lang: [
        {"marker": "name", "type": "string", "value": name},
        {"marker": "floor", "type": "integer", "value": "2"},
    ]}})
}

pub(crate) async fn create(
    s: &TestServer,
    marker: &str,
    bearer: Option<&str>,
    body: Value,
) -> Resp {
    s.call(Method::POST, &rows(marker), bearer, Some(body))
        .await
}

/// The values of a row's answer in `lang`.
pub(crate) fn values(row: &Value, lang: &str) -> Vec<Value> {
    row["formData"][lang]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["value"].clone())
        .collect()
}

#[tokio::test]
async fn collections_are_listed_found_by_id_and_markers_validated() {
    let s = spawn(|_| {}).await;
    let list = s
        .get(&format!("{BASE}?langCode=en_US&offset=0&limit=30"), None)
        .await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    let markers: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["identifier"].as_str().unwrap())
        .collect();
    assert_eq!(markers, ["stores", "wishlist", "guestbook", "suggestions"]);
    let stores = &list.body[0];
    assert_eq!(stores["localizeInfos"]["fr_FR"]["title"], "Magasins");
    assert_eq!(stores["selectedAttributeMarkers"], "name,city,floor,open");
    assert!(stores["formId"].is_i64());
    assert_eq!(
        (
            stores["attributeSetId"].clone(),
            stores["identifier"].clone()
        ),
        (Value::Null, json!("stores"))
    );

    let page = s.get(&format!("{BASE}?offset=1&limit=2"), None).await;
    assert_eq!(page.body.as_array().unwrap().len(), 2);
    assert_eq!(page.body[0]["identifier"], "wishlist");

    let one = s
        .get(&format!("{BASE}/{}?langCode=fr_FR", stores["id"]), None)
        .await;
    assert_eq!((one.status, &one.body), (200, stores));
    for missing in ["999", "-1"] {
        let r = s.get(&format!("{BASE}/{missing}"), None).await;
        assert_eq!(r.status, 404, "{:?}", r.body);
        assert_eq!(r.body["statusCode"], 404);
    }
    assert_eq!(s.get(&format!("{BASE}/abc"), None).await.status, 400);

    let valid = s
        .get(&format!("{BASE}/marker-validation/stores"), None)
        .await;
    assert_eq!(valid.body, json!({"valid": true}));
    let unknown = s.get(&format!("{BASE}/marker-validation/nope"), None).await;
    assert_eq!(
        (unknown.status, unknown.body),
        (200, json!({"valid": false}))
    );
    let r = s.get(&format!("{BASE}?langCode=xx_XX"), None).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
}

#[tokio::test]
async fn each_collection_reads_and_writes_as_its_definition_says() {
    let s = spawn(|_| {}).await;
    let (a, b) = (s.user(&email("a")).await, s.user(&email("b")).await);
    let op = s.admin_token.clone();
    let total = |r: Resp| (r.status, r.body["total"].as_i64().unwrap_or(-1));

    // Stores: everyone reads, operators write.
    for who in [None, Some(a.as_str())] {
        let r = create(&s, "stores", who, store("Main", "en_US")).await;
        assert_eq!(r.status, 403, "{:?}", r.body);
    }
    assert_eq!(
        create(&s, "stores", Some(&op), store("Main", "en_US"))
            .await
            .status,
        200
    );
    for who in [None, Some(a.as_str()), Some("stale-token")] {
        assert_eq!(total(s.get(&rows("stores"), who).await), (200, 1));
    }

    // Wishlist: each user their own; signing in is needed to write.
    assert_eq!(create(&s, "wishlist", None, wish("x")).await.status, 401);
    let mine = create(&s, "wishlist", Some(&a), wish("bag")).await;
    assert_eq!(mine.status, 200, "{:?}", mine.body);
    assert_eq!(total(s.get(&rows("wishlist"), Some(&a)).await), (200, 1));
    assert_eq!(total(s.get(&rows("wishlist"), Some(&b)).await), (200, 0));
    assert_eq!(total(s.get(&rows("wishlist"), None).await), (200, 0));
    assert_eq!(total(s.get(&rows("wishlist"), Some(&op)).await), (200, 1));

    // Guestbook: anyone writes, signed-in users read.
    assert_eq!(
        create(&s, "guestbook", None, message("hello")).await.status,
        200
    );
    assert_eq!(
        create(&s, "guestbook", Some(&b), message("hi"))
            .await
            .status,
        200
    );
    assert_eq!(total(s.get(&rows("guestbook"), Some(&a)).await), (200, 2));
    assert_eq!(total(s.get(&rows("guestbook"), None).await), (200, 0));

    // Suggestions: users write, operators read; the writer gets the row back once.
    let sent = create(&s, "suggestions", Some(&a), message("more colours")).await;
    assert_eq!(
        (sent.status, values(&sent.body, "en_US")),
        (200, vec![json!("more colours")])
    );
    assert_eq!(total(s.get(&rows("suggestions"), Some(&a)).await), (200, 0));
    let hidden = s.get(&row("suggestions", &sent.body["id"]), Some(&a)).await;
    assert_eq!(hidden.status, 404);
    assert_eq!(
        total(s.get(&rows("suggestions"), Some(&op)).await),
        (200, 1)
    );
}

#[tokio::test]
async fn another_users_row_answers_exactly_like_a_missing_one() {
    let s = spawn(|_| {}).await;
    let (a, b) = (s.user(&email("owner")).await, s.user(&email("other")).await);
    let id = create(&s, "wishlist", Some(&a), wish("bag")).await.body["id"].clone();
    let missing = json!(id.as_i64().unwrap() + 1000);
    let same = |theirs: &Resp, none: &Resp| {
        assert_eq!((theirs.status, none.status), (404, 404));
        let strip = |r: &Resp, id: &Value| {
            r.body["message"]
                .as_str()
                .unwrap()
                .replace(&id.to_string(), "N")
        };
        assert_eq!(strip(theirs, &id), strip(none, &missing));
    };
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let body = (method == Method::PUT).then(|| wish("mine now"));
        let theirs = s
            .call(
                method.clone(),
                &row("wishlist", &id),
                Some(&b),
                body.clone(),
            )
            .await;
        let none = s
            .call(method.clone(), &row("wishlist", &missing), Some(&b), body)
            .await;
        same(&theirs, &none);
    }
    // Anonymous callers own nothing; a user of an operators-only collection is refused.
    let anon = s
        .call(Method::PUT, &row("wishlist", &id), None, Some(wish("x")))
        .await;
    assert_eq!(anon.status, 401);
    let r = s
        .call(Method::DELETE, &row("stores", &json!(1)), Some(&a), None)
        .await;
    assert_eq!(r.status, 403);

    let kept = s.get(&row("wishlist", &id), Some(&a)).await;
    assert_eq!(values(&kept.body, "en_US"), vec![json!("bag")]);
    let changed = s
        .call(
            Method::PUT,
            &row("wishlist", &id),
            Some(&a),
            Some(wish("red bag")),
        )
        .await;
    assert_eq!(
        (changed.status, values(&changed.body, "en_US")),
        (200, vec![json!("red bag")])
    );
    let gone = s
        .call(Method::DELETE, &row("wishlist", &id), Some(&a), None)
        .await;
    assert_eq!((gone.status, gone.body), (200, json!(true)));
    assert_eq!(s.get(&row("wishlist", &id), Some(&a)).await.status, 404);

    // An anonymous guestbook entry is nobody's: only operators change it.
    let entry = create(&s, "guestbook", None, message("spam")).await.body["id"].clone();
    let r = s
        .call(Method::DELETE, &row("guestbook", &entry), Some(&a), None)
        .await;
    assert_eq!(r.status, 404);
    let r = s
        .call(
            Method::DELETE,
            &row("guestbook", &entry),
            Some(&s.admin_token),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
}

//! IntegrationCollections on the wire (tests/sdk/collections.toml): each collection reads and
//! writes as its definition says, another user's row answers exactly like a missing one, bad
//! input is a 400 naming the problem and never a 5xx, rows are paged, filtered and localized,
//! concurrent writes all land, and anonymous writes are throttled like form submissions.

use std::path::PathBuf;

use openentry_domain::throttle::ThrottlePolicy;
use openentry_server::{Config, ProjectSource};
use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;

const BASE: &str = "/api/content/integration-collections";

fn project_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/collections.toml"
    ))
}

async fn spawn(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::spawn_with(adjust, ProjectSource::File(project_file())).await
}

fn rows(marker: &str) -> String {
    format!("{BASE}/marker/{marker}/rows")
}

fn row(marker: &str, id: &Value) -> String {
    format!("{BASE}/marker/{marker}/rows/{id}")
}

fn wish(note: &str) -> Value {
    json!({"formIdentifier": "wish_form", "formData": {"en_US": [{"marker": "note", "type": "string", "value": note}]}})
}

fn message(text: &str) -> Value {
    json!({"formData": [{"marker": "text", "type": "text", "value": text}]})
}

fn store(name: &str, lang: &str) -> Value {
    json!({"formIdentifier": "store_form", "formData": {lang: [
        {"marker": "name", "type": "string", "value": name},
        {"marker": "floor", "type": "integer", "value": "2"},
    ]}})
}

async fn create(s: &TestServer, marker: &str, bearer: Option<&str>, body: Value) -> Resp {
    s.call(Method::POST, &rows(marker), bearer, Some(body))
        .await
}

/// The values of a row's answer in `lang`.
fn values(row: &Value, lang: &str) -> Vec<Value> {
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

#[tokio::test]
async fn bad_input_is_a_400_that_names_the_problem_and_never_a_5xx() {
    let s = spawn(|_| {}).await;
    let op = s.admin_token.clone();
    let with = |form_data: Value| json!({"formData": form_data});
    let cases = [
        (with(json!(5)), "formData must be a list"),
        (
            with(json!({"xx_XX": [{"marker": "name", "value": "a"}]})),
            "langCode must be one of",
        ),
        (
            with(json!([{"marker": "nope", "value": "a"}])),
            "has no field \"nope\"",
        ),
        (
            with(json!([{"marker": "city", "value": "Paris"}])),
            "field \"name\" is required",
        ),
        (
            with(json!([{"marker": "name", "value": "a"}, {"marker": "floor", "value": "high"}])),
            "field \"floor\" expects a whole number",
        ),
        (
            with(json!([{"marker": "name", "value": "x".repeat(1001)}])),
            "at most 1000 characters",
        ),
        (with(json!([])), "field \"name\" is required"),
        (
            json!({"formIdentifier": "wish_form", "formData": [{"marker": "name", "value": "a"}]}),
            "formIdentifier must be \"store_form\"",
        ),
        (
            json!({"formIdentifier": 5, "formData": [{"marker": "name", "value": "a"}]}),
            "formIdentifier must be text",
        ),
        (
            json!({"formData": [{"marker": "name", "value": "a"}], "entityId": -1}),
            "entityId must be",
        ),
        (
            json!({"formData": [{"marker": "name", "value": "a"}], "entityType": {"a": 1}}),
            "entityType must be text",
        ),
    ];
    for (body, expected) in cases {
        let r = create(&s, "stores", Some(&op), body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
        let msg = r.body["message"].as_str().unwrap();
        assert!(msg.contains(expected), "{body}: {msg}");
    }
    let r = s.call(Method::POST, &rows("stores"), Some(&op), None).await;
    assert_eq!(r.status, 400, "no body: {:?}", r.body);
    let empty = create(
        &s,
        "wishlist",
        Some(&op),
        json!({"formData": {"en_US": []}}),
    )
    .await;
    assert_eq!(empty.status, 400);
    assert!(
        empty.body["message"]
            .as_str()
            .unwrap()
            .contains("a row needs at least one field")
    );
    for path in [
        format!("{}?limit=abc", rows("stores")),
        format!("{}?entityId=x", rows("stores")),
        format!("{}?langCode=xx_XX", rows("stores")),
        format!("{BASE}/marker/stores/rows/abc"),
        format!("{BASE}/1/rows?offset=z"),
    ] {
        let r = s.get(&path, None).await;
        assert_eq!(r.status, 400, "{path}: {:?}", r.body);
    }
    for path in [
        rows("nope"),
        row("nope", &json!(1)),
        format!("{BASE}/999/rows"),
    ] {
        let r = s.get(&path, None).await;
        assert_eq!(r.status, 404, "{path}: {:?}", r.body);
    }
    assert_eq!(
        create(&s, "nope", Some(&op), store("a", "en_US"))
            .await
            .status,
        404
    );
    assert_eq!(
        s.get(&rows("stores"), None).await.body["total"],
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn rows_are_paged_filtered_and_localized() {
    let s = spawn(|_| {}).await;
    let op = s.admin_token.clone();
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut body = store(&format!("Store {i}"), "en_US");
        if i % 2 == 0 {
            body["entityType"] = json!("products");
            body["entityId"] = json!(15);
        }
        let r = create(&s, "stores", Some(&op), body).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        ids.push(r.body["id"].clone());
    }
    let first = create(&s, "stores", Some(&op), json!(null)).await;
    assert_eq!(first.status, 400);

    let page = s
        .get(&format!("{}?offset=1&limit=2", rows("stores")), None)
        .await;
    assert_eq!(page.body["total"], 5);
    let got: Vec<Value> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(got, ids[1..3]);
    let by_id = s
        .get(&format!("{BASE}/1/rows?offset=1&limit=2"), None)
        .await;
    assert_eq!(by_id.body, page.body);
    let filtered = s
        .get(
            &format!("{}?entityType=products&entityId=15", rows("stores")),
            None,
        )
        .await;
    assert_eq!(filtered.body["total"], 3);
    assert_eq!(filtered.body["items"][0]["entityType"], "products");
    assert_eq!(filtered.body["items"][0]["entityId"], 15);
    let none = s
        .get(&format!("{}?entityType=orders", rows("stores")), None)
        .await;
    assert_eq!(none.body["total"], 0);

    // A French version of row 0; English readers keep the English one.
    let fr = s
        .call(
            Method::PUT,
            &format!("{}?langCode=fr_FR", row("stores", &ids[0])),
            Some(&op),
            Some(store("Magasin 0", "fr_FR")),
        )
        .await;
    assert_eq!(
        (fr.status, values(&fr.body, "fr_FR")),
        (200, vec![json!("Magasin 0"), json!(2)])
    );
    let en = s
        .get(&format!("{}?langCode=en_US", row("stores", &ids[0])), None)
        .await;
    assert_eq!(values(&en.body, "en_US"), vec![json!("Store 0"), json!(2)]);
    assert_eq!(
        en.body["updatedDate"],
        en.body["createdDate"].clone(),
        "the clock did not move"
    );
    // A row only written in French is read in French by everyone (the one fallback).
    let only_fr = create(&s, "stores", Some(&op), store("Boutique", "fr_FR")).await;
    assert_eq!(
        values(&only_fr.body, "en_US"),
        vec![json!("Boutique"), json!(2)]
    );
    let r = s
        .get(&format!("{}?langCode=fr_FR&limit=1", rows("stores")), None)
        .await;
    assert_eq!(values(&r.body["items"][0], "fr_FR")[0], "Magasin 0");
}

#[tokio::test]
async fn concurrent_writes_all_land_and_languages_do_not_overwrite_each_other() {
    let s = spawn(|_| {}).await;
    let mut users = Vec::new();
    for i in 0..4 {
        users.push(s.user(&email(&format!("c{i}"))).await);
    }
    let calls =
        (0..20).map(|i| create(&s, "wishlist", Some(&users[i % 4]), wish(&format!("w{i}"))));
    let mut ids = Vec::new();
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.status, 200, "{:?}", r.body);
        ids.push(r.body["id"].as_i64().unwrap());
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    for u in &users {
        assert_eq!(s.get(&rows("wishlist"), Some(u)).await.body["total"], 5);
    }
    assert_eq!(
        s.get(&rows("wishlist"), Some(&s.admin_token)).await.body["total"],
        20
    );

    let op = s.admin_token.clone();
    let id = create(&s, "stores", Some(&op), store("One", "en_US"))
        .await
        .body["id"]
        .clone();
    let path = |lang: &str| format!("{}?langCode={lang}", row("stores", &id));
    let (en, fr) = (path("en_US"), path("fr_FR"));
    let writes = [
        s.call(Method::PUT, &en, Some(&op), Some(store("Two", "en_US"))),
        s.call(Method::PUT, &fr, Some(&op), Some(store("Deux", "fr_FR"))),
    ];
    for r in futures::future::join_all(writes).await {
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    assert_eq!(values(&s.get(&en, None).await.body, "en_US")[0], "Two");
    assert_eq!(values(&s.get(&fr, None).await.body, "fr_FR")[0], "Deux");
}

#[tokio::test]
async fn anonymous_writes_are_throttled_like_form_submissions() {
    let s = spawn(|c| {
        c.form_data_address_budget = ThrottlePolicy {
            max_failures: 3,
            window_secs: 60,
        };
    })
    .await;
    for expected in [200, 200, 200, 429] {
        let r = create(&s, "guestbook", None, message("hello")).await;
        assert_eq!(r.status, expected, "{:?}", r.body);
    }
    // Operators have no budget; the window passes.
    assert_eq!(
        create(&s, "guestbook", Some(&s.admin_token), message("op"))
            .await
            .status,
        200
    );
    s.clock.advance_secs(60);
    assert_eq!(
        create(&s, "guestbook", None, message("later")).await.status,
        200
    );
}

#[tokio::test]
async fn importing_again_changes_nothing_and_a_collection_with_rows_is_kept() {
    let s = spawn(|_| {}).await;
    let op = s.admin_token.clone();
    let before = s.get(BASE, None).await.body;
    assert_eq!(
        create(&s, "stores", Some(&op), store("Main", "en_US"))
            .await
            .status,
        200
    );
    let text = std::fs::read_to_string(project_file()).unwrap();
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        s.database_url.clone(),
    ))
    .await
    .unwrap();
    let media =
        openentry_server::media::local::LocalDir::open(s.media_dir.as_ref().unwrap()).unwrap();
    let import = |name: &'static str, text: String| {
        let (db, media, clock) = (&db, &media, &s.clock);
        async move { openentry_server::project::import_text(db, media, clock, name, &text).await }
    };
    let again = import("same.toml", text.clone()).await.unwrap();
    assert!(!again.changed, "{again:?}");

    let cut = |marker: &str| {
        let start = text
            .find(&format!("[[collections]]\nidentifier = \"{marker}\""))
            .unwrap();
        let end = text[start + 1..]
            .find("[[collections]]")
            .map_or(text.len(), |e| start + 1 + e);
        format!("{}{}", &text[..start], &text[end..])
    };
    let err = import("no-stores.toml", cut("stores"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("collections/stores") && err.contains("still in use"),
        "{err}"
    );
    let report = import("no-guestbook.toml", cut("guestbook")).await.unwrap();
    assert_eq!(report.deleted, ["collections/guestbook"]);
    db.close().await;

    // The next node serves the new revision; the other collections keep their ids.
    let b = s.second_node().await;
    let after = b.get(BASE, None).await.body;
    let ids = |list: &Value| -> Vec<(Value, Value)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| (c["identifier"].clone(), c["id"].clone()))
            .collect()
    };
    let mut expected = ids(&before);
    expected.retain(|(m, _)| m != "guestbook");
    assert_eq!(ids(&after), expected);
    assert_eq!(b.get(&rows("stores"), None).await.body["total"], 1);
    b.stop().await;
}

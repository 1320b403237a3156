//! Rows at scale: paging, filters and languages, concurrent writes, the anonymous budget, and
//! importing the definition again.

use openentry_domain::throttle::ThrottlePolicy;
use reqwest::Method;
use serde_json::{Value, json};

use super::{BASE, create, message, project_file, row, rows, spawn, store, values, wish};
use crate::email;

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

#[tokio::test]
async fn one_write_may_carry_several_languages_all_checked_before_any_is_stored() {
    let s = spawn(|_| {}).await;
    let op = s.admin_token.clone();
    let both = |fr_floor: Value| {
        json!({"formData": {
            "en_US": [{"marker": "name", "value": "Main"}],
            "fr_FR": [{"marker": "name", "value": "Principal"}, {"marker": "floor", "value": fr_floor}],
        }})
    };
    let bad = create(&s, "stores", Some(&op), both(json!("high"))).await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);
    let wrong_lang =
        json!({"formData": {"en_US": [{"marker": "name", "value": "a"}], "xx_XX": []}});
    assert_eq!(
        create(&s, "stores", Some(&op), wrong_lang).await.status,
        400
    );
    assert_eq!(s.get(&rows("stores"), None).await.body["total"], 0);

    let r = create(&s, "stores", Some(&op), both(json!(1))).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let path = |lang: &str| format!("{}?langCode={lang}", row("stores", &r.body["id"]));
    let en = s.get(&path("en_US"), None).await.body;
    let fr = s.get(&path("fr_FR"), None).await.body;
    assert_eq!(values(&en, "en_US"), [json!("Main")]);
    assert_eq!(values(&fr, "fr_FR"), [json!("Principal"), json!(1)]);
}

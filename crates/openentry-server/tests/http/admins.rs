//! Admins' public profiles (tests/sdk/admins.toml): only the attributes a profile marks public
//! are sent and filterable, hidden profiles are never listed, values follow the language.

use std::path::PathBuf;

use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use serde_json::{Value, json};

const ALL: &str = "/api/content/admins/all";

fn project_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/admins.toml"
    ))
}

async fn spawn() -> TestServer {
    TestServer::spawn_with(|_| {}, ProjectSource::File(project_file())).await
}

fn identifiers(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["identifier"].as_str().unwrap())
        .collect()
}

async fn filtered(s: &TestServer, filters: Value) -> Value {
    let r = s
        .post(
            &format!("{ALL}?langCode=en_US&offset=0&limit=30"),
            None,
            filters,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn profiles_carry_public_values_only_in_the_requested_language() {
    let s = spawn().await;
    let list = filtered(&s, json!([])).await;
    assert_eq!(identifiers(&list), ["anna", "bea", "dora"]);
    let anna = &list[0];
    assert_eq!(anna["id"], 1);
    assert_eq!(anna["attributeSetId"], 1);
    assert_eq!(anna["attributeSetIdentifier"], "team");
    assert_eq!(anna["position"], 0);
    assert_eq!(anna["isSync"], false);
    let values = anna["attributeValues"]["en_US"].as_object().unwrap();
    let mut markers: Vec<&str> = values.keys().map(String::as_str).collect();
    markers.sort_unstable();
    assert_eq!(markers, ["name", "photo", "role", "years"]);
    assert_eq!(values["name"]["value"], "Anna Berg");
    assert_eq!(values["name"]["type"], "string");
    assert_eq!(values["years"]["value"], 12);
    assert!(
        values["photo"]["value"][0]["downloadLink"]
            .as_str()
            .is_some_and(|l| l.contains("/media/") && l.ends_with("/hero.png")),
        "{}",
        values["photo"]
    );
    // No private value anywhere in the answer.
    let text = list.to_string();
    for secret in [
        "anna@shop.example",
        "dora@shop.example",
        "+1 555 0100",
        "Carl",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    // Bea marks her e-mail public; Dora marks nothing.
    assert_eq!(
        list[1]["attributeValues"]["en_US"]["email"]["value"],
        "support@shop.example"
    );
    assert_eq!(list[2]["attributeValues"], json!({"en_US": {}}));

    let fr = s
        .post(&format!("{ALL}?langCode=fr_FR"), None, json!([]))
        .await;
    assert_eq!(fr.status, 200);
    assert_eq!(
        fr.body[0]["attributeValues"]["fr_FR"]["role"]["value"],
        "Fondatrice"
    );
    assert_eq!(
        fr.body[1]["attributeValues"]["fr_FR"]["role"]["value"],
        "Support"
    );

    let page = s
        .post(
            &format!("{ALL}?langCode=en_US&offset=1&limit=1"),
            None,
            json!([]),
        )
        .await;
    assert_eq!(identifiers(&page.body), ["bea"]);
    // An empty body (`{}`) and the products' wrapped shape read as filters too.
    let wrapped = s.post(ALL, None, json!({"filter": [{"attributeMarker": "years", "conditionMarker": "lth", "conditionValue": 5}]})).await;
    assert_eq!(identifiers(&wrapped.body), ["bea"]);
    let r = s.call(reqwest::Method::POST, ALL, None, None).await;
    assert_eq!(identifiers(&r.body), ["anna", "bea", "dora"]);
}

#[tokio::test]
async fn filters_see_public_values_only() {
    let s = spawn().await;
    let f = |marker: &str, cond: &str, value: Value| json!([{"attributeMarker": marker, "conditionMarker": cond, "conditionValue": value}]);
    // Dora's years are private: a filter sees none.
    assert_eq!(
        identifiers(&filtered(&s, f("years", "mth", json!(0))).await),
        ["anna", "bea"]
    );
    assert_eq!(
        identifiers(&filtered(&s, f("years", "lth", json!("5"))).await),
        ["bea"]
    );
    let both = json!([
        {"attributeMarker": "years", "conditionMarker": "mth", "conditionValue": 1},
        {"attributeMarker": "years", "conditionMarker": "lth", "conditionValue": 20},
    ]);
    assert_eq!(identifiers(&filtered(&s, both).await), ["anna", "bea"]);
    // A private e-mail cannot be found or confirmed by a filter; a public one can.
    let hidden = filtered(&s, f("email", "eq", json!("anna@shop.example"))).await;
    assert_eq!(hidden, json!([]));
    let public = filtered(&s, f("email", "eq", json!("support@shop.example"))).await;
    assert_eq!(identifiers(&public), ["bea"]);
    assert_eq!(
        identifiers(&filtered(&s, f("email", "exs", Value::Null)).await),
        ["bea"]
    );
    assert_eq!(
        identifiers(&filtered(&s, f("phone", "nexs", Value::Null)).await),
        ["anna", "bea", "dora"]
    );
    assert_eq!(
        identifiers(&filtered(&s, f("role", "in", json!(["Founder", "Support"]))).await),
        ["anna", "bea"]
    );

    let bad = s.post(ALL, None, f("years", "about", json!(1))).await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.message().contains("Unknown conditionMarker"),
        "{}",
        bad.body
    );
    let bad = s
        .post(&format!("{ALL}?langCode=xx_XX"), None, json!([]))
        .await;
    assert_eq!(bad.status, 400);
    let bad = s.post(&format!("{ALL}?limit=-1"), None, json!([])).await;
    assert_eq!(bad.status, 400);
}

#[test]
fn public_markers_must_name_attributes_of_the_set() {
    let text = std::fs::read_to_string(project_file()).unwrap().replace(
        r#"public = ["name", "role", "years", "email"]"#,
        r#"public = ["name", "salary"]"#,
    );
    let err = openentry_server::project::parse_definition("admins.toml", &text)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(r#"admins.toml: admins[1].public[1]: "salary" is not an attribute of the admin's attribute_set"#),
        "{err}"
    );
}

#[tokio::test]
async fn profiles_round_trip_through_export_and_keep_their_ids_on_reimport() {
    let text = std::fs::read_to_string(project_file()).unwrap();
    let def = openentry_server::project::parse_definition("admins.toml", &text).unwrap();
    let exported = openentry_server::project::to_toml(&def).unwrap();
    assert_eq!(
        openentry_server::project::parse_definition("export", &exported).unwrap(),
        def
    );

    // Anna leaves the definition: the others keep their ids, the list follows the file.
    let a = spawn().await;
    let start = text.find("# E-mail and phone stay private").unwrap();
    let end = text.find("# This one publishes").unwrap();
    let without_anna = format!("{}{}", &text[..start], &text[end..]);
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        a.database_url.clone(),
    ))
    .await
    .unwrap();
    let media =
        openentry_server::media::local::LocalDir::open(a.media_dir.as_ref().unwrap()).unwrap();
    let report =
        openentry_server::project::import_text(&db, &media, &a.clock, "admins.toml", &without_anna)
            .await
            .unwrap();
    assert!(
        report.deleted.contains(&"admins/anna".to_owned()),
        "{report:?}"
    );
    db.close().await;
    let b = a.second_node().await;
    let list = b.post(ALL, None, json!([])).await.body;
    assert_eq!(identifiers(&list), ["bea", "dora"]);
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 4]);
    b.stop().await;
}

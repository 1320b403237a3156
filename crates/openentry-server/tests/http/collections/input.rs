//! Bad input: a 400 that names the problem, never a 5xx, and nothing written.

use reqwest::Method;
use serde_json::{Value, json};

use super::{BASE, create, row, rows, spawn, store};

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
}

#[tokio::test]
async fn bad_paths_and_queries_are_400s_and_unknown_collections_404s() {
    let s = spawn(|_| {}).await;
    let op = s.admin_token.clone();
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

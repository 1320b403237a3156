//! FormData on the wire (tests/sdk/form-data.toml): bad input is a 400 naming the problem and
//! never a 5xx, another user's submission answers like a missing one, anonymous floods are
//! throttled per address and per device, and a user's submissions go with their account.

use std::path::PathBuf;

use openentry_domain::throttle::ThrottlePolicy;
use openentry_server::{Config, ProjectSource};
use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;

const POST: &str = "/api/content/form-data";

fn project_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/form-data.toml"
    ))
}

pub(crate) async fn spawn(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::spawn_with(adjust, ProjectSource::File(project_file())).await
}

/// A request as the SDK sends it: app token, optional Bearer, and the device metadata header
/// with `fingerprint` when given.
pub(crate) async fn send(
    s: &TestServer,
    method: Method,
    path: &str,
    bearer: Option<&str>,
    body: Option<Value>,
    fingerprint: Option<&str>,
) -> Resp {
    let mut req = s
        .http
        .request(method, format!("{}{path}", s.url))
        .header("x-app-token", &s.app_token)
        .header("content-type", "application/json");
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    if let Some(f) = fingerprint {
        let meta = json!({"fingerprint": f, "deviceInfo": {"os": "test", "browser": "test", "location": "en-US"}});
        req = req.header("x-device-metadata", meta.to_string());
    }
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    let r = req.send().await.unwrap();
    Resp {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.json().await.unwrap_or_default(),
    }
}

fn note(line: &str) -> Value {
    json!({"formIdentifier": "notes", "formData": {"en_US": [{"marker": "line", "type": "string", "value": line}]}})
}

pub(crate) fn review(text: &str) -> Value {
    json!({
        "formIdentifier": "reviews", "formModuleConfigId": 5, "moduleEntityIdentifier": 15,
        "formData": {"en_US": [{"marker": "text", "type": "text", "value": text}]}
    })
}

/// The operator's view of a form's submissions.
async fn all_of(s: &TestServer, form: &str) -> Value {
    let path = format!("/api/content/form-data/marker/{form}?formModuleConfigId=0&langCode=en_US");
    let r = send(
        s,
        Method::POST,
        &path,
        Some(&s.admin_token),
        Some(json!({})),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn bad_input_is_a_400_that_names_the_problem_and_never_a_5xx() {
    let s = spawn(|_| {}).await;
    let token = s.user(&email("bad")).await;
    let notes = |form_data: Value| json!({"formIdentifier": "notes", "formData": form_data});
    let cases = [
        (notes(json!(5)), "formData must be a list"),
        (
            notes(json!({"xx_XX": [{"marker": "line", "value": "a"}]})),
            "langCode must be one of",
        ),
        (
            notes(json!([{"marker": "line", "value": {"deep": [1, 2]}}])),
            "field \"line\" expects text",
        ),
        (
            notes(json!([{"marker": "count", "value": "1e400"}])),
            "field \"count\" expects a whole number",
        ),
        (
            notes(json!([{"marker": "weight", "value": "inf"}])),
            "field \"weight\" expects a number",
        ),
        (
            notes(json!([{"marker": "day", "value": {"fullDate": 3}}])),
            "field \"day\" expects fullDate",
        ),
        (
            notes(json!([{"marker": "extra", "value": "x".repeat(17_000)}])),
            "field \"extra\" must be at most 16 KiB",
        ),
        (
            notes(
                json!([{"marker": "picture", "value": [{"filename": "a", "downloadLink": "data:text/html,x", "size": 1}]}]),
            ),
            "field \"picture\" expects files with web links",
        ),
        (
            notes(json!([{"marker": "picture", "value": "a.png"}])),
            "field \"picture\" expects uploaded files",
        ),
        (
            json!({"formIdentifier": "notes", "formData": [], "moduleEntityIdentifier": {"a": 1}}),
            "moduleEntityIdentifier must be",
        ),
        (
            json!({"formIdentifier": "notes", "formData": [], "formModuleConfigId": -1}),
            "formModuleConfigId must be",
        ),
        (
            json!({"formIdentifier": "notes", "formData": [], "parentId": "first"}),
            "parentId must be",
        ),
        (json!({"formData": []}), "formIdentifier is required"),
    ];
    for (body, message) in cases {
        let r = send(
            &s,
            Method::POST,
            POST,
            Some(&token),
            Some(body.clone()),
            None,
        )
        .await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
        assert!(r.message().contains(message), "{body}: {}", r.message());
    }
}

#[tokio::test]
async fn bad_queries_and_html_are_400s_and_paging_is_clamped() {
    let s = spawn(|_| {}).await;
    let token = s.user(&email("badq")).await;
    let notes = |form_data: Value| json!({"formIdentifier": "notes", "formData": form_data});
    for (path, body) in [
        (
            "/api/content/form-data/marker/notes?offset=-5&limit=100000",
            json!({"status": [1]}),
        ),
        (
            "/api/content/form-data/marker/notes",
            json!({"entityIdentifier": [1]}),
        ),
        (
            "/api/content/form-data/marker/notes",
            json!({"userIdentifier": 5}),
        ),
        (
            "/api/content/form-data/marker/notes?formModuleConfigId=x",
            json!({}),
        ),
        ("/api/content/form-data/x", json!({})),
    ] {
        let method = if path.ends_with("/x") {
            Method::PUT
        } else {
            Method::POST
        };
        let r = send(&s, method, path, Some(&token), Some(body.clone()), None).await;
        assert_eq!(r.status, 400, "{path} {body}: {:?}", r.body);
    }
    let r = send(
        &s,
        Method::POST,
        "/api/content/form-data/marker/notes?offset=-5&limit=100000",
        Some(&token),
        Some(json!({})),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "offset and limit are clamped: {:?}", r.body);
    // Text is stored as text: HTML alone is refused, so no visitor's markup reaches others.
    let html = notes(
        json!([{"marker": "body", "value": {"htmlValue": "<script>alert(1)</script>", "plainValue": ""}}]),
    );
    let r = send(&s, Method::POST, POST, Some(&token), Some(html), None).await;
    assert_eq!(
        (r.status, r.message()),
        (
            400,
            "field \"body\" is plain text: send it as a string or in plainValue (HTML is not stored)"
        )
    );
}

#[tokio::test]
async fn another_users_submission_answers_exactly_like_a_missing_one() {
    let s = spawn(|_| {}).await;
    let ann = s.user(&email("ann")).await;
    let bob = s.user(&email("bob")).await;
    let posted = send(&s, Method::POST, POST, Some(&ann), Some(note("mine")), None).await;
    assert_eq!(posted.status, 200, "{:?}", posted.body);
    let id = posted.body["formData"]["id"].as_i64().unwrap();
    let missing = id + 1_000;
    let update = json!({"formData": [{"marker": "line", "type": "string", "value": "hijacked"}]});
    for (method, body) in [(Method::PUT, Some(update.clone())), (Method::DELETE, None)] {
        let theirs = send(
            &s,
            method.clone(),
            &format!("{POST}/{id}"),
            Some(&bob),
            body.clone(),
            None,
        )
        .await;
        let none = send(
            &s,
            method.clone(),
            &format!("{POST}/{missing}"),
            Some(&bob),
            body.clone(),
            None,
        )
        .await;
        assert_eq!((theirs.status, none.status), (404, 404), "{method}");
        assert_eq!(
            theirs.message().replace(&id.to_string(), "N"),
            none.message().replace(&missing.to_string(), "N")
        );
        // Without a valid user token: 401, never a change.
        let stale = send(
            &s,
            method,
            &format!("{POST}/{id}"),
            Some("not-a-token"),
            body,
            None,
        )
        .await;
        assert_eq!(stale.status, 401);
    }
    let list = all_of(&s, "notes").await;
    assert_eq!(list["items"][0]["formData"][0]["value"], "mine");
    // A user asking to set a status is refused whatever the id: the answer tells nothing.
    for target in [id, missing] {
        let r = send(
            &s,
            Method::PUT,
            &format!("{POST}/{target}/update-status"),
            Some(&bob),
            Some(json!({"status": "approved"})),
            None,
        )
        .await;
        assert_eq!(r.status, 403);
    }
    let own = send(
        &s,
        Method::DELETE,
        &format!("{POST}/{id}"),
        Some(&ann),
        None,
        None,
    )
    .await;
    assert_eq!((own.status, own.body.clone()), (200, json!(true)));
}

#[tokio::test]
async fn a_stale_bearer_submits_anonymously() {
    let s = spawn(|_| {}).await;
    let r = send(
        &s,
        Method::POST,
        POST,
        Some("expired.or.forged"),
        Some(review("Nice.")),
        Some("UQ_device-1"),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["formData"]["userIdentifier"], Value::Null);
    assert_eq!(r.body["formData"]["fingerprint"], "UQ_device-1");
    let list = all_of(&s, "reviews").await;
    let stored = &list["items"][0];
    assert_eq!(
        (stored["fingerprint"].clone(), stored["status"].clone()),
        (json!("UQ_device-1"), json!("new"))
    );
}

#[tokio::test]
async fn anonymous_floods_are_throttled_per_device_and_per_address() {
    let s = spawn(|c| {
        c.form_data_address_budget = ThrottlePolicy {
            max_failures: 5,
            window_secs: 60,
        };
        c.form_data_fingerprint_budget = ThrottlePolicy {
            max_failures: 3,
            window_secs: 60,
        };
        c.form_data_user_budget = ThrottlePolicy {
            max_failures: 2,
            window_secs: 60,
        };
    })
    .await;
    for i in 0..3 {
        let r = send(
            &s,
            Method::POST,
            POST,
            None,
            Some(note(&format!("a{i}"))),
            Some("UQ_a"),
        )
        .await;
        assert_eq!(r.status, 200, "{i}: {:?}", r.body);
    }
    let device = send(&s, Method::POST, POST, None, Some(note("a3")), Some("UQ_a")).await;
    assert_eq!(device.status, 429, "{:?}", device.body);
    let retry: i64 = device.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // A new fingerprint from the same address gets one more: the address has spent 5 of 5.
    assert_eq!(
        send(&s, Method::POST, POST, None, Some(note("b0")), Some("UQ_b"))
            .await
            .status,
        200
    );
    let address = send(&s, Method::POST, POST, None, Some(note("b1")), Some("UQ_c")).await;
    assert_eq!(address.status, 429, "{:?}", address.body);
    let bare = send(&s, Method::POST, POST, None, Some(note("no device")), None).await;
    assert_eq!(
        bare.status, 429,
        "no fingerprint is no way around the address budget"
    );

    // Users have their own budget; operators none.
    let token = s.user(&email("busy")).await;
    for expected in [200, 200, 429] {
        let r = send(&s, Method::POST, POST, Some(&token), Some(note("u")), None).await;
        assert_eq!(r.status, expected, "{:?}", r.body);
    }
    for _ in 0..4 {
        let r = send(
            &s,
            Method::POST,
            POST,
            Some(&s.admin_token),
            Some(note("op")),
            None,
        )
        .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    assert_eq!(all_of(&s, "notes").await["total"], 10);

    s.clock.advance_secs(60);
    assert_eq!(
        send(
            &s,
            Method::POST,
            POST,
            None,
            Some(note("later")),
            Some("UQ_a")
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn file_values_are_upload_results_of_this_server_only() {
    let s = spawn(|_| {}).await;
    let token = s.user(&email("files")).await;
    let up = crate::files::upload(&s, Some(&token), &[("a.png", crate::files::PNG)]).await;
    assert_eq!(up.status, 200, "{:?}", up.body);
    let mut file = up.body[0].clone();
    // What the SDK sends along is dropped; the upload result is kept.
    file["contentType"] = json!("image/png");
    file["params"] = json!({"isImageCompressed": true});
    let kept = up.body[0].clone();
    let body = json!({"formIdentifier": "notes", "formData": [
        {"marker": "picture", "type": "image", "value": file},
        {"marker": "attachment", "type": "file", "value": [file.clone(), file.clone()]},
    ]});
    let r = send(&s, Method::POST, POST, Some(&token), Some(body), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["formData"]["formData"],
        json!([
            {"marker": "picture", "type": "image", "value": [kept.clone()]},
            {"marker": "attachment", "type": "file", "value": [kept.clone(), kept.clone()]},
        ])
    );
    let eleven = json!({"formIdentifier": "notes", "formData": [{"marker": "attachment", "value": vec![file; 11]}]});
    let r = send(&s, Method::POST, POST, Some(&token), Some(eleven), None).await;
    assert_eq!(
        (r.status, r.message()),
        (400, "field \"attachment\" takes at most 10 files")
    );
    // Links elsewhere, or to no upload of ours, are refused.
    let key = kept["filename"].as_str().unwrap();
    let unknown = format!("{}/media/{}/a.png", s.url, "0".repeat(32));
    for (which, link) in [
        ("downloadLink", "https://cdn.example/a.png".to_owned()),
        ("downloadLink", format!("https://cdn.example/media/{key}")),
        ("downloadLink", unknown),
        ("previewLink", "https://cdn.example/a.png".to_owned()),
    ] {
        let mut value = kept.clone();
        value[which] = json!(link);
        let body = json!({"formIdentifier": "notes", "formData": [{"marker": "picture", "value": [value]}]});
        let r = send(&s, Method::POST, POST, Some(&token), Some(body), None).await;
        assert_eq!(r.status, 400, "{link}: {:?}", r.body);
        assert!(
            r.message().contains("takes files uploaded to this server"),
            "{}",
            r.message()
        );
    }
}

#[tokio::test]
async fn a_users_submissions_go_with_their_account() {
    let s = spawn(|_| {}).await;
    let token = s.user(&email("leaving")).await;
    assert_eq!(
        send(
            &s,
            Method::POST,
            POST,
            Some(&token),
            Some(note("bye")),
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        send(
            &s,
            Method::POST,
            POST,
            None,
            Some(note("anonymous")),
            Some("UQ_x")
        )
        .await
        .status,
        200
    );
    assert_eq!(all_of(&s, "notes").await["total"], 2);
    let gone = s
        .call(
            Method::DELETE,
            "/api/content/users/me/account",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(gone.status, 200, "{:?}", gone.body);
    let left = all_of(&s, "notes").await;
    assert_eq!(left["total"], 1);
    assert_eq!(left["items"][0]["formData"][0]["value"], "anonymous");
}

#[tokio::test]
async fn the_seed_review_is_public_and_its_sender_unknown() {
    let s = spawn(|_| {}).await;
    let path = "/api/content/form-data/marker/reviews?formModuleConfigId=5&isExtended=1&langCode=fr_FR&offset=0&limit=30";
    let r = send(
        &s,
        Method::POST,
        path,
        None,
        Some(json!({"entityIdentifier": 15, "status": ["approved"]})),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body,
        json!({"total": 1, "items": [{
            "id": r.body["items"][0]["id"], "parentId": null, "formIdentifier": "reviews", "depth": 0,
            "ip": null, "fingerprint": null, "status": "approved", "userIdentifier": null,
            "formData": [
                {"marker": "rating", "type": "integer", "value": 5},
                {"marker": "photos", "type": "groupOfImages", "value": []},
                {"marker": "text", "type": "text", "value": "Soft leather."},
            ],
            "attributeSetIdentifier": null, "time": "2026-05-02T10:00:00.000Z", "entityIdentifier": "15",
            "isUserAdmin": false, "formModuleConfigId": 5,
        }]})
    );
}

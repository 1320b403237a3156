//! Sign-up and sign-in.

use openentry_testkit::{TestServer, sign_up_body};
use serde_json::json;

use crate::email;

const SIGN_UP: &str = "/api/content/users-auth-providers/marker/email/users/sign-up";

#[tokio::test]
async fn sign_up_answers_the_sdk_shape() {
    let s = TestServer::spawn().await;
    let e = email("shape");
    let body = s.sign_up(&e, "correct horse battery").await;
    assert!(body["id"].as_i64().unwrap() > 0);
    assert_eq!(body["identifier"], e);
    assert_eq!(body["isActive"], true);
    assert_eq!(body["version"], 1);
    assert_eq!(
        body["notificationData"],
        json!({"email": e, "phonePush": []})
    );
    let items = body["formData"]["en_US"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["marker"] == "name" && i["value"] == "Christina Thomas")
    );
    assert!(
        !body.to_string().contains("correct horse"),
        "the password never comes back"
    );
    assert_eq!(body["createdDate"], "2026-06-06T11:38:21.644Z");
}

#[tokio::test]
async fn duplicate_sign_up_is_refused_case_insensitively() {
    let s = TestServer::spawn().await;
    let e = email("dup");
    s.sign_up(&e, "correct horse battery").await;
    let r = s
        .post(
            SIGN_UP,
            None,
            sign_up_body(&e.to_uppercase(), "another password"),
        )
        .await;
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert!(r.message().contains("already exists"), "{}", r.message());
}

#[tokio::test]
async fn sign_up_validates_the_form() {
    let s = TestServer::spawn().await;
    let cases = [
        (
            sign_up_body("not-an-email", "correct horse"),
            "not an e-mail",
        ),
        (sign_up_body(&email("short"), "1234567"), "at least 8"),
        (
            sign_up_body(&email("long"), &"x".repeat(2000)),
            "longer than 1024",
        ),
        (
            json!({"authData": [{"marker": "email_reg", "value": email("nopw")}]}),
            "password",
        ),
        (
            json!({"authData": [{"marker": "email_reg", "value": email("x")}, {"marker": "password_reg", "value": "correct horse"}, {"marker": "role", "value": "admin"}]}),
            "\"role\"",
        ),
        (
            json!({"authData": [{"marker": "email_reg", "value": email("f")}, {"marker": "password_reg", "value": "correct horse"}], "formData": [{"marker": "nope", "type": "string", "value": "x"}]}),
            "no field \"nope\"",
        ),
        (json!({"authData": "nope"}), "Invalid request body"),
    ];
    for (body, expected) in cases {
        let r = s.post(SIGN_UP, None, body.clone()).await;
        assert_eq!(r.status, 400, "{body} → {:?}", r.body);
        assert!(r.message().contains(expected), "{body} → {}", r.message());
    }
}

#[tokio::test]
async fn long_passwords_are_not_truncated() {
    let s = TestServer::spawn().await;
    let e = email("longpw");
    let pw: String = "ü".repeat(150) + "a";
    s.sign_up(&e, &pw).await;
    let mut changed = pw.clone();
    changed.pop();
    changed.push('b');
    assert_eq!(s.auth(&e, &changed).await.status, 403);
    assert_eq!(s.auth(&e, &pw).await.status, 200);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let s = TestServer::spawn().await;
    let e = email("same");
    s.sign_up(&e, "correct horse battery").await;
    let wrong = s.auth(&e, "wrong password").await;
    let unknown = s.auth(&email("ghost"), "wrong password").await;
    assert_eq!(wrong.status, 403);
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(unknown.message(), wrong.message());
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        v["timestamp"] = json!(null);
        v
    };
    assert_eq!(strip(&unknown.body), strip(&wrong.body));
}

#[tokio::test]
async fn auth_returns_exactly_four_keys() {
    let s = TestServer::spawn().await;
    let e = email("four");
    s.sign_up(&e, "correct horse battery").await;
    let r = s.auth(&e.to_uppercase(), "correct horse battery").await;
    assert_eq!(r.status, 200);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "accessToken",
            "authProviderIdentifier",
            "refreshToken",
            "userIdentifier"
        ]
    );
    assert_eq!(r.body["userIdentifier"], e);
    assert_eq!(r.body["authProviderIdentifier"], "email");
    assert!(
        r.body["refreshToken"].as_str().unwrap().len() >= 43,
        "≥ 256 bits"
    );
}

#[tokio::test]
async fn a_login_flood_is_shed_with_429() {
    let s = TestServer::spawn_with(
        |c| {
            c.hash_concurrency = 1;
            c.hash_queue = 0;
            c.argon2 = openentry_server::config::Argon2Params {
                m_kib: 8192,
                t: 3,
                p: 1,
            };
        },
        openentry_testkit::test_catalog(),
    )
    .await;
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let body =
                openentry_testkit::auth_body(&format!("flood{i}@example.com"), "whatever123");
            let req = s
                .http
                .post(format!(
                    "{}/api/content/users-auth-providers/marker/email/users/auth",
                    s.url
                ))
                .header("x-app-token", &s.app_token)
                .body(body.to_string());
            tokio::spawn(async move { req.send().await.unwrap() })
        })
        .collect();
    let mut shed = 0;
    for t in tasks {
        let r = t.await.unwrap();
        if r.status() == 429 {
            assert!(r.headers().get("retry-after").is_some());
            shed += 1;
        }
    }
    assert!(
        shed > 0,
        "with one slot and no queue, concurrent sign-ins must be shed"
    );
    // The server still serves other requests.
    assert_eq!(
        s.get("/api/content/users-auth-providers", None)
            .await
            .status,
        200
    );
}

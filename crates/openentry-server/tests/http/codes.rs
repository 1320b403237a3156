//! One-time codes: activation and password change.

use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use serde_json::json;

use crate::email;

/// An e-mail provider that checks codes, with its sign-up form (also the relay tests'
/// provider).
pub(crate) const PROJECT: &str = r#"
[[auth_providers]]
identifier = "email"
type = "email"
check_code = true
form = "reg"
[auth_providers.codes]
length = 6
digits_only = true
ttl_secs = 600
max_attempts = 3
resend_after_secs = 30

[[forms]]
identifier = "reg"
kind = "sign_up"
fields = [
  { marker = "email_reg", login = true, email = true, notification_email = true, required = true },
  { marker = "password_reg", password = true, required = true },
  { marker = "name" },
]
"#;

pub(crate) async fn server() -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, PROJECT).unwrap();
    (
        TestServer::spawn_with(|_| {}, ProjectSource::File(path)).await,
        dir,
    )
}

pub(crate) fn path(action: &str) -> String {
    format!("/api/content/users-auth-providers/marker/email/users/{action}")
}

#[tokio::test]
async fn activation_with_the_code_sent_at_sign_up() {
    let (s, _d) = server().await;
    let e = email("act");
    let body = s.sign_up(&e, "correct horse battery").await;
    assert_eq!(body["isActive"], false);
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 403);
    let code = s.last_code(&e).await;
    assert_eq!(code.len(), 6);
    let check = s
        .post(
            &path("check-code"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "reg", "code": code}),
        )
        .await;
    assert_eq!(check.body, json!(true));
    let r = s
        .post(
            &path("activate"),
            None,
            json!({"userIdentifier": e, "code": code}),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 200);
    // Single use.
    let again = s
        .post(
            &path("activate"),
            None,
            json!({"userIdentifier": e, "code": code}),
        )
        .await;
    assert_eq!(again.status, 400);
}

#[tokio::test]
async fn wrong_codes_are_limited_and_codes_expire() {
    let (s, _d) = server().await;
    let e = email("lim");
    s.sign_up(&e, "correct horse battery").await;
    let code = s.last_code(&e).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..3 {
        let r = s
            .post(
                &path("check-code"),
                None,
                json!({"userIdentifier": e, "eventIdentifier": "reg", "code": wrong}),
            )
            .await;
        assert_eq!(r.body, json!(false));
    }
    let r = s
        .post(
            &path("activate"),
            None,
            json!({"userIdentifier": e, "code": code}),
        )
        .await;
    assert_eq!(r.status, 400, "three wrong tries destroyed the code");

    let r = s
        .post(
            &path("generate-code"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "reg"}),
        )
        .await;
    assert_eq!(r.status, 429, "resend cooldown");
    assert!(r.headers.get("retry-after").is_some());
    s.clock.advance_secs(30);
    assert_eq!(
        s.post(
            &path("generate-code"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "reg"})
        )
        .await
        .status,
        200
    );
    let fresh = s.last_code(&e).await;
    s.clock.advance_secs(601);
    let r = s
        .post(
            &path("activate"),
            None,
            json!({"userIdentifier": e, "code": fresh}),
        )
        .await;
    assert_eq!(r.status, 400, "expired");
}

#[tokio::test]
async fn change_password_with_a_code_ends_every_session() {
    let (s, _d) = server().await;
    let e = email("chpw");
    s.sign_up(&e, "correct horse battery").await;
    let code = s.last_code(&e).await;
    s.post(
        &path("activate"),
        None,
        json!({"userIdentifier": e, "code": code}),
    )
    .await;
    let (access, _) = s.sign_in(&e, "correct horse battery").await;

    s.clock.advance_secs(31);
    let r = s
        .post(
            &path("generate-code"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "password"}),
        )
        .await;
    assert_eq!(r.body, json!(true));
    let code = s.last_code(&e).await;
    let change = |c: &str, p1: &str, p2: &str| json!({"userIdentifier": e, "eventIdentifier": "password", "code": c, "type": 1, "password1": p1, "password2": p2});
    assert_eq!(
        s.post(
            &path("change-password"),
            None,
            change(&code, "new password 1", "new password 2")
        )
        .await
        .status,
        400
    );
    assert_eq!(
        s.post(
            &path("change-password"),
            None,
            change(&code, "short", "short")
        )
        .await
        .status,
        400
    );
    let r = s
        .post(
            &path("change-password"),
            None,
            change(&code, "new password 1", "new password 1"),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(
        s.get("/api/content/users/me", Some(&access)).await.status,
        401
    );
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 403);
    assert_eq!(s.auth(&e, "new password 1").await.status, 200);
}

#[tokio::test]
async fn unknown_logins_look_like_known_ones() {
    let (s, _d) = server().await;
    let r = s
        .post(
            &path("generate-code"),
            None,
            json!({"userIdentifier": email("nobody"), "eventIdentifier": "reg"}),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    let r = s
        .post(
            &path("check-code"),
            None,
            json!({"userIdentifier": email("nobody"), "eventIdentifier": "reg", "code": "123456"}),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(false)));
}

#[tokio::test]
async fn the_admin_api_needs_the_admin_token() {
    let (s, _d) = server().await;
    let url = format!("{}/api/admin/notifications", s.url);
    assert_eq!(s.http.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(
        s.http
            .get(&url)
            .bearer_auth(&s.app_token)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        s.http
            .get(&url)
            .bearer_auth(&s.admin_token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

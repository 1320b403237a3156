//! Access tokens, refresh rotation, logout.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openentry_testkit::TestServer;
use serde_json::json;

use crate::email;

const ME: &str = "/api/content/users/me";
const REFRESH: &str = "/api/content/users-auth-providers/marker/email/users/refresh";

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let s = TestServer::spawn().await;
    let e = email("rot");
    s.sign_up(&e, "correct horse battery").await;
    let (access1, r1) = s.sign_in(&e, "correct horse battery").await;
    let first = s.post(REFRESH, None, json!({"refreshToken": r1})).await;
    assert_eq!(first.status, 200, "{:?}", first.body);
    let r2 = first.body["refreshToken"].as_str().unwrap().to_owned();
    let access2 = first.body["accessToken"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    assert_eq!(first.body["userIdentifier"], e);
    assert_eq!(s.get(ME, Some(&access2)).await.status, 200);

    let reuse = s.post(REFRESH, None, json!({"refreshToken": r1})).await;
    assert_eq!(reuse.status, 401);
    assert_eq!(
        s.post(REFRESH, None, json!({"refreshToken": r2}))
            .await
            .status,
        401,
        "the family is revoked"
    );
    assert_eq!(
        s.get(ME, Some(&access2)).await.status,
        401,
        "its access tokens too"
    );
    assert_eq!(s.get(ME, Some(&access1)).await.status, 401);
    // A new sign-in is a new family.
    let (access3, _) = s.sign_in(&e, "correct horse battery").await;
    assert_eq!(s.get(ME, Some(&access3)).await.status, 200);
}

#[tokio::test]
async fn refresh_refuses_empty_and_unknown_tokens() {
    let s = TestServer::spawn().await;
    for body in [
        json!({}),
        json!({"refreshToken": "nope"}),
        json!({"refreshToken": ""}),
    ] {
        let r = s.post(REFRESH, None, body.clone()).await;
        assert_eq!(r.status, 401, "{body}");
        assert_eq!(r.body["statusCode"], 401);
    }
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_leave_at_most_one_winner() {
    let s = TestServer::spawn().await;
    let e = email("race");
    s.sign_up(&e, "correct horse battery").await;
    let (_, r1) = s.sign_in(&e, "correct horse battery").await;
    let calls = (0..10).map(|_| s.post(REFRESH, None, json!({"refreshToken": r1})));
    let results = futures::future::join_all(calls).await;
    let wins = results.iter().filter(|r| r.status == 200).count();
    assert!(wins <= 1, "{wins} refreshes of one token succeeded");
    assert!(results.iter().all(|r| r.status == 200 || r.status == 401));
}

#[tokio::test]
async fn access_tokens_expire_with_the_clock() {
    let s = TestServer::spawn().await;
    let access = s.user(&email("exp")).await;
    assert_eq!(s.get(ME, Some(&access)).await.status, 200);
    s.clock.advance_secs(3600 + 10);
    let r = s.get(ME, Some(&access)).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["statusCode"], 401);
}

#[tokio::test]
async fn refresh_tokens_have_an_absolute_lifetime() {
    let s = TestServer::spawn().await;
    let e = email("abs");
    s.sign_up(&e, "correct horse battery").await;
    let (_, mut refresh) = s.sign_in(&e, "correct horse battery").await;
    // Rotating every 10 days keeps working until the 30-day sign-in ends.
    for _ in 0..2 {
        s.clock.advance_secs(10 * 24 * 3600);
        let r = s
            .post(REFRESH, None, json!({"refreshToken": refresh}))
            .await;
        assert_eq!(r.status, 200);
        refresh = r.body["refreshToken"].as_str().unwrap().to_owned();
    }
    s.clock.advance_secs(10 * 24 * 3600 + 1);
    assert_eq!(
        s.post(REFRESH, None, json!({"refreshToken": refresh}))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn forged_and_alg_none_tokens_are_refused() {
    let s = TestServer::spawn().await;
    let access = s.user(&email("forge")).await;
    let parts: Vec<&str> = access.split('.').collect();
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let other_user = URL_SAFE_NO_PAD.encode(payload.replace("\"sub\":\"1\"", "\"sub\":\"2\""));
    let mut flipped = access.clone();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    for token in [
        format!("{none}.{}.", parts[1]),
        format!("{}.{other_user}.{}", parts[0], parts[2]),
        flipped,
        "not-a-jwt".to_owned(),
        "a".repeat(16 * 1024),
    ] {
        let r = s.get(ME, Some(&token)).await;
        assert_eq!(r.status, 401, "{token:.40}");
        assert_eq!(r.body["statusCode"], 401);
    }
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let s = TestServer::spawn().await;
    let e = email("out");
    s.sign_up(&e, "correct horse battery").await;
    let (access, refresh) = s.sign_in(&e, "correct horse battery").await;
    let (other, _) = s.sign_in(&e, "correct horse battery").await;
    let r = s
        .post(
            "/api/content/users-auth-providers/marker/email/users/logout",
            Some(&access),
            json!({"refreshToken": refresh}),
        )
        .await;
    assert_eq!((r.status, r.body.clone()), (200, json!(true)));
    assert_eq!(s.get(ME, Some(&access)).await.status, 401);
    assert_eq!(
        s.post(REFRESH, None, json!({"refreshToken": refresh}))
            .await
            .status,
        401
    );
    assert_eq!(
        s.get(ME, Some(&other)).await.status,
        200,
        "other sessions live on"
    );
}

#[tokio::test]
async fn logout_all_ends_every_session() {
    let s = TestServer::spawn().await;
    let e = email("all");
    s.sign_up(&e, "correct horse battery").await;
    let (a, _) = s.sign_in(&e, "correct horse battery").await;
    let (b, rb) = s.sign_in(&e, "correct horse battery").await;
    let sessions = s
        .get(
            "/api/content/users-auth-providers/marker/email/users/sessions",
            Some(&a),
        )
        .await;
    assert_eq!(sessions.body.as_array().unwrap().len(), 2);
    let r = s
        .call(
            reqwest::Method::POST,
            "/api/content/users-auth-providers/marker/email/users/logout-all",
            Some(&a),
            None,
        )
        .await;
    assert_eq!((r.status, r.body.clone()), (200, json!(true)));
    assert_eq!(s.get(ME, Some(&a)).await.status, 401);
    assert_eq!(s.get(ME, Some(&b)).await.status, 401);
    assert_eq!(
        s.post(REFRESH, None, json!({"refreshToken": rb}))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn sessions_list_the_device_from_the_metadata_header() {
    let s = TestServer::spawn().await;
    let e = email("dev");
    s.sign_up(&e, "correct horse battery").await;
    let meta = r#"{"fingerprint":"UQ_x","deviceInfo":{"os":"Node.js","browser":"Node.js/abc","location":"en-US"}}"#;
    let r = s
        .http
        .post(format!(
            "{}/api/content/users-auth-providers/marker/email/users/auth",
            s.url
        ))
        .header("x-app-token", &s.app_token)
        .header("x-device-metadata", meta)
        .body(openentry_testkit::auth_body(&e, "correct horse battery").to_string())
        .send()
        .await
        .unwrap();
    let access = r.json::<serde_json::Value>().await.unwrap()["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = s
        .get(
            "/api/content/users-auth-providers/marker/email/users/sessions",
            Some(&access),
        )
        .await;
    assert_eq!(
        list.body[0]["deviceInfo"],
        json!({"os": "Node.js", "browser": "Node.js/abc", "location": "en-US"})
    );
    assert_eq!(list.body[0]["isCurrent"], true);
}

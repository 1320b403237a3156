//! Anonymous input is bounded and checked before anything is stored: identifier lengths and
//! characters, login normalization, common passwords, `langCode`, token `nbf`, push tokens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openentry_domain::clock::Clock as _;
use openentry_server::auth::tokens::Claims;
use openentry_testkit::{TestServer, sign_up_body};
use serde_json::{Value, json};

use crate::email;
use crate::purge::side_app;

const P: &str = "/api/content/users-auth-providers/marker/email/users";

#[tokio::test]
async fn huge_identifiers_are_refused_and_store_nothing() {
    let s = TestServer::spawn().await;
    let side = side_app(&s).await;
    let code_req = |who: String| json!({"userIdentifier": who, "eventIdentifier": "password"});
    // One ordinary request first, so the address's own counter exists.
    let ok = s
        .post(&format!("{P}/generate-code"), None, code_req(email("x")))
        .await;
    assert_eq!(ok.status, 200);
    let before = openentry_store::purge::counts(&side.state().db)
        .await
        .unwrap();
    for i in 0..20 {
        let huge = format!("{i}{}@example.com", "a".repeat(300 * 1024));
        let r = s
            .post(&format!("{P}/generate-code"), None, code_req(huge))
            .await;
        assert_eq!(r.status, 400, "{:?}", r.body);
        assert!(r.message().contains("254"), "{}", r.message());
    }
    let after = openentry_store::purge::counts(&side.state().db)
        .await
        .unwrap();
    assert_eq!(
        after, before,
        "no throttle, code or other row for refused identifiers"
    );
}

#[tokio::test]
async fn logins_with_control_characters_or_3000_characters_are_400_everywhere() {
    let s = TestServer::spawn().await;
    let long = format!("{}@example.com", "x".repeat(3000));
    for bad in [
        "a\u{0}b@example.com",
        "a\nb@example.com",
        "ab\u{7f}@example.com",
        &long,
    ] {
        let up = s
            .post(
                &format!("{P}/sign-up"),
                None,
                sign_up_body(bad, "kx8#Qm2z-long"),
            )
            .await;
        assert_eq!(up.status, 400, "sign-up {bad:?}: {:?}", up.body);
        let auth = s.auth(bad, "kx8#Qm2z-long").await;
        assert_eq!(auth.status, 400, "auth {bad:?}: {:?}", auth.body);
        for action in ["generate-code", "check-code", "activate"] {
            let r = s
                .post(
                    &format!("{P}/{action}"),
                    None,
                    json!({"userIdentifier": bad, "eventIdentifier": "password", "code": "123456"}),
                )
                .await;
            assert_eq!(r.status, 400, "{action} {bad:?}: {:?}", r.body);
        }
    }
}

#[tokio::test]
async fn email_logins_are_trimmed_case_folded_and_nfc() {
    let s = TestServer::spawn().await;
    let tag = email("x");
    let decomposed = format!("Re\u{301}my-{tag}");
    s.sign_up(&decomposed, "correct horse battery").await;
    let composed = format!("  RÉMY-{} ", tag.to_uppercase());
    assert_eq!(s.auth(&composed, "correct horse battery").await.status, 200);
    let dup = s
        .post(
            &format!("{P}/sign-up"),
            None,
            sign_up_body(&composed, "correct horse battery"),
        )
        .await;
    assert_eq!(dup.status, 409, "one account, however it is written");
}

#[tokio::test]
async fn common_passwords_are_refused_at_sign_up_and_password_change() {
    let s = TestServer::spawn().await;
    let e = email("common");
    for pw in ["12345678", "PASSWORD1", "Sunshine1", "qwertyuiop"] {
        let r = s
            .post(&format!("{P}/sign-up"), None, sign_up_body(&e, pw))
            .await;
        assert_eq!(r.status, 400, "{pw}");
        assert!(r.message().contains("common"), "{}", r.message());
    }
    s.sign_up(&e, "correct horse battery").await;
    let code_req = json!({"userIdentifier": e, "eventIdentifier": "password"});
    assert_eq!(
        s.post(&format!("{P}/generate-code"), None, code_req)
            .await
            .status,
        200
    );
    let code = s.last_code(&e).await;
    let change = |pw: &str| {
        json!({"userIdentifier": e, "eventIdentifier": "password", "type": 1, "code": code,
               "password1": pw, "password2": pw})
    };
    let r = s
        .post(&format!("{P}/change-password"), None, change("iloveyou1"))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.message().contains("common"), "{}", r.message());
    let r = s
        .post(
            &format!("{P}/change-password"),
            None,
            change("plum quartz river"),
        )
        .await;
    assert_eq!(r.body, json!(true), "{:?}", r.body);
}

#[tokio::test]
async fn lang_code_must_be_one_of_the_project_locales() {
    let s = TestServer::spawn().await;
    let e = email("lang");
    let mut body = sign_up_body(&e, "correct horse battery");
    body["langCode"] = json!("../../etc/passwd");
    let r = s.post(&format!("{P}/sign-up"), None, body.clone()).await;
    assert_eq!(r.status, 400);
    assert!(r.message().contains("en_US"), "{}", r.message());
    body.as_object_mut().unwrap().remove("langCode");
    assert_eq!(
        s.post(&format!("{P}/sign-up"), None, body).await.status,
        201
    );
    let token = s.sign_in(&e, "correct horse battery").await.0;
    let update = json!({"formIdentifier": "reg", "formData": {"en_US": [{"marker": "name", "type": "string", "value": "N"}]}, "langCode": "xx_XX"});
    let r = s
        .call(
            reqwest::Method::PUT,
            "/api/content/users/me",
            Some(&token),
            Some(update),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    for path in [
        "/api/content/products/quick/search?name=bag&langCode=..%2F..%2Fetc%2Fpasswd",
        "/api/content/products/15?langCode=de_DE",
        "/api/content/attributes-sets?langCode=de",
    ] {
        let r = s.get(path, None).await;
        assert_eq!(r.status, 400, "{path}: {:?}", r.body);
        assert!(r.message().contains("en_US"), "{path}: {}", r.message());
    }
    // Another spelling of a project locale, or its language alone, names that locale.
    for lang in ["en", "en-US", "EN_us"] {
        let r = s
            .get(&format!("/api/content/products/15?langCode={lang}"), None)
            .await;
        assert_eq!(r.status, 200, "{lang}: {:?}", r.body);
        assert!(
            r.body["localizeInfos"].get("en_US").is_some(),
            "{lang}: {:?}",
            r.body
        );
    }
    assert_eq!(
        s.get("/api/content/products/15?langCode=en_US", None)
            .await
            .status,
        200
    );
    assert_eq!(s.get("/api/content/products/15", None).await.status, 200);
}

#[tokio::test]
async fn an_access_token_is_refused_before_its_nbf() {
    let s = TestServer::spawn().await;
    let side = side_app(&s).await;
    let access = s.user(&email("nbf")).await;
    let payload = access.split('.').nth(1).unwrap();
    let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let now = s.clock.now().unix_secs();
    assert_eq!(claims.nbf, Some(claims.iat), "nbf is issued");
    let keys = &side.state().keys;
    let early = keys
        .sign_claims(&Claims {
            nbf: Some(now + 600),
            ..claims.clone()
        })
        .unwrap();
    let s = &s;
    let me = |t: String| async move { s.get("/api/content/users/me", Some(&t)).await.status };
    assert_eq!(me(early.clone()).await, 401, "not valid yet");
    let current = keys
        .sign_claims(&Claims {
            nbf: Some(now),
            ..claims
        })
        .unwrap();
    assert_eq!(me(current).await, 200);
    s.clock.advance_secs(600);
    assert_eq!(me(early).await, 200, "valid once its time has come");
}

#[tokio::test]
async fn push_tokens_per_user_are_capped() {
    let s = TestServer::spawn().await;
    let side = side_app(&s).await;
    let e = email("fcm");
    let user = s.sign_up(&e, "correct horse battery").await;
    let id = user["id"].as_i64().unwrap();
    let token = s.sign_in(&e, "correct horse battery").await.0;
    for i in 0..25 {
        let r = s
            .post(
                &format!("/api/content/users/me/fcm-token/tok{i:02}"),
                Some(&token),
                Value::Null,
            )
            .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        s.clock.advance_secs(1);
    }
    let kept = openentry_store::users::list_fcm_tokens(&side.state().db, id)
        .await
        .unwrap();
    assert_eq!(kept.len(), 20);
    assert!(kept.contains(&"tok24".to_owned()) && !kept.contains(&"tok00".to_owned()));
    for method in [reqwest::Method::POST, reqwest::Method::DELETE] {
        let path = "/api/content/users/me/fcm-token/a%00b";
        let r = s.call(method.clone(), path, Some(&token), None).await;
        assert!(
            [400, 404].contains(&r.status),
            "{method} {path}: {}",
            r.status
        );
    }
}

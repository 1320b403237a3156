//! `/users/me`.

use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use crate::email;

const ME: &str = "/api/content/users/me";

#[tokio::test]
async fn me_answers_the_sdk_shape() {
    let s = TestServer::spawn().await;
    let e = email("me");
    let access = s.user(&e).await;
    let r = s.get(ME, Some(&access)).await;
    assert_eq!(r.status, 200);
    let b = &r.body;
    assert!(b["id"].is_i64());
    assert_eq!(b["identifier"], e);
    assert_eq!(b["authProviderIdentifier"], "email");
    assert_eq!(b["formIdentifier"], "reg");
    assert_eq!(b["total"], "0", "a string, as the SDK's schema wants");
    assert_eq!(b["groups"], json!(["guest"]));
    assert_eq!(b["state"], json!({}));
}

#[tokio::test]
async fn update_merges_form_data_and_replaces_state() {
    let s = TestServer::spawn().await;
    let e = email("upd");
    let access = s.user(&e).await;
    let body = json!({
        "formIdentifier": "reg",
        "formData": {"en_US": [{"marker": "name", "type": "string", "value": "New Name"}]},
        "notificationData": {"email": e, "phonePush": []},
        "state": {"cart": [1, 2]},
        "langCode": "en_US"
    });
    let r = s.call(Method::PUT, ME, Some(&access), Some(body)).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (200, json!(true)),
        "{:?}",
        r.body
    );
    let me = s.get(ME, Some(&access)).await.body;
    let items = me["formData"]["en_US"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["marker"] == "name" && i["value"] == "New Name")
    );
    assert!(
        items.iter().any(|i| i["marker"] == "email_reg"),
        "untouched fields stay"
    );
    assert_eq!(me["state"], json!({"cart": [1, 2]}));
}

#[tokio::test]
async fn update_refuses_password_changes_and_unknown_fields() {
    let s = TestServer::spawn().await;
    let access = s.user(&email("upd2")).await;
    let pw = json!({"authData": [{"marker": "password_reg", "value": "new password"}]});
    assert_eq!(
        s.call(Method::PUT, ME, Some(&access), Some(pw))
            .await
            .status,
        400
    );
    let unknown = json!({"formData": [{"marker": "isAdmin", "type": "string", "value": "yes"}]});
    assert_eq!(
        s.call(Method::PUT, ME, Some(&access), Some(unknown))
            .await
            .status,
        400
    );
    let bad_state = json!({"state": [1]});
    assert_eq!(
        s.call(Method::PUT, ME, Some(&access), Some(bad_state))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn push_tokens_are_added_and_removed() {
    let s = TestServer::spawn().await;
    let access = s.user(&email("fcm")).await;
    let r = s
        .call(
            Method::POST,
            "/api/content/users/me/fcm-token/tok1",
            Some(&access),
            None,
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    let r = s
        .call(
            Method::DELETE,
            "/api/content/users/me/fcm-token/tok1",
            Some(&access),
            None,
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(
        s.call(
            Method::DELETE,
            "/api/content/users/me/fcm-token/tok1",
            Some(&access),
            None
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn archive_ends_sessions_and_keeps_the_login_taken() {
    let s = TestServer::spawn().await;
    let e = email("arch");
    let access = s.user(&e).await;
    let r = s.call(Method::DELETE, ME, Some(&access), None).await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(s.get(ME, Some(&access)).await.status, 401);
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 403);
    let again = s
        .post(
            "/api/content/users-auth-providers/marker/email/users/sign-up",
            None,
            openentry_testkit::sign_up_body(&e, "correct horse battery"),
        )
        .await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn delete_removes_the_account() {
    let s = TestServer::spawn().await;
    let e = email("del");
    let access = s.user(&e).await;
    let r = s
        .call(
            Method::DELETE,
            "/api/content/users/me/account",
            Some(&access),
            None,
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(s.get(ME, Some(&access)).await.status, 401);
    s.sign_up(&e, "correct horse battery").await;
}

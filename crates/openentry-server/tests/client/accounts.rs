//! AuthProvider and Users: sign-up, sign-in, providers, sessions, one-time codes, the user.

use openentry_client::types::auth::{ChangePasswordRequest, DeviceInfo};
use openentry_client::types::users::UpdateUserRequest;
use openentry_client::{Page, StatusCode};
use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use serde_json::json;

use crate::{
    PASSWORD, api_error, auth, client, client_with, credentials, email, recorder, sign_up_request,
    signed_in,
};

#[tokio::test]
async fn providers_sessions_refresh_and_logout() {
    let s = TestServer::spawn().await;
    let (hook, saved) = recorder();
    let device = DeviceInfo {
        os: "test-os".into(),
        browser: "client-test".into(),
        location: "en-US".into(),
    };
    let c = client_with(&s, |c| {
        c.save_function = Some(hook);
        c.device_info = Some(device.clone());
    });
    let e = email("prov");
    let a = c.auth_provider();
    a.sign_up("email", &sign_up_request(&e)).await.unwrap();
    let first = a.auth("email", &auth(&e, PASSWORD)).await.unwrap();
    assert_eq!(*saved.lock().unwrap(), vec![first.refresh_token.clone()]);

    let providers = a.get_auth_providers(Page::default()).await.unwrap();
    assert_eq!(providers.len(), 1);
    assert_eq!(
        (providers[0].identifier.as_str(), providers[0].is_active),
        ("email", true)
    );
    let email_provider = a.get_auth_provider_by_marker("email").await.unwrap();
    assert_eq!(email_provider, providers[0]);
    assert_eq!(email_provider.form_identifier.as_deref(), Some("reg"));
    assert_eq!(
        api_error(a.get_auth_provider_by_marker("nope").await).0,
        StatusCode::NOT_FOUND
    );

    let sessions = a.get_active_sessions_by_marker("email").await.unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].device_info, device);
    assert!(sessions[0].is_current);

    let second = a.refresh("email", &first.refresh_token).await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(c.refresh_token(), Some(second.refresh_token.clone()));
    assert_eq!(saved.lock().unwrap().last(), Some(&second.refresh_token));
    assert!(
        c.users().get_user().await.is_ok(),
        "the new access token works"
    );

    let (status, _) = api_error(
        a.oauth("email", &json!({"client_id": "x", "code": "y"}))
            .await,
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);

    assert!(a.logout("email", &second.refresh_token).await.unwrap());
    assert_eq!((c.access_token(), c.refresh_token()), (None, None));
    assert_eq!(saved.lock().unwrap().last().map(String::as_str), Some(""));
    let (status, _) = api_error(c.users().get_user().await);
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Two sign-ins; logout_all on one ends both.
    let other = client(&s);
    other
        .auth_provider()
        .auth("email", &auth(&e, PASSWORD))
        .await
        .unwrap();
    a.auth("email", &auth(&e, PASSWORD)).await.unwrap();
    assert_eq!(
        a.get_active_sessions_by_marker("email")
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(a.logout_all("email").await.unwrap());
    assert_eq!(c.access_token(), None);
    let (status, body) = api_error(other.users().get_user().await);
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the refresh was refused too: {body:?}"
    );
}

#[tokio::test]
async fn one_time_codes_change_the_password() {
    let s = TestServer::spawn().await;
    let (c, e) = signed_in(&s, "pw").await;
    let a = c.auth_provider();
    a.generate_code("email", &e, "password").await.unwrap();
    let code = s.last_code(&e).await;
    assert!(a.check_code("email", &e, "password", &code).await.unwrap());
    let wrong = if code == "000000" { "111111" } else { "000000" };
    assert!(!a.check_code("email", &e, "password", wrong).await.unwrap());
    let change = ChangePasswordRequest {
        user_identifier: e.clone(),
        event_identifier: "password".into(),
        code,
        kind: Some(1),
        password1: "a brand new password".into(),
        password2: "a brand new password".into(),
    };
    assert!(a.change_password("email", &change).await.unwrap());
    let (status, body) = api_error(a.auth("email", &auth(&e, PASSWORD)).await);
    assert_eq!(
        (status, body.message.as_str()),
        (StatusCode::FORBIDDEN, "Wrong login or password")
    );
    a.auth("email", &auth(&e, "a brand new password"))
        .await
        .unwrap();
}

const CODE_PROJECT: &str = r#"
[[auth_providers]]
identifier = "email"
type = "email"
check_code = true
form = "reg"

[[forms]]
identifier = "reg"
kind = "sign_up"
fields = [
  { marker = "email_reg", login = true, email = true, notification_email = true, required = true },
  { marker = "password_reg", password = true, required = true },
  { marker = "name" },
]
"#;

#[tokio::test]
async fn activation_with_the_code_sent_at_sign_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, CODE_PROJECT).unwrap();
    let s = TestServer::spawn_with(|_| {}, ProjectSource::File(path)).await;
    let c = client(&s);
    let e = email("act");
    let a = c.auth_provider();
    let user = a.sign_up("email", &sign_up_request(&e)).await.unwrap();
    assert!(!user.is_active);
    assert_eq!(
        api_error(a.auth("email", &auth(&e, PASSWORD)).await).0,
        StatusCode::FORBIDDEN
    );
    let code = s.last_code(&e).await;
    assert!(a.activate_user("email", &e, &code).await.unwrap());
    a.auth("email", &auth(&e, PASSWORD)).await.unwrap();
}

#[tokio::test]
async fn users_read_update_push_tokens_archive_and_delete() {
    let s = TestServer::spawn().await;
    let (c, e) = signed_in(&s, "me").await;
    let u = c.users();
    let me = u.get_user().await.unwrap();
    assert_eq!(
        (me.identifier.as_str(), me.total.as_str()),
        (e.as_str(), "0")
    );
    assert_eq!(me.auth_provider_identifier, "email");
    let update = UpdateUserRequest {
        form_identifier: Some("reg".into()),
        form_data: Some(json!([{"marker": "name", "type": "string", "value": "New Name"}])),
        state: Some(json!({"cart": [1, 2]})),
        ..UpdateUserRequest::default()
    };
    assert!(u.update_user(&update).await.unwrap());
    let me = u.get_user().await.unwrap();
    assert_eq!(me.state, json!({"cart": [1, 2]}));
    let items = me.form_data["en_US"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|i| i["marker"] == "name" && i["value"] == "New Name")
    );
    let refused = UpdateUserRequest {
        auth_data: Some(credentials(&e, "new password")),
        ..UpdateUserRequest::default()
    };
    assert_eq!(
        api_error(u.update_user(&refused).await).0,
        StatusCode::BAD_REQUEST
    );

    assert!(u.add_fcm_token("tok 1").await.unwrap());
    assert!(u.delete_fcm_token("tok 1").await.unwrap());
    assert_eq!(
        api_error(u.delete_fcm_token("tok 1").await).0,
        StatusCode::NOT_FOUND
    );

    assert!(u.archive_user().await.unwrap());
    assert_eq!(api_error(u.get_user().await).0, StatusCode::UNAUTHORIZED);
    let (status, _) = api_error(
        c.auth_provider()
            .sign_up("email", &sign_up_request(&e))
            .await,
    );
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an archived login stays taken"
    );

    let (c2, e2) = signed_in(&s, "del").await;
    assert!(c2.users().delete_user().await.unwrap());
    assert_eq!(
        api_error(c2.users().get_user().await).0,
        StatusCode::UNAUTHORIZED
    );
    c2.auth_provider()
        .sign_up("email", &sign_up_request(&e2))
        .await
        .unwrap();
}

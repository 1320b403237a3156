//! The held tokens: automatic refresh, `custom_auth`, clones, kept refresh tokens, and the
//! typed errors.

use openentry_client::types::orders::{OrderRequest, ProductQuantity};
use openentry_client::{Config, Error, OneEntry, Page, StatusCode};
use openentry_testkit::TestServer;
use serde_json::Value;

use crate::{
    ACCESS_TTL_SECS, PASSWORD, api_error, auth, client, client_with, email, recorder, seed_order,
    sign_up_request, signed_in,
};

#[tokio::test]
async fn an_expired_access_token_is_refreshed_and_the_call_succeeds() {
    let s = TestServer::spawn().await;
    let (hook, saved) = recorder();
    let c = client_with(&s, |c| c.save_function = Some(hook));
    let e = email("exp");
    c.auth_provider()
        .sign_up("email", &sign_up_request(&e))
        .await
        .unwrap();
    let first = c
        .auth_provider()
        .auth("email", &auth(&e, PASSWORD))
        .await
        .unwrap();
    s.clock.advance_secs(ACCESS_TTL_SECS + 10);
    let me = c.users().get_user().await.unwrap();
    assert_eq!(me.identifier, e);
    let access = c.access_token().unwrap();
    assert_ne!(access, first.access_token);
    let rotated = c.refresh_token().unwrap();
    assert_ne!(rotated, first.refresh_token);
    assert_eq!(
        *saved.lock().unwrap(),
        vec![first.refresh_token, rotated.clone()]
    );

    // Many calls meet the expiry at once: one refresh (refresh tokens are single-use; a
    // second refresh with the same token would end the sign-in), every call succeeds.
    s.clock.advance_secs(ACCESS_TTL_SECS + 10);
    let calls = (0..8).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.users().get_user().await })
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap().identifier, e);
    }
    assert_eq!(saved.lock().unwrap().len(), 3, "exactly one more refresh");
    assert_ne!(c.refresh_token().unwrap(), rotated);
}

#[tokio::test]
async fn custom_auth_leaves_the_401_to_the_caller() {
    let s = TestServer::spawn().await;
    let c = client_with(&s, |c| c.custom_auth = true);
    let e = email("custom");
    c.auth_provider()
        .sign_up("email", &sign_up_request(&e))
        .await
        .unwrap();
    let tokens = c
        .auth_provider()
        .auth("email", &auth(&e, PASSWORD))
        .await
        .unwrap();
    s.clock.advance_secs(ACCESS_TTL_SECS + 10);
    let (status, _) = api_error(c.users().get_user().await);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        c.refresh_token(),
        Some(tokens.refresh_token.clone()),
        "no refresh happened"
    );
    c.auth_provider()
        .refresh("email", &tokens.refresh_token)
        .await
        .unwrap();
    assert!(c.users().get_user().await.is_ok());
}

#[tokio::test]
async fn errors_carry_the_status_and_the_server_body() {
    let s = TestServer::spawn().await;
    let anonymous = client(&s);
    let err = anonymous.users().get_user().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.body().map(|b| b.status_code), Some(401));
    assert!(err.to_string().contains(&err.body().unwrap().message));
    let (status, body) = api_error(
        anonymous
            .auth_provider()
            .auth("email", &auth(&email("ghost"), "x"))
            .await,
    );
    assert_eq!(
        (status, body.message.as_str()),
        (StatusCode::FORBIDDEN, "Wrong login or password")
    );
    assert_eq!(body.page_data, Value::Null);
    assert!(body.timestamp.ends_with('Z'));

    let wrong_token = client_with(&s, |c| c.token = Some("not-the-token".into()));
    let (status, body) = api_error(wrong_token.forms().get_all_forms(Page::default()).await);
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.message.starts_with("Resource is closed"),
        "{}",
        body.message
    );
    let no_token = client_with(&s, |c| c.token = None);
    assert_eq!(
        api_error(no_token.forms().get_all_forms(Page::default()).await).0,
        StatusCode::UNAUTHORIZED
    );

    let (c, _) = signed_in(&s, "err").await;
    let bad_cart = OrderRequest {
        products: vec![ProductQuantity {
            product_id: 999,
            quantity: 1,
        }],
        ..seed_order(1)
    };
    let (status, body) = api_error(c.orders().create_order("orders", &bad_cart).await);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.message.contains("999"), "{}", body.message);

    let gone = OneEntry::new(
        "http://127.0.0.1:9",
        Config {
            max_retries: 0,
            ..Config::default()
        },
    )
    .unwrap();
    assert!(matches!(
        gone.forms().get_all_forms(Page::default()).await,
        Err(Error::Transport(_))
    ));
    assert!(matches!(
        OneEntry::new("ftp://x", Config::default()),
        Err(Error::Invalid(_))
    ));
    let bad_token = Config {
        token: Some("two\nlines".into()),
        ..Config::default()
    };
    assert!(matches!(
        OneEntry::new(&s.url, bad_token),
        Err(Error::Invalid(_))
    ));
}

#[tokio::test]
async fn clones_share_the_sign_in_and_a_kept_refresh_token_resumes_it() {
    let s = TestServer::spawn().await;
    let (c, e) = signed_in(&s, "share").await;
    let clone = c.clone();
    let german = c.with_lang_code("de_DE");
    assert_eq!(german.lang_code(), "de_DE");
    assert_eq!(clone.access_token(), c.access_token());
    assert_eq!(german.users().get_user().await.unwrap().identifier, e);
    // The clone asks in its own language; de_DE is not a locale of the demo project, so the
    // catalog refuses it (langCode must be a project locale) while `c` is unaffected.
    assert!(matches!(
        german.products().get_product_by_id(15).await,
        Err(Error::Api { status, .. }) if status.as_u16() == 400
    ));
    let bag = c.products().get_product_by_id(15).await.unwrap();
    assert!(
        bag.localize_infos.contains_key("en_US"),
        "maps go out whole"
    );

    // A later run starts from the refresh token its hook saved: the first 401 refreshes.
    let kept = c.refresh_token().unwrap();
    let (hook, saved) = recorder();
    let resumed = client_with(&s, |cfg| {
        cfg.refresh_token = Some(kept.clone());
        cfg.save_function = Some(hook);
    });
    assert_eq!(resumed.access_token(), None);
    assert_eq!(resumed.users().get_user().await.unwrap().identifier, e);
    assert_eq!(saved.lock().unwrap().len(), 1);
    assert_ne!(resumed.refresh_token(), Some(kept.clone()));

    // The old holder's refresh token is spent now; set_refresh_token hands it the new one.
    c.set_access_token(None);
    c.set_refresh_token(resumed.refresh_token());
    assert_eq!(c.users().get_user().await.unwrap().identifier, e);
}

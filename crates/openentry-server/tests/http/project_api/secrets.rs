//! Write-only values: an app token's secret is never answered, is kept by an edit that sends
//! the marker or leaves it out, and an export carrying the marker cannot be imported.

use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use super::{call, read};

const SECRET: &str = "shop-secret-token-0123456789";
const MARKER: &str = "<write-only>";

/// Whether the Content API accepts `token` as the app token.
async fn accepted(s: &TestServer, token: &str) -> bool {
    let r = s
        .http
        .get(format!("{}/api/content/locales/active/all", s.url))
        .header("x-app-token", token)
        .send()
        .await
        .unwrap();
    r.status().as_u16() == 200
}

#[tokio::test]
async fn an_app_token_is_write_only() {
    let s = TestServer::spawn().await;
    let body = json!({"name": "shop", "token": SECRET});
    let r = call(&s, Method::POST, "/app-tokens", None, Some(body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["token"], MARKER);
    assert!(accepted(&s, SECRET).await, "the token is stored and served");

    let (entry, tag) = read(&s, "/app-tokens/shop").await;
    let list = call(&s, Method::GET, "/app-tokens", None, None).await;
    let whole = call(&s, Method::GET, "", None, None).await;
    for answer in [&entry, &list.body, &whole.body] {
        assert!(!answer.to_string().contains(SECRET), "{answer}");
    }
    assert_eq!(entry["token"], MARKER);

    // Sent back as read (the marker), the secret stays; so it does when left out.
    let r = call(&s, Method::PUT, "/app-tokens/shop", Some(&tag), Some(entry)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(accepted(&s, SECRET).await);
    let (_, tag) = read(&s, "/app-tokens/shop").await;
    let r = call(
        &s,
        Method::PUT,
        "/app-tokens/shop",
        Some(&tag),
        Some(json!({"name": "shop"})),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(accepted(&s, SECRET).await);

    let log = s
        .admin(Method::GET, "/api/admin/audit?target=app-tokens/shop", None)
        .await;
    assert_eq!(log.body.as_array().unwrap().len(), 3, "{:?}", log.body);
    assert!(!log.body.to_string().contains(SECRET), "{:?}", log.body);

    // Replaced, the old one stops working.
    let (_, tag) = read(&s, "/app-tokens/shop").await;
    let other = "another-secret-token-9876543210";
    let body = json!({"name": "shop", "token": other});
    let r = call(&s, Method::PUT, "/app-tokens/shop", Some(&tag), Some(body)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert!(accepted(&s, other).await);
    assert!(!accepted(&s, SECRET).await);

    // A new entry cannot take the marker for a secret, and neither can a file.
    let body = json!({"name": "copy", "token": MARKER});
    let r = call(&s, Method::POST, "/app-tokens", None, Some(body)).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(r.message().contains("token_env"), "{}", r.message());
    let whole = call(&s, Method::GET, "", None, None).await;
    let def: openentry_domain::project::ProjectDefinition =
        serde_json::from_value(whole.body).unwrap();
    let text = openentry_server::project::to_toml(&def).unwrap();
    let refused = openentry_server::project::parse_definition("export", &text).unwrap_err();
    assert!(
        refused.to_string().contains("app_tokens[0].token"),
        "{refused}"
    );
}

#[tokio::test]
async fn payment_accounts_name_their_secrets_by_environment_variable() {
    let s = TestServer::spawn().await;
    let (entry, _) = read(&s, "/payment-accounts/card").await;
    assert!(entry["stripe"]["secret_key_env"].is_string(), "{entry:?}");
}

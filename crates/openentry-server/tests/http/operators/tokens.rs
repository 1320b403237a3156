//! API tokens with roles, and the optional second factor.

use openentry_domain::clock::Clock as _;
use openentry_testkit::TestServer;
use openentry_testkit::operators::OPERATOR_PASSWORD;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_api_token_acts_with_its_role_until_revoked_and_its_secret_is_shown_once() {
    let s = TestServer::spawn().await;
    let token = s.operator_token("ci-support", "support").await;
    assert!(token.starts_with("oe_"), "{token}");
    let me = s.as_token(&token, Method::GET, "/api/admin/me", None).await;
    assert_eq!(me.body["actor"], "token:ci-support");
    assert_eq!(me.body["role"], "support");
    let orders = s
        .as_token(&token, Method::GET, "/api/admin/orders", None)
        .await;
    assert_eq!(orders.status, 200, "{:?}", orders.body);
    let admins = s
        .as_token(&token, Method::GET, "/api/admin/tokens", None)
        .await;
    assert_eq!(admins.status, 403, "{:?}", admins.body);

    let list = s.admin(Method::GET, "/api/admin/tokens", None).await;
    assert_eq!(list.status, 200);
    assert!(
        !list.body.to_string().contains(&token),
        "the secret is never listed"
    );
    let id = list.body[0]["id"].as_i64().unwrap();
    assert_eq!(list.body[0]["name"], "ci-support");

    let dup = s
        .admin(
            Method::POST,
            "/api/admin/tokens",
            Some(json!({"name": "ci-support", "role": "editor"})),
        )
        .await;
    assert_eq!(dup.status, 409, "{:?}", dup.body);

    let revoke = s
        .admin(Method::DELETE, &format!("/api/admin/tokens/{id}"), None)
        .await;
    assert_eq!(revoke.status, 204, "{:?}", revoke.body);
    let after = s.as_token(&token, Method::GET, "/api/admin/me", None).await;
    assert_eq!(after.status, 403, "{:?}", after.body);
}

#[tokio::test]
async fn only_owners_hand_out_roles_and_never_more_than_they_hold() {
    let s = TestServer::spawn().await;
    let manager = s.operator_token("manager", "manager").await;
    for path in ["/api/admin/tokens", "/api/admin/operators"] {
        let body =
            json!({"name": "x", "login": "x", "password": OPERATOR_PASSWORD, "role": "owner"});
        let body = if path.ends_with("tokens") {
            json!({"name": body["name"], "role": "owner"})
        } else {
            json!({"login": body["login"], "password": body["password"], "role": "owner"})
        };
        let r = s.as_token(&manager, Method::POST, path, Some(body)).await;
        assert_eq!(r.status, 403, "{path}: {:?}", r.body);
    }
}

fn code(secret: &str, unix: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    totp.generate(u64::try_from(unix).unwrap()).to_string()
}

#[tokio::test]
async fn a_second_factor_is_asked_at_sign_in_and_each_code_works_once() {
    let s = TestServer::spawn().await;
    s.create_operator("owner@shop.test", "owner").await;
    let session = s.session("owner@shop.test").await;
    let enrol = s
        .as_session(&session, true, Method::POST, "/api/admin/me/totp", None)
        .await;
    let secret = enrol.body["secret"].as_str().unwrap().to_owned();
    assert!(
        enrol.body["url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/OpenEntry:owner%40shop.test?")
    );

    let wrong = json!({"secret": secret, "code": "000000"});
    let r = s
        .as_session(
            &session,
            true,
            Method::PUT,
            "/api/admin/me/totp",
            Some(wrong),
        )
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);

    let now = s.clock.now().unix_secs();
    let confirm = json!({"secret": secret, "code": code(&secret, now)});
    let r = s
        .as_session(
            &session,
            true,
            Method::PUT,
            "/api/admin/me/totp",
            Some(confirm),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["account"]["totp"], true);

    let without = s
        .operator_sign_in("owner@shop.test", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(without.status, 403, "{:?}", without.body);
    s.clock.advance_secs(30);
    let now = s.clock.now().unix_secs();
    let with = s
        .operator_sign_in(
            "owner@shop.test",
            OPERATOR_PASSWORD,
            Some(&code(&secret, now)),
        )
        .await;
    assert_eq!(with.status, 200, "{:?}", with.body);
    let replay = s
        .operator_sign_in(
            "owner@shop.test",
            OPERATOR_PASSWORD,
            Some(&code(&secret, now)),
        )
        .await;
    assert_eq!(
        replay.status, 403,
        "a code is accepted once: {:?}",
        replay.body
    );
}

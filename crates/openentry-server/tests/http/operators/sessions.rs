//! Console sessions: sign-in, the cookie's attributes, CSRF, idle and absolute ends, sign-out
//! everywhere, blocking.

use openentry_testkit::TestServer;
use openentry_testkit::operators::OPERATOR_PASSWORD;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn an_operator_signs_in_with_a_strict_cookie_and_changes_need_the_csrf_token() {
    let s = TestServer::spawn().await;
    s.create_operator("Editor@Shop.test", "editor").await;
    let wrong = s
        .operator_sign_in("editor@shop.test", "not the password", None)
        .await;
    assert_eq!(wrong.status, 403, "{:?}", wrong.body);
    let unknown = s
        .operator_sign_in("nobody@shop.test", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(unknown.message(), wrong.message(), "one answer for both");

    let signed = s
        .operator_sign_in("editor@shop.test", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(signed.status, 200, "{:?}", signed.body);
    let cookie = signed.headers["set-cookie"].to_str().unwrap();
    for part in ["openentry_admin=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP without a public https URL"
    );
    assert_eq!(signed.body["operator"]["role"], "editor");

    let session = s.session("editor@shop.test").await;
    let me = s
        .as_session(&session, false, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(me.status, 200, "{:?}", me.body);
    assert_eq!(me.body["actor"], "admin:Editor@Shop.test");

    // An editor may write content but not without the session's CSRF token.
    let enrol = s
        .as_session(&session, false, Method::POST, "/api/admin/me/totp", None)
        .await;
    assert_eq!(enrol.status, 403, "{:?}", enrol.body);
    assert!(enrol.message().contains("CSRF"), "{}", enrol.message());
    let enrol = s
        .as_session(&session, true, Method::POST, "/api/admin/me/totp", None)
        .await;
    assert_eq!(enrol.status, 200, "{:?}", enrol.body);

    // The role decides, whatever the credential: an editor never reads payments or admins.
    for path in [
        "/api/admin/payments/sessions",
        "/api/admin/operators",
        "/api/admin/audit",
    ] {
        let r = s.as_session(&session, true, Method::GET, path, None).await;
        assert_eq!(r.status, 403, "{path}: {:?}", r.body);
    }

    let out = s
        .as_session(&session, true, Method::DELETE, "/api/admin/session", None)
        .await;
    assert_eq!(out.status, 204, "{:?}", out.body);
    let after = s
        .as_session(&session, false, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(after.status, 401, "{:?}", after.body);
}

async fn me(s: &TestServer, session: &openentry_testkit::operators::Session) -> u16 {
    s.as_session(session, false, Method::GET, "/api/admin/me", None)
        .await
        .status
}

#[tokio::test]
async fn sessions_end_when_idle_at_their_absolute_end_and_everywhere() {
    let s = TestServer::spawn().await;
    s.create_operator("support@shop.test", "support").await;

    // Idle: 30 minutes without use.
    let idle = s.session("support@shop.test").await;
    s.clock.advance_secs(29 * 60);
    assert_eq!(me(&s, &idle).await, 200);
    s.clock.advance_secs(29 * 60);
    assert_eq!(me(&s, &idle).await, 200, "each use restarts the idle clock");
    s.clock.advance_secs(31 * 60);
    assert_eq!(me(&s, &idle).await, 401);

    // Absolute: 12 hours however used.
    let busy = s.session("support@shop.test").await;
    for _ in 0..40 {
        s.clock.advance_secs(25 * 60);
        if me(&s, &busy).await != 200 {
            break;
        }
    }
    assert_eq!(me(&s, &busy).await, 401, "ended after 12 h of use");

    // Everywhere: one call ends every session of the account.
    let a = s.session("support@shop.test").await;
    let b = s.session("support@shop.test").await;
    let r = s
        .as_session(
            &a,
            true,
            Method::POST,
            "/api/admin/session/everywhere",
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(me(&s, &a).await, 401);
    assert_eq!(me(&s, &b).await, 401);
}

#[tokio::test]
async fn a_blocked_operator_loses_every_session_and_the_last_owner_stays() {
    let s = TestServer::spawn().await;
    let owner = s.create_operator("owner@shop.test", "owner").await;
    let editor = s.create_operator("editor@shop.test", "editor").await;
    let session = s.session("editor@shop.test").await;
    let path = format!("/api/admin/operators/{}", editor["id"]);
    let r = s
        .admin(Method::PATCH, &path, Some(json!({"blocked": true})))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let me = s
        .as_session(&session, false, Method::GET, "/api/admin/me", None)
        .await;
    assert_eq!(me.status, 401);
    let again = s
        .operator_sign_in("editor@shop.test", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(again.status, 403);

    let path = format!("/api/admin/operators/{}", owner["id"]);
    let demote = s
        .admin(Method::PATCH, &path, Some(json!({"role": "manager"})))
        .await;
    assert_eq!(demote.status, 409, "{:?}", demote.body);
    let delete = s.admin(Method::DELETE, &path, None).await;
    assert_eq!(delete.status, 409, "{:?}", delete.body);

    // A refused password changes nothing else.
    let bad = s
        .admin(
            Method::PATCH,
            &path,
            Some(json!({"role": "owner", "password": "short"})),
        )
        .await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);

    let audit = s
        .admin(Method::GET, "/api/admin/audit?resource=admins", None)
        .await;
    assert_eq!(audit.status, 200, "{:?}", audit.body);
    let entries = audit.body.as_array().unwrap();
    let block = entries
        .iter()
        .find(|e| e["action"] == "update" && e["target"] == format!("operators/{}", editor["id"]))
        .expect("the block is in the audit log");
    assert_eq!(block["actor"], "token:OPENENTRY_ADMIN_TOKEN");
    assert_eq!(block["before"]["blocked"], false);
    assert_eq!(block["after"]["blocked"], true);
}

//! Users under `/api/admin/users`: the list and search, one user, blocking (sign-in, refresh
//! and access tokens refused until unblocked), a password-reset code the user spends, the
//! bonus ledger; every change in the audit log; support may block, an editor may not.

use openentry_testkit::{PASSWORD, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use crate::codes::path;
use crate::email;

/// The id of the user with this login, through the operators' search.
async fn user_id(s: &TestServer, login: &str) -> i64 {
    let r = s
        .admin(Method::GET, &format!("/api/admin/users?q={login}"), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["total"], 1, "{:?}", r.body);
    r.body["items"][0]["id"].as_i64().unwrap()
}

async fn audit_of(s: &TestServer, target: &str) -> Vec<Value> {
    let r = s
        .admin(
            Method::GET,
            &format!("/api/admin/audit?target={target}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_blocked_user_is_refused_everywhere_until_unblocked() {
    let s = TestServer::spawn().await;
    let e = email("blocked");
    s.sign_up(&e, PASSWORD).await;
    let (access, refresh) = s.sign_in(&e, PASSWORD).await;
    let id = user_id(&s, &e).await;
    s.create_operator("support@shop.test", "support").await;
    s.create_operator("editor@shop.test", "editor").await;
    let support = s.session("support@shop.test").await;
    let editor = s.session("editor@shop.test").await;
    let user = format!("/api/admin/users/{id}");

    let r = s
        .as_session(
            &editor,
            true,
            Method::PATCH,
            &user,
            Some(json!({"blocked": true})),
        )
        .await;
    assert_eq!(r.status, 403, "an editor may not block: {:?}", r.body);
    let r = s
        .as_session(
            &support,
            true,
            Method::PATCH,
            &user,
            Some(json!({"blocked": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["blocked"], true);

    assert_eq!(
        s.get("/api/content/users/me", Some(&access)).await.status,
        401
    );
    let r = s
        .post(&path("refresh"), None, json!({"refreshToken": refresh}))
        .await;
    assert_eq!(r.status, 401, "{:?}", r.body);
    let r = s.auth(&e, PASSWORD).await;
    assert_eq!(r.status, 403, "{:?}", r.body);
    assert_eq!(r.message(), "This account is blocked; contact the shop");
    let wrong = s.auth(&e, "not the password").await;
    assert_eq!(
        wrong.message(),
        "Wrong login or password",
        "told only with the password"
    );

    let r = s
        .as_session(
            &support,
            true,
            Method::PATCH,
            &user,
            Some(json!({"blocked": false})),
        )
        .await;
    assert_eq!((r.status, r.body["blocked"].clone()), (200, json!(false)));
    let (access, _) = s.sign_in(&e, PASSWORD).await;
    assert_eq!(
        s.get("/api/content/users/me", Some(&access)).await.status,
        200
    );

    let log = audit_of(&s, &format!("users/{id}")).await;
    assert_eq!(log.len(), 2, "{log:?}");
    let block = log.iter().find(|x| x["action"] == "block").unwrap();
    assert_eq!(block["actor"], "admin:support@shop.test");
    assert_eq!(block["resource"], "users");
    assert_eq!(block["before"]["blocked"], false);
    assert_eq!(block["after"]["blocked"], true);
    let unblock = log.iter().find(|x| x["action"] == "unblock").unwrap();
    assert_eq!(unblock["after"]["blocked"], false);
}

#[tokio::test]
async fn an_operator_sends_a_reset_code_and_only_the_user_sets_the_password() {
    let s = TestServer::spawn().await;
    let e = email("reset");
    s.sign_up(&e, PASSWORD).await;
    let id = user_id(&s, &e).await;
    s.create_operator("support@shop.test", "support").await;
    let support = s.session("support@shop.test").await;

    let reset = format!("/api/admin/users/{id}/reset");
    let r = s
        .as_session(&support, true, Method::POST, &reset, None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body,
        json!({"eventIdentifier": "reset_password", "sentTo": e}),
        "the operator sees neither the code nor a password"
    );
    let code = s.last_code(&e).await;
    let change = json!({"userIdentifier": e, "eventIdentifier": "reset_password", "code": code,
        "type": 2, "password1": "a brand new password", "password2": "a brand new password"});
    let r = s.post(&path("change-password"), None, change).await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(s.auth(&e, PASSWORD).await.status, 403);
    s.sign_in(&e, "a brand new password").await;

    let log = audit_of(&s, &format!("users/{id}")).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["action"], "reset");
    assert_eq!(log[0]["after"]["sentTo"], e.as_str());
    let missing = s
        .as_session(
            &support,
            true,
            Method::POST,
            "/api/admin/users/999999/reset",
            None,
        )
        .await;
    assert_eq!(missing.status, 404, "{:?}", missing.body);
}

/// Wildcards in `q` are literal; an overlong `q` is a 400.
async fn odd_searches(s: &TestServer) {
    let none = s.admin(Method::GET, "/api/admin/users?q=%25_", None).await;
    assert_eq!(
        none.body["total"], 0,
        "wildcards are literal: {:?}",
        none.body
    );

    let long = format!("/api/admin/users?q={}", "a".repeat(300));
    assert_eq!(s.admin(Method::GET, &long, None).await.status, 400);
}

#[tokio::test]
async fn the_list_searches_logins_and_a_user_shows_form_data_and_the_bonus_ledger() {
    let s = TestServer::spawn().await;
    let first = email("zebra");
    let second = email("yak");
    s.user(&first).await;
    s.user(&second).await;
    let all = s
        .admin(Method::GET, "/api/admin/users?limit=10", None)
        .await;
    assert_eq!(all.status, 200, "{:?}", all.body);
    assert_eq!(all.body["total"], 2);
    assert_eq!(
        all.body["items"][0]["identifier"],
        second.as_str(),
        "newest first"
    );
    let item = &all.body["items"][1];
    assert_eq!(item["provider"], "email");
    assert_eq!(
        (item["isActive"].clone(), item["blocked"].clone()),
        (json!(true), json!(false))
    );
    let upper = first.split('-').next().unwrap().to_uppercase();
    let found = s
        .admin(Method::GET, &format!("/api/admin/users?q={upper}"), None)
        .await;
    assert_eq!(found.body["total"], 1, "{:?}", found.body);
    odd_searches(&s).await;

    let id = user_id(&s, &first).await;
    let adjust = json!({"userId": id, "delta": 12.5, "reason": "welcome"});
    let r = s
        .admin(
            Method::POST,
            "/api/admin/discounts/bonus-balance/adjust",
            Some(adjust),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let one = s
        .admin(Method::GET, &format!("/api/admin/users/{id}"), None)
        .await;
    assert_eq!(one.status, 200, "{:?}", one.body);
    assert_eq!(one.body["identifier"], first.as_str());
    assert_eq!(one.body["formIdentifier"], "reg");
    let fields = one.body["formData"]["en_US"].as_array().unwrap();
    assert!(
        fields.iter().any(|f| f["value"] == "Christina Thomas"),
        "{fields:?}"
    );
    assert_eq!(one.body["bonusBalance"], json!(12.5));
    let ledger = s
        .admin(Method::GET, &format!("/api/admin/users/{id}/bonus"), None)
        .await;
    assert_eq!(ledger.status, 200, "{:?}", ledger.body);
    assert_eq!(ledger.body["balance"], json!(12.5));
    let entry = &ledger.body["entries"][0];
    assert_eq!(
        (entry["type"].clone(), entry["amount"].clone()),
        (json!("ACCRUAL"), json!(12.5))
    );
    assert_eq!(
        (entry["isAdmin"].clone(), entry["comment"].clone()),
        (json!(true), json!("welcome"))
    );
    assert_eq!(
        s.admin(Method::GET, "/api/admin/users/999999", None)
            .await
            .status,
        404
    );
    assert_eq!(
        s.admin(Method::GET, "/api/admin/users/999999/bonus", None)
            .await
            .status,
        404
    );
}

//! Users in the console: a manager finds a user, blocks them (their access token stops
//! working), unblocks them, sends a reset code and adjusts their bonus points; an editor may
//! not open users nor moderate, and support may not adjust bonuses (refused by the server).

use openentry_testkit::{TestServer, unique_email};
use reqwest::Method;
use serde_json::json;

use super::{reviews_project, rows};
use crate::browser::Browser;
use crate::screens::{raw, sign_in};

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn a_manager_blocks_a_user_whose_token_then_fails_and_unblocks_them() {
    let server = TestServer::spawn().await;
    server.create_operator("max", "manager").await;
    let customer = unique_email("blockme");
    let token = server.user(&customer).await;
    server.user(&unique_email("other")).await;
    assert_eq!(
        server
            .get("/api/content/users/me", Some(&token))
            .await
            .status,
        200
    );

    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "max").await;
    b.click("nav.areas a[href='/admin/users']").await;
    b.find("#users").await;
    assert_eq!(rows(&b, "#users tbody tr").await, 2);
    let part = customer.split('@').next().unwrap();
    b.fill("#f-q", part).await;
    b.click("#search").await;
    // The answer's search field holds the search (the typed one only its property).
    b.find(&format!("#f-q[value='{part}']")).await;
    assert_eq!(rows(&b, "#users tbody tr").await, 1);
    assert!(b.text("#users tbody").await.contains(&customer));
    b.shot("users").await;
    b.click("#users tbody a").await;
    b.find("#user-state").await;
    assert_eq!(b.text("h1").await, customer);
    let id: i64 = b.path().await.rsplit('/').next().unwrap().parse().unwrap();
    b.shot("user").await;

    // Each change's page says which change it shows (the previous page had a notice too).
    b.click("#block").await;
    b.find("#done[data-done=blocked]").await;
    let state = b.find("#user-state").await;
    assert_eq!(
        state.attr("data-status").await.unwrap().as_deref(),
        Some("blocked")
    );
    assert_eq!(
        server
            .get("/api/content/users/me", Some(&token))
            .await
            .status,
        401
    );
    b.click("#unblock").await;
    b.find("#done[data-done=unblocked]").await;
    let state = b.find("#user-state").await;
    assert_eq!(
        state.attr("data-status").await.unwrap().as_deref(),
        Some("active")
    );
    let (token, _) = server.sign_in(&customer, openentry_testkit::PASSWORD).await;
    assert_eq!(
        server
            .get("/api/content/users/me", Some(&token))
            .await
            .status,
        200
    );

    // A reset code goes to the user; the page never shows it.
    b.click("#reset").await;
    b.find("#done[data-done=reset]").await;
    let code = server.last_code(&customer).await;
    assert!(!code.is_empty());
    assert!(
        !b.find("main")
            .await
            .html(false)
            .await
            .unwrap()
            .contains(&code)
    );

    // Bonus points: exact decimals in, the ledger and balance out.
    b.fill("#delta", "12.5").await;
    b.fill("#reason", "Late delivery").await;
    b.click("#adjust").await;
    b.find("#done[data-done=bonus]").await;
    assert_eq!(b.text("#bonus-balance").await, "12.5");
    assert!(b.text("#ledger").await.contains("Late delivery"));
    b.go(&format!("/admin/users/{id}#bonus-h")).await;
    b.shot("user-bonus").await;
    b.close().await;

    let log = server
        .admin(Method::GET, "/api/admin/audit?actor=admin:max", None)
        .await
        .body;
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["adjust", "reset", "unblock", "block"], "{log:?}");
    assert_eq!(log[0]["target"], format!("bonus/users/{id}"));
    assert_eq!(log[0]["after"]["balance"], json!(12.5));
    assert_eq!(log[3]["target"], format!("users/{id}"));
}

#[tokio::test]
async fn an_editor_may_not_open_users_nor_moderate_and_support_may_not_adjust_bonuses() {
    let server = TestServer::spawn_with(|_| {}, reviews_project()).await;
    server.create_operator("ed", "editor").await;
    server.create_operator("sol", "support").await;
    let seed = server
        .admin(Method::GET, "/api/admin/form-data?form=reviews", None)
        .await;
    let id = seed.body["items"][0]["id"].as_i64().unwrap();
    server.user(&unique_email("someone")).await;
    let user = server.admin(Method::GET, "/api/admin/users", None).await;
    let user = user.body["items"][0]["id"].as_i64().unwrap();
    let http = raw();
    let editor = server.session("ed").await;
    let r = http
        .get(format!("{}/admin/users", server.url))
        .header("cookie", &editor.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let post = |who: &openentry_testkit::operators::Session, path: String, body: String| {
        http.post(format!("{}{path}", server.url))
            .header("cookie", &who.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("{body}&csrf={}", who.csrf))
            .send()
    };
    let path = format!("/admin/submissions/{id}/status");
    let r = post(&editor, path.clone(), "status=rejected".to_owned())
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let support = server.session("sol").await;
    let bonus = format!("/admin/users/{user}/bonus");
    let r = post(&support, bonus, "delta=5&reason=x".to_owned())
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        403,
        "support reads bonuses, may not change them"
    );
    let after = server
        .admin(Method::GET, &format!("/api/admin/users/{user}/bonus"), None)
        .await;
    assert_eq!(after.body["balance"], json!(0));
    // Support may moderate: the same post goes through.
    let r = post(&support, path, "status=rejected".to_owned())
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let seed = server
        .admin(Method::GET, "/api/admin/form-data?form=reviews", None)
        .await;
    assert_eq!(seed.body["items"][0]["status"], "rejected");
}

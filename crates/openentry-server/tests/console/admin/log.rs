//! The last owner kept, and the audit log's filters, paging and escaping, over plain HTTP with
//! a signed-in session.

use openentry_testkit::TestServer;
use reqwest::Method;

use super::http::{page, post};

#[tokio::test]
async fn the_last_owner_cannot_be_demoted_blocked_or_deleted_until_there_is_another() {
    let server = TestServer::spawn().await;
    let olga = server.create_operator("olga", "owner").await;
    let id = olga["id"].as_i64().unwrap();
    let me = server.session("olga").await;
    for (path, fields) in [
        (
            format!("/admin/admins/{id}/role"),
            vec![("role", "manager")],
        ),
        (
            format!("/admin/admins/{id}/block"),
            vec![("blocked", "true")],
        ),
        (format!("/admin/admins/{id}/delete"), vec![]),
    ] {
        let (status, text) = post(&server, &me, &path, &fields).await;
        assert_eq!(status, 409, "{path}: {text}");
        assert!(text.contains("<h1>Refused</h1>"), "{text}");
        assert!(text.contains("This is the last owner"), "{text}");
    }
    server.create_operator("otto", "owner").await;
    let demote = [("role", "manager")];
    let path = format!("/admin/admins/{id}/role");
    assert_eq!(post(&server, &me, &path, &demote).await.0, 303);
    let ops = server
        .admin(Method::GET, "/api/admin/operators", None)
        .await;
    assert_eq!(ops.body[0]["role"], "manager", "{:?}", ops.body);
}

#[tokio::test]
async fn the_log_filters_pages_and_escapes() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let me = server.session("olga").await;
    // A login that is markup is shown as text.
    let evil = "<script>alert(1)</script>";
    let made = [
        ("login", evil),
        ("role", "support"),
        ("password", "a support pass 2026"),
    ];
    assert_eq!(post(&server, &me, "/admin/admins", &made).await.0, 303);
    let ops = server
        .admin(Method::GET, "/api/admin/operators", None)
        .await;
    let evil_id = ops
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["login"] == evil)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, html) = page(
        &server,
        &me,
        &format!("/admin/audit?target=operators/{evil_id}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!html.contains(evil));
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{html}"
    );
    assert_eq!(html.matches(r#"<tr id="entry-"#).count(), 1);
    // Blocking and unblocking are audited with the account before and after.
    let path = format!("/admin/admins/{evil_id}/block");
    assert_eq!(
        post(&server, &me, &path, &[("blocked", "true")]).await.0,
        303
    );
    let (_, html) = page(&server, &me, "/admin/admins").await;
    assert!(html.contains(&format!(r#"id="unblock-{evil_id}""#)));

    // Filters: by actor, by resource; an unmatched filter shows nothing.
    for n in 0..26 {
        server.operator_token(&format!("bulk-{n}"), "editor").await;
    }
    let (_, html) = page(
        &server,
        &me,
        "/admin/audit?actor=admin:olga&resource=admins",
    )
    .await;
    assert_eq!(
        html.matches(r#"<tr id="entry-"#).count(),
        2,
        "create and block"
    );
    let (_, html) = page(&server, &me, "/admin/audit?resource=discounts").await;
    assert!(html.contains(r#"id="no-entries""#));
    let (_, html) = page(&server, &me, "/admin/audit?resource=admins").await;
    assert_eq!(html.matches(r#"<tr id="entry-"#).count(), 25);
    let next = html
        .split(r#"rel="next" href=""#)
        .nth(1)
        .unwrap_or_default();
    assert!(
        next.starts_with("/admin/audit?actor=&#38;resource=admins&#38;target=&#38;page=2\""),
        "{next}"
    );
    // 29 in all: olga's account, the support account made and blocked, 26 tokens.
    let (_, html) = page(&server, &me, "/admin/audit?resource=admins&page=2").await;
    assert_eq!(html.matches(r#"<tr id="entry-"#).count(), 4);
}

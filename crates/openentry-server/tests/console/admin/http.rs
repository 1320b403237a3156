//! The admin screens over plain HTTP with a signed-in session: who is refused, what is never
//! shown, and stale forms (the last owner and the audit log are in `log.rs`).

use openentry_testkit::TestServer;
use openentry_testkit::operators::Session;
use reqwest::Method;
use serde_json::json;

use crate::screens::raw;

/// A page: (status, HTML).
pub(super) async fn page(server: &TestServer, me: &Session, path: &str) -> (u16, String) {
    let r = raw()
        .get(format!("{}{path}", server.url))
        .header("cookie", &me.cookie)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A form posted with the session's token: (status, `Location` or the page).
pub(super) async fn post(
    server: &TestServer,
    me: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let mut all = vec![("csrf", me.csrf.as_str())];
    all.extend_from_slice(fields);
    let r = raw()
        .post(format!("{}{path}", server.url))
        .header("cookie", &me.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(&all).unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = match r.headers().get("location") {
        Some(l) => l.to_str().unwrap().to_owned(),
        None => r.text().await.unwrap(),
    };
    (status, text)
}

/// The first hidden `version` of a page, as a browser would send it back.
fn version(html: &str) -> String {
    let at = html
        .find(r#"name="version" value=""#)
        .expect("a version field")
        + 22;
    html[at..].split('"').next().unwrap().replace("&#34;", "\"")
}

#[tokio::test]
async fn an_editor_cannot_open_admins_nor_settings_and_a_manager_only_reads_settings() {
    let server = TestServer::spawn().await;
    server.create_operator("eddie", "editor").await;
    server.create_operator("mona", "manager").await;
    let eddie = server.session("eddie").await;
    for path in ["/admin/admins", "/admin/settings", "/admin/audit"] {
        assert_eq!(page(&server, &eddie, path).await.0, 403, "{path}");
    }
    let new = [
        ("login", "sneaky"),
        ("role", "owner"),
        ("password", "a sneaky pass 2026"),
    ];
    assert_eq!(post(&server, &eddie, "/admin/admins", &new).await.0, 403);
    assert_eq!(
        post(
            &server,
            &eddie,
            "/admin/admins/tokens",
            &[("name", "x"), ("role", "editor")]
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(&server, &eddie, "/admin/settings", &[("name", "Mine")])
            .await
            .0,
        403
    );
    let ops = server
        .admin(Method::GET, "/api/admin/operators", None)
        .await;
    assert!(!ops.body.to_string().contains("sneaky"));

    // A manager reads the settings without a form, cannot change them, nor open admins.
    let mona = server.session("mona").await;
    let (status, html) = page(&server, &mona, "/admin/settings").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="settings-facts""#) && !html.contains("settings-form"));
    assert_eq!(
        post(&server, &mona, "/admin/settings", &[("name", "Mine")])
            .await
            .0,
        403
    );
    assert_eq!(page(&server, &mona, "/admin/admins").await.0, 403);
    assert_eq!(page(&server, &mona, "/admin/audit").await.0, 200);
}

#[tokio::test]
async fn settings_never_show_a_secret_and_a_stale_form_is_refused() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let me = server.session("olga").await;
    let secret = "shop-secret-7f3a9c1e5b2d4a60";
    let made = [("name", "shop"), ("token", secret)];
    assert_eq!(
        post(&server, &me, "/admin/settings/app-tokens", &made)
            .await
            .0,
        303
    );
    let (status, html) = page(&server, &me, "/admin/settings").await;
    assert_eq!(status, 200);
    assert!(!html.contains(secret));
    assert!(html.contains(r#"<td class="secret-state">set"#), "{html}");
    // Left empty, the field keeps the stored secret.
    let keep = [("name", "shop"), ("version", "whatever"), ("token", "")];
    assert_eq!(
        post(&server, &me, "/admin/settings/app-tokens/secret", &keep)
            .await
            .0,
        303
    );
    let stored = server
        .admin(Method::GET, "/api/admin/project/app-tokens/shop", None)
        .await;
    assert_eq!(stored.body["token"], "<write-only>", "{:?}", stored.body);
    let (_, html) = page(&server, &me, "/admin/settings").await;
    assert!(!html.contains(secret));

    // Two forms from the same read: the first is saved, the second refused.
    let v = version(&html);
    let first = [
        ("version", v.as_str()),
        ("name", "Renamed shop"),
        ("locales", "en_US"),
        ("allow_stacking", "1"),
        ("max_discount_percent", "50"),
    ];
    assert_eq!(
        post(&server, &me, "/admin/settings", &first).await,
        (303, "/admin/settings?done=saved".to_owned())
    );
    let second = [
        ("version", v.as_str()),
        ("name", "Lost edit"),
        ("locales", "en_US"),
    ];
    let (status, text) = post(&server, &me, "/admin/settings", &second).await;
    assert_eq!(status, 412, "{text}");
    assert!(text.contains("changed since"), "{text}");
    let now = server
        .admin(Method::GET, "/api/admin/project/settings", None)
        .await;
    assert_eq!(now.body["project"]["name"], "Renamed shop");
    assert_eq!(now.body["discount_settings"]["max_discount_percent"], "50");
    let log = server
        .admin(Method::GET, "/api/admin/audit?target=settings", None)
        .await;
    assert_eq!(log.body[0]["actor"], "admin:olga");
    assert!(!log.body.to_string().contains(secret));
    let log = server
        .admin(Method::GET, "/api/admin/audit?target=app-tokens/shop", None)
        .await;
    assert_eq!(log.body.as_array().unwrap().len(), 1, "{:?}", log.body);
    assert!(!log.body.to_string().contains(secret));
}

#[tokio::test]
async fn a_stale_discount_form_is_refused_and_coupons_come_and_go() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let me = server.session("olga").await;
    let new = [
        ("identifier", "spring"),
        ("type", "DISCOUNT"),
        ("value_type", "FIXED_AMOUNT"),
        ("value", "9.99"),
        ("applicability", "TO_ORDER"),
        ("position", "1"),
    ];
    assert_eq!(
        post(&server, &me, "/admin/discounts", &new).await,
        (303, "/admin/discounts/spring?done=created".to_owned())
    );
    // Not a valid amount: the definition's check refuses it, in its words.
    let bad = [
        ("identifier", "bad"),
        ("value_type", "FIXED_AMOUNT"),
        ("value", "9.999.1"),
    ];
    assert_eq!(post(&server, &me, "/admin/discounts", &bad).await.0, 400);
    let (_, html) = page(&server, &me, "/admin/discounts/spring").await;
    let v = version(&html);
    let code = [("version", v.as_str()), ("code", "SPRING5")];
    assert_eq!(
        post(&server, &me, "/admin/discounts/spring/coupons", &code)
            .await
            .0,
        303
    );
    let edit = [
        ("version", v.as_str()),
        ("value_type", "FIXED_AMOUNT"),
        ("value", "5"),
    ];
    let (status, text) = post(&server, &me, "/admin/discounts/spring", &edit).await;
    assert_eq!(status, 412, "{text}");
    let stored = server
        .admin(Method::GET, "/api/admin/discounts/spring", None)
        .await;
    assert_eq!(stored.body["definition"]["value"], "9.99");
    assert_eq!(
        stored.body["definition"]["coupons"],
        json!([{"code": "SPRING5", "reusable": true}])
    );
    let (_, html) = page(&server, &me, "/admin/discounts/spring").await;
    assert!(html.contains("SPRING5"));
    let v = version(&html);
    let gone = [("version", v.as_str()), ("code", "spring5")];
    assert_eq!(
        post(
            &server,
            &me,
            "/admin/discounts/spring/coupons/delete",
            &gone
        )
        .await
        .0,
        303
    );
    let codes = server
        .admin(Method::GET, "/api/admin/discounts/spring/coupons", None)
        .await;
    assert_eq!(codes.body["total"], 0, "{:?}", codes.body);
    let (status, html) = page(&server, &me, "/admin/discounts").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"href="/admin/discounts/spring""#));
}

//! The console's frame: the sign-in page, its policy headers, its languages (one of them
//! right to left), and the refusal of forms that do not come from it.

use openentry_testkit::TestServer;

use crate::browser::Browser;

/// The policy every console answer carries.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[tokio::test]
async fn a_visitor_is_sent_to_a_labelled_sign_in_page_in_the_chosen_language() {
    let server = TestServer::spawn().await;
    let Some(b) = Browser::open(&server).await else {
        return;
    };
    b.go("/admin").await;
    assert_eq!(b.path().await, "/admin/login");
    assert_eq!(b.html_attr("lang").await.as_deref(), Some("en"));
    assert_eq!(b.html_attr("dir").await.as_deref(), Some("ltr"));
    // Every field has its label, and the skip link leads to the main landmark.
    assert_eq!(b.text("label[for=login]").await, "Login");
    assert_eq!(b.text("label[for=password]").await, "Password");
    b.find("a.skip[href='#main']").await;
    b.find("main#main").await;
    b.shot("login").await;

    // Wrong credentials: the page says so and keeps the login, escaped.
    b.fill("#login", "<b>nobody</b>").await;
    b.fill("#password", "wrong password").await;
    b.click("#sign-in").await;
    b.find("#login-error").await;
    let kept = b.find("#login").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("<b>nobody</b>"));

    // The language switcher keeps the choice; Arabic lays the page out right to left.
    b.click("a[hreflang=ar]").await;
    b.find("html[dir=rtl]").await;
    assert_eq!(b.html_attr("lang").await.as_deref(), Some("ar"));
    assert_eq!(b.path().await, "/admin/login");
    assert_eq!(b.text("label[for=password]").await, "كلمة المرور");
    b.shot("login-ar").await;
    b.close().await;
}

#[tokio::test]
async fn every_console_answer_is_strict_and_a_foreign_sign_in_form_is_refused() {
    let server = TestServer::spawn().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .get(format!("{}/admin/orders", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/login");
    let r = http
        .get(format!("{}/admin/login", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["content-security-policy"], CSP);
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h.get("access-control-allow-origin").is_none());
    let body = r.text().await.unwrap();
    assert!(!body.contains("<script"), "the console ships no script");
    // The stylesheet is the console's own, cached for good under a versioned link.
    let css = body
        .split("href=\"")
        .find_map(|s| s.strip_prefix("/admin/assets/"))
        .and_then(|s| s.split('"').next())
        .unwrap();
    let r = http
        .get(format!("{}/admin/assets/{css}", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );

    // A sign-in posted from elsewhere carries no form token: refused before any check.
    let r = http
        .post(format!("{}/admin/login", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("login=owner&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(r.headers()["content-security-policy"], CSP);
    // Unknown console paths are pages too, not the API's JSON.
    let r = http
        .get(format!("{}/admin/nowhere?<b>", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}

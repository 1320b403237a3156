//! Console screens: content. An owner builds a page with a new block through the forms and the
//! storefront's SDK reads both; a stale edit form is refused and changes nothing; support reads
//! the tree but cannot write; every change is in the audit log as the API writes it; the
//! screens render right to left.

use openentry_testkit::TestServer;
use openentry_testkit::operators::Session;
use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::screens::{raw, sign_in};

/// A console form posted with the session: (status, `Location`, page).
async fn post(server: &TestServer, s: &Session, path: &str, fields: &[(&str, &str)]) -> Answer {
    let mut u = reqwest::Url::parse("http://form.invalid/").unwrap();
    u.query_pairs_mut()
        .append_pair("csrf", &s.csrf)
        .extend_pairs(fields);
    let r = raw()
        .post(format!("{}{path}", server.url))
        .header("cookie", &s.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(u.query().unwrap().to_owned())
        .send()
        .await
        .unwrap();
    Answer::read(r).await
}

/// A console page read with the session (and a language cookie).
async fn get(server: &TestServer, s: &Session, path: &str, lang: &str) -> Answer {
    let r = raw()
        .get(format!("{}{path}", server.url))
        .header(
            "cookie",
            format!("{}; openentry_console_lang={lang}", s.cookie),
        )
        .send()
        .await
        .unwrap();
    Answer::read(r).await
}

struct Answer {
    status: u16,
    location: String,
    html: String,
}

impl Answer {
    async fn read(r: reqwest::Response) -> Self {
        Self {
            status: r.status().as_u16(),
            location: r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            html: r.text().await.unwrap(),
        }
    }

    /// The version the page's edit form was read at (an `ETag`, quotes and all, as the
    /// browser reads the escaped attribute).
    fn version(&self) -> String {
        let at = self.html.find("name=\"version\" value=\"").unwrap() + 22;
        let escaped = self.html[at..].split('"').next().unwrap();
        escaped
            .replace("&#34;", "\"")
            .replace("&quot;", "\"")
            .replace("&#47;", "/")
            .replace("&amp;", "&")
    }
}

/// An entry through the management API.
async fn entry(server: &TestServer, path: &str) -> Value {
    let r = server
        .admin(Method::GET, &format!("/api/admin/project/{path}"), None)
        .await;
    assert_eq!(r.status, 200, "{path}: {:?}", r.body);
    r.body
}

async fn audit(server: &TestServer, actor: &str) -> Vec<Value> {
    let r = server
        .admin(
            Method::GET,
            &format!("/api/admin/audit?actor=admin:{actor}"),
            None,
        )
        .await;
    r.body.as_array().unwrap().clone()
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn an_owner_builds_a_page_with_a_new_block_and_the_sdk_reads_them() {
    let server = TestServer::spawn().await;
    server.create_operator("olga", "owner").await;
    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "olga").await;
    b.click("nav.areas a[href='/admin/content']").await;
    // The tree nests a page under the page its `parent` names.
    b.find("#page-tree > li[data-url=catalog] > ul > li[data-url=bags]")
        .await;
    b.shot("content").await;

    b.click("#tab-blocks").await;
    b.click("#new-block").await;
    b.fill("#block-identifier", "spring_sale").await;
    b.fill("#block-title", "Spring sale").await;
    b.click("#save-block").await;
    b.find("#done").await;
    assert_eq!(b.path().await, "/admin/content/blocks/spring_sale");
    b.click("#tab-blocks").await;
    b.find("#blocks a[href='/admin/content/blocks/spring_sale']")
        .await;
    b.shot("blocks").await;

    b.click("#tab-pages").await;
    b.click("#new-page").await;
    b.fill("#page-url", "about").await;
    b.tick("#page-parent option[value=catalog]").await;
    b.fill("#page-title", "About us").await;
    b.fill("#page-content", "<p>Hand-made since 1990.</p>")
        .await;
    b.tick("#block-spring_sale").await;
    b.click("#save-page").await;
    b.find("#done").await;
    assert_eq!(b.path().await, "/admin/content/pages/about");
    b.find("#block-spring_sale:checked").await;
    b.shot("page-edit").await;
    b.click("#tab-pages").await;
    b.find("#page-tree li[data-url=catalog] > ul > li[data-url=about]")
        .await;

    // The storefront sees them: through the official SDK where it is installed, else the
    // Content API it calls.
    let calls = [
        ("Pages", "getPageByUrl", json!(["about", "en_US"])),
        ("Pages", "getBlocksByPageUrl", json!(["about", "en_US"])),
    ];
    let (page, blocks) = if let Some(a) = server.sdk_read(&calls).await {
        (a[0].clone(), a[1].clone())
    } else {
        let p = server
            .get("/api/content/pages/url/about?langCode=en_US", None)
            .await;
        let bl = server
            .get("/api/content/pages/about/blocks?langCode=en_US", None)
            .await;
        assert_eq!(
            (p.status, bl.status),
            (200, 200),
            "{:?} {:?}",
            p.body,
            bl.body
        );
        (p.body, bl.body)
    };
    assert_eq!(page["pageUrl"], "about", "{page}");
    assert_eq!(page["localizeInfos"]["title"], "About us", "{page}");
    assert!(
        page["localizeInfos"]["htmlContent"]
            .as_str()
            .unwrap()
            .contains("Hand-made since 1990."),
        "{page}"
    );
    assert_eq!(blocks[0]["identifier"], "spring_sale", "{blocks}");
    assert_eq!(
        blocks[0]["localizeInfos"]["title"], "Spring sale",
        "{blocks}"
    );

    // A menu: made, then given two pages in the order the positions say.
    b.click("#tab-menus").await;
    b.fill("#menu-identifier", "main").await;
    b.fill("#menu-title", "Main").await;
    b.click("#create-menu").await;
    b.find("#done").await;
    b.tick("#page-new option[value=about]").await;
    b.click("#save-menu").await;
    b.find("#done").await;
    b.tick("#page-new option[value=catalog]").await;
    b.fill("#position-new", "0").await;
    b.click("#save-menu").await;
    b.find("#done").await;
    b.find("#page-0 option[value=catalog][selected]").await;
    b.shot("menus").await;
    let menu = entry(&server, "menus/main").await;
    assert_eq!(
        menu["items"],
        json!([{"page": "catalog"}, {"page": "about"}])
    );

    // A locale the project did not serve, then taken off the storefront.
    b.click("#tab-locales").await;
    b.fill("#locale-code", "fr_FR").await;
    b.fill("#locale-name", "French").await;
    b.fill("#locale-native", "Français").await;
    b.click("#add-locale").await;
    b.find("#done").await;
    b.click("#locales a[href='/admin/content/locales/fr_FR']")
        .await;
    b.tick("#locale-active").await;
    b.click("#save-locale").await;
    b.find("#done").await;
    b.click("#tab-locales").await;
    b.shot("locales").await;
    let fr = entry(&server, "locales/fr_FR").await;
    assert_eq!(
        (fr["name"].clone(), fr["active"].clone()),
        (json!("French"), json!(false))
    );
    let settings = entry(&server, "settings").await;
    assert_eq!(settings["project"]["locales"], json!(["en_US", "fr_FR"]));
    b.close().await;

    // Every change is in the audit log, newest first, as the API writes it: the entry after
    // the change is what the API answers for it.
    let log = audit(&server, "olga").await;
    let seen: Vec<(String, String, String)> = log
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_owned();
            (s("action"), s("resource"), s("target"))
        })
        .collect();
    let want = [
        ("update", "content", "locales/fr_FR"),
        ("create", "content", "locales/fr_FR"),
        ("update", "settings", "settings"),
        ("update", "content", "menus/main"),
        ("update", "content", "menus/main"),
        ("create", "content", "menus/main"),
        ("create", "content", "pages/about"),
        ("create", "content", "blocks/spring_sale"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, r, t)| ((*a).to_owned(), (*r).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(seen, want);
    let about = log.iter().find(|e| e["target"] == "pages/about").unwrap();
    assert_eq!(about["after"], entry(&server, "pages/about").await);
    assert_eq!(about["after"]["blocks"], json!(["spring_sale"]));
    assert_eq!(about["after"]["parent"], "catalog");
}

#[tokio::test]
async fn a_stale_edit_form_is_refused_and_changes_nothing() {
    let server = TestServer::spawn().await;
    server.create_operator("mona", "manager").await;
    let me = server.session("mona").await;
    // Two forms read at the same version.
    let first = get(&server, &me, "/admin/content/pages/bags", "en").await;
    let second = get(&server, &me, "/admin/content/pages/bags", "en").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.version(), second.version());
    let form = |title: &'static str, version: String| {
        vec![
            ("parent", "catalog".to_owned()),
            ("type", "catalog_page".to_owned()),
            ("title", title.to_owned()),
            ("visible", "1".to_owned()),
            ("version", version),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let server = &server;
        let me = &me;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(server, me, "/admin/content/pages/bags", &pairs).await
        }
    };
    let saved = send(form("Leather bags", first.version())).await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(saved.location, "/admin/content/pages/bags?done=saved");
    let stale = send(form("Overwritten", second.version())).await;
    assert_eq!(stale.status, 412);
    assert!(
        stale.html.contains("Changed since you opened it"),
        "{}",
        stale.html
    );
    // Without any version the edit is refused as the API refuses one without If-Match.
    let blind = send(form("Overwritten", String::new())).await;
    assert_eq!(blind.status, 428);
    let bags = entry(&server, "pages/bags").await;
    assert_eq!(bags["title"], json!({"en_US": "Leather bags"}));
    let log = audit(&server, "mona").await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["before"]["title"], json!({"en_US": "Bags"}));

    // A deletion is versioned too, and checked: a page products are listed on stays.
    let confirm = get(&server, &me, "/admin/content/pages/bags/delete", "en").await;
    let refused = post(
        &server,
        &me,
        "/admin/content/pages/bags/delete",
        &[("version", &confirm.version())],
    )
    .await;
    assert_eq!(refused.status, 400, "{}", refused.html);
    let made = post(
        &server,
        &me,
        "/admin/content/pages",
        &[("url", "faq"), ("title", "FAQ"), ("visible", "1")],
    )
    .await;
    assert_eq!(made.location, "/admin/content/pages/faq?done=created");
    let confirm = get(&server, &me, "/admin/content/pages/faq/delete", "en").await;
    let gone = post(
        &server,
        &me,
        "/admin/content/pages/faq/delete",
        &[("version", &confirm.version())],
    )
    .await;
    assert_eq!(gone.status, 303, "{}", gone.html);
    let r = server
        .admin(Method::GET, "/api/admin/project/pages/faq", None)
        .await;
    assert_eq!(r.status, 404);
    let log = audit(&server, "mona").await;
    assert_eq!(log[0]["action"], "delete");
    assert_eq!(log[0]["target"], "pages/faq");
}

#[tokio::test]
async fn support_reads_the_tree_but_cannot_write() {
    let server = TestServer::spawn().await;
    server.create_operator("sue", "support").await;
    let me = server.session("sue").await;
    let tree = get(&server, &me, "/admin/content", "en").await;
    assert_eq!(tree.status, 200);
    assert!(tree.html.contains("data-url=\"bags\""), "{}", tree.html);
    assert!(!tree.html.contains("id=\"new-page\""));
    let page = get(&server, &me, "/admin/content/pages/bags", "en").await;
    assert_eq!(page.status, 200);
    assert!(!page.html.contains("id=\"save-page\""));
    assert!(!page.html.contains("id=\"delete-page\""));
    for (path, fields) in [
        ("/admin/content/pages", vec![("url", "x"), ("title", "X")]),
        ("/admin/content/blocks", vec![("identifier", "x")]),
        ("/admin/content/menus", vec![("identifier", "x")]),
        ("/admin/content/locales", vec![("code", "en_US")]),
        ("/admin/content/pages/bags", vec![("title", "X")]),
    ] {
        let r = post(&server, &me, path, &fields).await;
        assert_eq!(r.status, 403, "{path}");
    }
    let pages = entry(&server, "pages").await;
    assert_eq!(pages["total"], 2);
    assert!(audit(&server, "sue").await.is_empty());
}

#[tokio::test]
async fn an_editor_may_describe_a_served_locale_but_not_add_a_new_code() {
    let server = TestServer::spawn().await;
    server.create_operator("ed", "editor").await;
    let me = server.session("ed").await;
    let r = post(&server, &me, "/admin/content/locales", &[("code", "de_DE")]).await;
    assert_eq!(r.status, 403, "{}", r.html);
    let settings = entry(&server, "settings").await;
    assert_eq!(settings["project"]["locales"], json!(["en_US"]));
    // The served code without details: the form describes it (a creation, no version).
    let form = get(&server, &me, "/admin/content/locales/en_US", "en").await;
    assert_eq!(form.version(), "");
    let r = post(
        &server,
        &me,
        "/admin/content/locales/en_US",
        &[("name", "English"), ("active", "1"), ("version", "")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(entry(&server, "locales/en_US").await["name"], "English");
    assert_eq!(audit(&server, "ed").await[0]["action"], "create");
}

#[tokio::test]
async fn the_content_screens_render_right_to_left_in_arabic() {
    let server = TestServer::spawn().await;
    server.create_operator("amal", "manager").await;
    let me = server.session("amal").await;
    let made = post(
        &server,
        &me,
        "/admin/content/menus",
        &[("identifier", "main")],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.html);
    let made = post(
        &server,
        &me,
        "/admin/content/blocks",
        &[("identifier", "hero")],
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.html);
    for path in [
        "/admin/content",
        "/admin/content/pages/new",
        "/admin/content/pages/bags",
        "/admin/content/pages/bags/delete",
        "/admin/content/blocks",
        "/admin/content/blocks/new",
        "/admin/content/blocks?page=2",
        "/admin/content/blocks/hero",
        "/admin/content/menus",
        "/admin/content/menus/main",
        "/admin/content/locales",
        "/admin/content/locales/en_US",
    ] {
        let page = get(&server, &me, path, "ar").await;
        assert_eq!(page.status, 200, "{path}: {}", page.html);
        assert!(page.html.contains("dir=\"rtl\""), "{path}");
        assert!(page.html.contains("المحتوى"), "{path}");
        assert!(!page.html.contains(">?<"), "{path}: a word is missing");
    }
}

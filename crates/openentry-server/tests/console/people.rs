//! Console screens for people: a support operator approves a customer's review and the
//! storefront then shows it; a manager approves a refund request on the order page; a
//! submission is deleted only with its confirmation box ticked. Users are in
//! `people/users.rs`.

mod users;

use std::path::PathBuf;

use openentry_server::ProjectSource;
use openentry_testkit::{TestServer, unique_email};
use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::Browser;
use crate::screens::{raw, sign_in};

/// The form-data suite's project: a moderated, public `reviews` form with one approved seed
/// review of product 15.
pub(super) fn reviews_project() -> ProjectSource {
    ProjectSource::File(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/form-data.toml"
    )))
}

/// The approved reviews of product 15, as a storefront reads them (anonymous).
async fn public_reviews(server: &TestServer) -> Value {
    let path = "/api/content/form-data/marker/reviews?formModuleConfigId=5&isExtended=1&langCode=en_US&offset=0&limit=30";
    let filter = json!({"entityIdentifier": 15, "status": ["approved"]});
    let r = server.post(path, None, filter).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

/// The texts of a list of submissions.
fn texts(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["formData"].as_array().unwrap().iter())
        .filter(|i| i["marker"] == "text")
        .map(|i| i["value"].as_str().unwrap().to_owned())
        .collect()
}

/// How many elements match `css` on the page as it is.
pub(super) async fn rows(b: &Browser, css: &str) -> usize {
    b.client
        .find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap()
        .len()
}

/// The latest audit entry written by `actor`.
async fn last_audit(server: &TestServer, actor: &str) -> Value {
    let log = server
        .admin(
            Method::GET,
            &format!("/api/admin/audit?actor={actor}"),
            None,
        )
        .await;
    assert_eq!(log.status, 200, "{:?}", log.body);
    log.body[0].clone()
}

#[tokio::test]
async fn support_approves_a_review_and_the_storefront_shows_it() {
    let server = TestServer::spawn_with(|_| {}, reviews_project()).await;
    server.create_operator("sue", "support").await;
    let customer = unique_email("reviewer");
    let token = server.user(&customer).await;
    let review = json!({
        "formIdentifier": "reviews", "formModuleConfigId": 5, "moduleEntityIdentifier": 15,
        "formData": {"en_US": [{"marker": "rating", "type": "integer", "value": 4},
            {"marker": "text", "type": "text", "value": "Sturdy <b>bag</b>, fair price."}]}
    });
    let r = server
        .post("/api/content/form-data", Some(&token), review)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let id = r.body["formData"]["id"].as_i64().unwrap();
    assert_eq!(
        texts(&public_reviews(&server).await),
        ["Soft leather."],
        "waits for moderation"
    );

    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "sue").await;
    b.click("nav.areas a[href='/admin/submissions']").await;
    b.find("#submissions").await;
    // New reviews only: the approved seed is filtered out.
    b.go("/admin/submissions?form=reviews&status=new").await;
    b.find("#f-status option[value=new][selected]").await;
    let rows = b.text("#submissions tbody").await;
    assert!(rows.contains(&customer), "{rows}");
    assert!(
        rows.contains("Sturdy <b>bag</b>, fair price."),
        "escaped: {rows}"
    );
    assert!(!rows.contains("Soft leather."), "{rows}");
    b.shot("submissions").await;

    b.click(&format!("#submissions a[href='/admin/submissions/{id}']"))
        .await;
    let status = b.find("#sub-status").await;
    assert_eq!(
        status.attr("data-status").await.unwrap().as_deref(),
        Some("new")
    );
    assert!(b.text("#fields").await.contains("Sturdy <b>bag</b>"));
    b.shot("submission").await;
    b.click("#to-approved").await;
    b.find("#done").await;
    let status = b.find("#sub-status").await;
    assert_eq!(
        status.attr("data-status").await.unwrap().as_deref(),
        Some("approved")
    );
    b.close().await;

    // The storefront sees it now: plain HTTP, and the official SDK where it can run.
    let shown = texts(&public_reviews(&server).await);
    assert!(
        shown.contains(&"Sturdy <b>bag</b>, fair price.".to_owned()),
        "{shown:?}"
    );
    let filter = json!({"entityIdentifier": 15, "status": ["approved"]});
    if let Some(answers) = server
        .sdk_read(&[(
            "FormData",
            "getFormsDataByMarker",
            json!(["reviews", 5, filter, 1, "en_US"]),
        )])
        .await
    {
        assert!(texts(&answers[0]).contains(&"Sturdy <b>bag</b>, fair price.".to_owned()));
    }
    let entry = last_audit(&server, "admin:sue").await;
    assert_eq!(
        (entry["action"].clone(), entry["target"].clone()),
        (json!("moderate"), json!(format!("form-data/{id}")))
    );
    assert_eq!(entry["before"]["status"], "new");
    assert_eq!(entry["after"]["status"], "approved");
}

#[tokio::test]
async fn a_manager_approves_a_refund_request_on_the_order_page() {
    let server = TestServer::spawn().await;
    server.create_operator("mona", "manager").await;
    let token = server.user(&unique_email("refund")).await;
    let order = server.create_order(&token, "cash").await;
    let r = server
        .post(
            "/api/content/payments/sessions",
            Some(&token),
            json!({"orderId": order, "type": "session", "automaticTaxEnabled": false}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let session = r.body["id"].as_i64().unwrap();
    let done = format!("/api/admin/payments/sessions/{session}/complete");
    let r = server.admin(Method::POST, &done, None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let refund = format!("/api/content/orders/{order}/refund");
    let ask = json!({"products": {"15": {"quantity": 1}}, "note": "scratched"});
    let r = server.post(&refund, Some(&token), ask).await;
    assert_eq!((r.status, r.body.clone()), (200, json!(true)));

    let Some(b) = Browser::open(&server).await else {
        return;
    };
    sign_in(&b, "mona").await;
    b.go(&format!("/admin/orders/{order}")).await;
    assert!(
        b.text("#refunds-h + .table-wrap")
            .await
            .contains("scratched")
    );
    b.click("form[action$='/refund'] button[value=approved]")
        .await;
    b.find("#done").await;
    // The fragment scrolls the page to the refunds for the picture.
    b.go(&format!("/admin/orders/{order}#refunds-h")).await;
    assert!(
        b.text("#refunds-h + .table-wrap")
            .await
            .contains("approved")
    );
    b.shot("refund").await;
    b.close().await;

    let list = server.get(&refund, Some(&token)).await;
    assert_eq!(list.body[0]["status"], "approved", "{:?}", list.body);
    let entry = last_audit(&server, "admin:mona").await;
    assert_eq!(
        (entry["action"].clone(), entry["resource"].clone()),
        (json!("refund"), json!("refunds"))
    );
    assert_eq!(entry["target"], format!("orders/{order}"));
}

#[tokio::test]
async fn a_submission_is_deleted_only_with_the_confirmation_box_ticked() {
    let server = TestServer::spawn_with(|_| {}, reviews_project()).await;
    server.create_operator("sid", "support").await;
    let seed = server
        .admin(Method::GET, "/api/admin/form-data?form=reviews", None)
        .await;
    let id = seed.body["items"][0]["id"].as_i64().unwrap();
    let me = server.session("sid").await;
    let post = |body: String| {
        raw()
            .post(format!("{}/admin/submissions/{id}/delete", server.url))
            .header("cookie", &me.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("{body}csrf={}", me.csrf))
            .send()
    };
    let r = post(String::new()).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Tick the box"));
    assert_eq!(texts(&public_reviews(&server).await), ["Soft leather."]);
    let r = post("confirm=yes&".to_owned()).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/submissions?done=deleted");
    assert_eq!(public_reviews(&server).await["total"], 0);
    let entry = last_audit(&server, "admin:sid").await;
    assert_eq!(
        (entry["action"].clone(), entry["target"].clone()),
        (json!("delete"), json!(format!("form-data/{id}")))
    );
    assert_eq!(entry["before"]["status"], "approved");
}

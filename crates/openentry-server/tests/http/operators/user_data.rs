//! What users create, under `/api/admin`: refund requests across orders, form submissions
//! with moderation (seen through the SDK's read) and deletion, uploaded files and their
//! deletion; every change in the audit log; the roles that may not are refused.

use openentry_testkit::{TestServer, test_catalog};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;
use crate::files::{PNG, file_call, stored_files, upload};
use crate::form_data::{review, send};

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
async fn refund_requests_of_every_order_are_listed_by_status() {
    let s = TestServer::spawn().await;
    let t = s.user(&email("refunds")).await;
    let mut orders = Vec::new();
    for _ in 0..2 {
        let id = s.create_order(&t, "cash").await;
        let status = json!({"statusIdentifier": "paid"});
        let path = format!("/api/admin/orders/{id}/status");
        assert_eq!(s.admin(Method::PUT, &path, Some(status)).await.status, 200);
        let ask = json!({"products": {"15": {"quantity": 1}}, "note": "scratched"});
        let refund = format!("/api/content/orders/{id}/refund");
        assert_eq!(s.post(&refund, Some(&t), ask).await.status, 200);
        orders.push(id);
    }
    let decide = format!("/api/admin/orders/{}/refund", orders[0]);
    let r = s
        .admin(Method::PUT, &decide, Some(json!({"status": "rejected"})))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let pending = s
        .admin(Method::GET, "/api/admin/refunds?status=pending", None)
        .await;
    assert_eq!(pending.status, 200, "{:?}", pending.body);
    assert_eq!(pending.body["total"], 1);
    let item = &pending.body["items"][0];
    assert_eq!(item["orderId"], orders[1]);
    assert_eq!(item["note"], "scratched");
    assert!(
        item["userId"].is_i64() && item["orderStorageId"].is_i64(),
        "{item:?}"
    );
    let all = s.admin(Method::GET, "/api/admin/refunds", None).await;
    assert_eq!(all.body["total"], 2);
    assert_eq!(all.body["items"][1]["status"], "rejected", "newest first");
    let bad = s
        .admin(Method::GET, "/api/admin/refunds?status=maybe", None)
        .await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);
    let editor = s.operator_token("editor", "editor").await;
    let r = s
        .as_token(&editor, Method::GET, "/api/admin/refunds", None)
        .await;
    assert_eq!(r.status, 403, "{:?}", r.body);
}

/// The approved reviews of product 15 as anyone reads them through the SDK.
async fn public_reviews(s: &TestServer) -> Value {
    let path = "/api/content/form-data/marker/reviews?formModuleConfigId=5&langCode=en_US";
    let r = send(
        s,
        Method::POST,
        path,
        None,
        Some(json!({"entityIdentifier": 15})),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

/// An unknown form is a 404, an unknown status a 400.
async fn bad_filters_are_refused(s: &TestServer) {
    assert_eq!(
        s.admin(Method::GET, "/api/admin/form-data?form=nope", None)
            .await
            .status,
        404
    );
    assert_eq!(
        s.admin(Method::GET, "/api/admin/form-data?status=maybe", None)
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn submissions_are_moderated_and_deleted_by_operators() {
    let s = crate::form_data::spawn(|_| {}).await;
    let t = s.user(&email("reviewer")).await;
    let r = send(
        &s,
        Method::POST,
        "/api/content/form-data",
        Some(&t),
        Some(review("Great")),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        public_reviews(&s).await["total"],
        1,
        "only the seed until approved"
    );

    let list = s
        .admin(
            Method::GET,
            "/api/admin/form-data?form=reviews&status=new",
            None,
        )
        .await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    assert_eq!(list.body["total"], 1, "{:?}", list.body);
    let item = &list.body["items"][0];
    assert_eq!(item["formIdentifier"], "reviews");
    assert!(item["userId"].is_i64(), "{item:?}");
    let id = item["id"].as_i64().unwrap();
    bad_filters_are_refused(&s).await;

    s.create_operator("support@shop.test", "support").await;
    s.create_operator("editor@shop.test", "editor").await;
    let support = s.session("support@shop.test").await;
    let editor = s.session("editor@shop.test").await;
    let status = format!("/api/admin/form-data/{id}/status");
    let approve = json!({"status": "approved"});
    let r = s
        .as_session(&editor, true, Method::PUT, &status, Some(approve.clone()))
        .await;
    assert_eq!(r.status, 403, "an editor may not moderate: {:?}", r.body);
    let r = s
        .as_session(&support, true, Method::PUT, &status, Some(approve))
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "approved");
    assert_eq!(public_reviews(&s).await["total"], 2, "approved: public");
    let bad = s
        .as_session(
            &support,
            true,
            Method::PUT,
            &status,
            Some(json!({"status": "maybe"})),
        )
        .await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);

    let one = format!("/api/admin/form-data/{id}");
    let r = s
        .as_session(&support, true, Method::DELETE, &one, None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(public_reviews(&s).await["total"], 1);
    let again = s
        .as_session(&support, true, Method::DELETE, &one, None)
        .await;
    assert_eq!(again.status, 404, "{:?}", again.body);

    let log = audit_of(&s, &format!("form-data/{id}")).await;
    assert_eq!(log.len(), 2, "{log:?}");
    let moderated = log.iter().find(|x| x["action"] == "moderate").unwrap();
    assert_eq!(moderated["actor"], "admin:support@shop.test");
    assert_eq!(moderated["before"]["status"], "new");
    assert_eq!(moderated["after"]["status"], "approved");
    let deleted = log.iter().find(|x| x["action"] == "delete").unwrap();
    assert_eq!(deleted["before"]["id"], id);
    assert_eq!(deleted["after"], Value::Null);
}

#[tokio::test]
async fn uploads_are_listed_with_their_owners_and_deleted_with_their_objects() {
    let s = TestServer::spawn_with(|_| {}, test_catalog()).await;
    let t = s.user(&email("uploader")).await;
    let r = upload(&s, Some(&t), &[("hero.png", PNG)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let key = r.body[0]["filename"].as_str().unwrap().to_owned();
    let objects = stored_files(&s).len();

    let list = s.admin(Method::GET, "/api/admin/files", None).await;
    assert_eq!(list.status, 200, "{:?}", list.body);
    assert_eq!(list.body["total"], 1);
    let item = &list.body["items"][0];
    assert_eq!(item["filename"], key.as_str());
    assert_eq!(item["size"], PNG.len());
    assert_eq!(item["contentType"], "image/png");
    assert!(
        item["owner"].as_str().unwrap().starts_with("user:"),
        "{item:?}"
    );
    let id = item["id"].as_i64().unwrap();

    let support = s.operator_token("support", "support").await;
    let editor = s.operator_token("editor", "editor").await;
    let path = format!("/api/admin/files/{id}");
    let r = s.as_token(&support, Method::DELETE, &path, None).await;
    assert_eq!(r.status, 403, "support reads files only: {:?}", r.body);
    let r = s.as_token(&editor, Method::DELETE, &path, None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(file_call(&s, Method::GET, Some(&t), &key).await.0, 404);
    assert_eq!(stored_files(&s).len(), objects - 1, "the object went too");
    assert_eq!(
        s.as_token(&editor, Method::DELETE, &path, None)
            .await
            .status,
        404
    );

    let log = audit_of(&s, &format!("files/{id}")).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["action"], "delete");
    assert_eq!(log[0]["before"]["filename"], key.as_str());
}

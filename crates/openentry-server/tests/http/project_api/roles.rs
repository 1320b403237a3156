//! Each section is granted as its resource, not as the whole project: an editor edits the
//! catalog and content but not app tokens or settings; support reads the catalog only.

use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use super::call_as;

#[tokio::test]
async fn sections_are_granted_by_their_own_resource() {
    let s = TestServer::spawn().await;
    let editor = s.operator_token("editor", "editor").await;
    let support = s.operator_token("support", "support").await;
    let status = |r: openentry_testkit::Resp| r.status;

    let product = json!({"id": 31, "title": {"en_US": "Tote"}, "attribute_set": "product"});
    let r = call_as(&s, &editor, Method::POST, "/products", None, Some(product)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let block = json!({"identifier": "note", "title": {"en_US": "Note"}});
    let r = call_as(&s, &editor, Method::POST, "/blocks", None, Some(block)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    for path in ["/app-tokens", "/settings", "", "/payment-accounts"] {
        let r = call_as(&s, &editor, Method::GET, path, None, None).await;
        assert_eq!(status(r), 403, "editor reads {path}");
    }

    assert_eq!(
        status(call_as(&s, &support, Method::GET, "/products/31", None, None).await),
        200
    );
    let again = json!({"id": 32, "title": {"en_US": "Tote"}, "attribute_set": "product"});
    let r = call_as(&s, &support, Method::POST, "/products", None, Some(again)).await;
    assert_eq!(r.status, 403, "{:?}", r.body);

    let log = s
        .admin(Method::GET, "/api/admin/audit?target=products/31", None)
        .await;
    assert_eq!(log.body[0]["actor"], "token:editor", "{:?}", log.body);
}

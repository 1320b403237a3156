//! An edit made through one node is served by another once its poller sees the new revision
//! (500 ms by default: everywhere within a second; here 5 ms, and the test asks without
//! sleeping until it sees the change), and versions are the same on every node.

use std::time::{Duration, Instant};

use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use super::{call, etag, read};

const PRODUCT: &str = "/api/content/products/16?langCode=en_US";

#[tokio::test]
async fn an_edit_on_one_node_is_served_by_another_after_its_poll() {
    let a = TestServer::spawn().await;
    let b = a
        .second_node_with(|c| c.project_poll = Duration::from_millis(5))
        .await;
    let (mut wallet, tag) = read(&a, "/products/16").await;
    let (_, tag_b) = read(&b, "/products/16").await;
    assert_eq!(tag, tag_b, "every node names a version alike");
    let old_title = b.get(PRODUCT, None).await.body["localizeInfos"]["en_US"]["title"].clone();

    wallet["title"]["en_US"] = json!("Renamed through node a");
    let r = call(
        &a,
        Method::PUT,
        "/products/16",
        Some(&tag),
        Some(wallet.clone()),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);

    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = b.get(PRODUCT, None).await;
        let title = &now.body["localizeInfos"]["en_US"]["title"];
        if title == "Renamed through node a" {
            break;
        }
        assert_eq!(
            *title, old_title,
            "only the old or the new title is ever served"
        );
        assert!(Instant::now() < deadline, "node b never served the edit");
    }
    // Node b refuses the version node a replaced, and takes the new one.
    wallet["title"]["en_US"] = json!("Lost edit");
    let stale = call(
        &b,
        Method::PUT,
        "/products/16",
        Some(&tag),
        Some(wallet.clone()),
    )
    .await;
    assert_eq!(stale.status, 412, "{:?}", stale.body);
    wallet["title"]["en_US"] = json!("Renamed through node b");
    let r = call(
        &b,
        Method::PUT,
        "/products/16",
        Some(&etag(&r)),
        Some(wallet),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

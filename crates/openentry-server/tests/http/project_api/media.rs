//! Entries holding media and rich text (the demo's): an edit sends them back as a read answers
//! them (media by their store key, text in its stored form) and they are stored unchanged; a
//! media file path is refused, since the management API takes no files.

use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use super::{call, etag, read};

#[tokio::test]
async fn stored_media_and_text_survive_an_edit_unchanged() {
    let s = TestServer::spawn_with(|_| {}, ProjectSource::Demo).await;
    for path in ["/products/15", "/locales/en_US", "/pages/home_web"] {
        let (entry, tag) = read(&s, path).await;
        let r = call(&s, Method::PUT, path, Some(&tag), Some(entry.clone())).await;
        assert_eq!(r.status, 200, "{path}: {:?}", r.body);
        assert_eq!(r.body, entry, "{path}");
        assert_eq!(
            etag(&r),
            tag,
            "{path}: nothing changed, so neither did the version"
        );
    }
    let image = s.get("/api/content/products/15?langCode=en_US", None).await;
    assert_eq!(image.status, 200, "{:?}", image.body);

    let (mut bag, tag) = read(&s, "/products/15").await;
    bag["values"]["pic"] = json!("media/new-bag.png");
    let r = call(&s, Method::PUT, "/products/15", Some(&tag), Some(bag)).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert!(
        r.message().contains("takes no media files"),
        "{}",
        r.message()
    );
}

//! The console's stylesheet, compiled into the binary (no build step, no CDN). Its link
//! carries a hash of its text, so browsers may keep it for a year and still see every change.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use sha2::{Digest, Sha256};

/// The stylesheet.
const CSS: &str = include_str!("../../assets/console.css");

/// The first 16 hex digits of the stylesheet's SHA-256: its version in links and its ETag.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    hex::encode(Sha256::digest(CSS.as_bytes()))
        .chars()
        .take(16)
        .collect()
});

/// The stylesheet's link, versioned.
pub(crate) fn css_href() -> String {
    format!("/admin/assets/console.css?v={}", *VERSION)
}

/// `GET /admin/assets/{name}`.
pub(super) async fn serve(Path(name): Path<String>, headers: HeaderMap) -> Response {
    if name != "console.css" {
        return StatusCode::NOT_FOUND.into_response();
    }
    let etag = format!("\"{}\"", *VERSION);
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            )],
            CSS,
        )
            .into_response()
    };
    res.headers_mut().insert(header::CACHE_CONTROL, cache);
    if let Ok(v) = HeaderValue::from_str(&etag) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

//! The management API of the project definition (`/api/admin/project`): entries of every
//! section created, read, replaced and deleted as the file writes them, checked as `project
//! check` checks the file, served by the Content API at once and by other nodes after their
//! poll, versioned with `ETag`/`If-Match`, secrets write-only, and the export importing again.

mod edits;
mod media;
mod nodes;
mod roles;
mod secrets;

use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::Value;

pub(crate) const ROOT: &str = "/api/admin/project";

/// An admin call with an optional `If-Match` (the test kit's helper sends no extra headers).
pub(crate) async fn call(
    s: &TestServer,
    method: Method,
    path: &str,
    if_match: Option<&str>,
    body: Option<Value>,
) -> Resp {
    call_as(s, &s.admin_token, method, path, if_match, body).await
}

/// [`call`] with another operator's Bearer.
pub(crate) async fn call_as(
    s: &TestServer,
    bearer: &str,
    method: Method,
    path: &str,
    if_match: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut req = s
        .http
        .request(method, format!("{}{ROOT}{path}", s.url))
        .bearer_auth(bearer);
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.unwrap();
    Resp {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

/// The `ETag` of an answer.
pub(crate) fn etag(r: &Resp) -> String {
    r.headers
        .get("etag")
        .unwrap_or_else(|| panic!("no ETag: {:?}", r.body))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Reads an entry and answers its body and `ETag`.
pub(crate) async fn read(s: &TestServer, path: &str) -> (Value, String) {
    let r = call(s, Method::GET, path, None, None).await;
    assert_eq!(r.status, 200, "{path}: {:?}", r.body);
    let tag = etag(&r);
    (r.body, tag)
}

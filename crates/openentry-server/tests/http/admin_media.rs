//! `POST /api/admin/media`: an operator's file goes into the media store under its content key
//! and is served at the URL the answer gives; a body without a file, a file over the upload
//! limit, a file that is not of an accepted type and a body that is not multipart are 4xx SDK
//! error bodies that store nothing; support may read the catalog but not add to it.

use openentry_testkit::{Resp, TestServer, test_catalog};
use reqwest::Method;

use crate::files::PNG;

const MEDIA: &str = "/api/admin/media";
const BOUNDARY: &str = "----openentry-media-boundary-4c2e";

/// A multipart body: text fields, then files as `(field, file name, bytes)`.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (field, name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn send(s: &TestServer, token: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let r = s
        .http
        .post(format!("{}{MEDIA}", s.url))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    Resp {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.json().await.unwrap_or_default(),
    }
}

async fn upload(s: &TestServer, token: &str, body: Vec<u8>) -> Resp {
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    send(s, token, &ct, body).await
}

/// A refusal in the SDK's error shape.
fn refused(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(r.body["statusCode"], status, "{:?}", r.body);
    assert!(!r.message().is_empty(), "{:?}", r.body);
}

/// The audit log's media entries.
async fn media_entries(s: &TestServer) -> usize {
    let log = s.admin(Method::GET, "/api/admin/audit", None).await;
    log.body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["target"]
                .as_str()
                .unwrap_or_default()
                .starts_with("media/")
        })
        .count()
}

#[tokio::test]
async fn an_operator_stores_an_image_and_its_url_serves_it() {
    let s = TestServer::spawn().await;
    let r = upload(
        &s,
        &s.admin_token,
        multipart(&[], &[("file", "My Photo.png", PNG)]),
    )
    .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let key = r.body["key"].as_str().unwrap().to_owned();
    let (hash, name) = key.split_once('/').unwrap();
    assert_eq!(hash.len(), 32);
    assert_eq!(name, "My_Photo.png");
    assert_eq!(r.body["filename"], "My_Photo.png");
    assert_eq!(r.body["contentType"], "image/png");
    assert_eq!(r.body["size"], PNG.len());
    let url = r.body["url"].as_str().unwrap().to_owned();
    assert!(url.ends_with(&format!("/media/{key}")), "{url}");
    let served = s.http.get(&url).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
    // The same file is the same key: stored once.
    let again = upload(
        &s,
        &s.admin_token,
        multipart(&[], &[("file", "My Photo.png", PNG)]),
    )
    .await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body["key"], key.as_str());
    assert_eq!(media_entries(&s).await, 2);
}

#[tokio::test]
async fn an_upload_without_a_file_is_refused() {
    let s = TestServer::spawn().await;
    let t = s.admin_token.clone();
    refused(
        &upload(&s, &t, multipart(&[("note", "no file")], &[])).await,
        400,
    );
    refused(
        &upload(&s, &t, multipart(&[], &[("other", "a.png", PNG)])).await,
        400,
    );
    let two = multipart(&[], &[("file", "a.png", PNG), ("file", "b.png", PNG)]);
    refused(&upload(&s, &t, two).await, 400);
    refused(&send(&s, &t, "application/json", b"{}".to_vec()).await, 400);
    assert_eq!(media_entries(&s).await, 0);
}

#[tokio::test]
async fn a_file_over_the_limit_or_of_a_refused_type_is_refused() {
    let s = TestServer::spawn_with(|c| c.upload_max_file_bytes = 1000, test_catalog()).await;
    let t = s.admin_token.clone();
    let mut big = PNG.to_vec();
    big.resize(5000, 0);
    refused(
        &upload(&s, &t, multipart(&[], &[("file", "big.png", &big)])).await,
        413,
    );
    // Far over: refused while it arrives, the whole body is never held.
    let huge = vec![b'x'; 300 * 1024];
    refused(
        &upload(&s, &t, multipart(&[], &[("file", "huge.png", &huge)])).await,
        413,
    );
    let text = multipart(
        &[],
        &[("file", "notes.png", b"just some text, not an image")],
    );
    refused(&upload(&s, &t, text).await, 415);
    assert_eq!(media_entries(&s).await, 0);
}

#[tokio::test]
async fn support_may_not_store_media_and_an_editor_may() {
    let s = TestServer::spawn().await;
    let support = s.operator_token("media-support", "support").await;
    let editor = s.operator_token("media-editor", "editor").await;
    let body = || multipart(&[], &[("file", "a.png", PNG)]);
    refused(&upload(&s, &support, body()).await, 403);
    assert_eq!(media_entries(&s).await, 0);
    let r = upload(&s, &editor, body()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
}

#[tokio::test]
async fn a_garbage_multipart_body_is_a_400() {
    let s = TestServer::spawn().await;
    let t = s.admin_token.clone();
    refused(
        &upload(&s, &t, b"this is not multipart at all".to_vec()).await,
        400,
    );
    let cut = multipart(&[], &[("file", "a.png", PNG)]);
    refused(&upload(&s, &t, cut[..cut.len() / 2].to_vec()).await, 400);
    refused(
        &send(&s, &t, "multipart/form-data", b"--x\r\n".to_vec()).await,
        400,
    );
    assert_eq!(media_entries(&s).await, 0);
}

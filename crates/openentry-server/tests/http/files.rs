//! FileUploading on the wire (docs/wire.md §6.8): a real PNG goes in as multipart and comes back
//! by its download link and by `getFile`; only its owner reads or deletes it (another owner's
//! file answers like a missing one); names are sanitized; a deleted account takes its files.
//! The limits (types, sizes, counts, quotas, concurrency) are in `files_limits.rs`.

use std::path::Path;

use openentry_server::Config;
use openentry_testkit::{Resp, TestServer, test_catalog};
use reqwest::Method;
use serde_json::{Value, json};

use crate::email;

pub(crate) const FILES: &str = "/api/content/files";

/// A real PNG (the SDK suite's hero image).
pub(crate) const PNG: &[u8] = include_bytes!("../../../../tests/sdk/media/content/hero.png");

pub(crate) async fn spawn(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::spawn_with(adjust, test_catalog()).await
}

/// A `multipart/form-data` body as the SDK's `FormData` builds it: each file in `files`.
pub(crate) fn multipart(files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----openentry-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `upload` as the SDK sends it (no JSON content type; `accept: application/json`).
pub(crate) async fn upload(s: &TestServer, bearer: Option<&str>, files: &[(&str, &[u8])]) -> Resp {
    let (content_type, body) = multipart(files);
    let mut req = s
        .http
        .post(format!("{}{FILES}?type=page&entity=editor&id=3787", s.url))
        .header("x-app-token", &s.app_token)
        .header("accept", "application/json")
        .header("content-type", content_type)
        .body(body);
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    Resp {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.json().await.unwrap_or_default(),
    }
}

/// `getFile` (raw bytes) or `delete` of `filename`, as the SDK sends them.
pub(crate) async fn file_call(
    s: &TestServer,
    method: Method,
    bearer: Option<&str>,
    filename: &str,
) -> (u16, Vec<u8>) {
    let mut req = s
        .http
        .request(
            method,
            format!(
                "{}{FILES}?id=3787&type=page&entity=editor&filename={filename}",
                s.url
            ),
        )
        .header("x-app-token", &s.app_token)
        .header("content-type", "application/json");
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

/// The regular files under the media directory, temporary ones included.
pub(crate) fn stored_files(s: &TestServer) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(s.media_dir.as_deref().unwrap(), &mut out);
    out
}

async fn download(s: &TestServer, link: &str) -> (u16, String, Vec<u8>) {
    let r = s.http.get(link).send().await.unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (r.status().as_u16(), ct, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_png_is_stored_served_by_its_link_read_and_deleted() {
    let s = spawn(|_| {}).await;
    let r = upload(&s, None, &[("hero.png", PNG)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let files = r.body.as_array().unwrap();
    assert_eq!(files.len(), 1);
    let key = files[0]["filename"].as_str().unwrap().to_owned();
    assert!(
        key.ends_with("/hero.png") && key.len() == 32 + 1 + 8,
        "{key}"
    );
    assert_eq!(files[0]["size"], json!(PNG.len()));
    let link = files[0]["downloadLink"].as_str().unwrap().to_owned();
    assert_eq!(link, format!("{}/media/{key}", s.url));
    assert_eq!(
        download(&s, &link).await,
        (200, "image/png".to_owned(), PNG.to_vec())
    );

    assert_eq!(
        file_call(&s, Method::GET, None, &key).await,
        (200, PNG.to_vec())
    );
    let (status, body) = file_call(&s, Method::DELETE, None, &key).await;
    assert_eq!((status, body), (200, b"true".to_vec()));
    assert_eq!(file_call(&s, Method::GET, None, &key).await.0, 404);
    assert_eq!(file_call(&s, Method::DELETE, None, &key).await.0, 404);
    assert_eq!(download(&s, &link).await.0, 404);
    assert!(stored_files(&s).is_empty(), "{:?}", stored_files(&s));
}

#[tokio::test]
async fn only_the_owner_reads_or_deletes_a_file_and_others_see_nothing() {
    let s = spawn(|_| {}).await;
    let ann = s.user(&email("ann-files")).await;
    let bob = s.user(&email("bob-files")).await;
    let r = upload(&s, Some(&ann), &[("a.png", PNG)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let key = r.body[0]["filename"].as_str().unwrap().to_owned();
    let missing = format!("{}/a.png", "0".repeat(32));

    let absent = file_call(&s, Method::GET, Some(&bob), &missing).await;
    assert_eq!(absent.0, 404);
    // Bob, and an anonymous caller from the same address, get exactly the missing answer.
    for who in [Some(bob.as_str()), None] {
        let (status, body) = file_call(&s, Method::GET, who, &key).await;
        let body: Value = serde_json::from_slice(&body).unwrap();
        let absent: Value = serde_json::from_slice(&absent.1).unwrap();
        assert_eq!((status, &body["message"]), (404, &absent["message"]));
        assert_eq!(file_call(&s, Method::DELETE, who, &key).await.0, 404);
    }
    assert_eq!(
        file_call(&s, Method::GET, Some(&ann), &key).await,
        (200, PNG.to_vec())
    );
    assert_eq!(file_call(&s, Method::DELETE, Some(&ann), &key).await.0, 200);

    // An anonymous visitor's file belongs to their address, not to a signed-in user there.
    let r = upload(&s, None, &[("b.png", PNG)]).await;
    let key = r.body[0]["filename"].as_str().unwrap().to_owned();
    assert_eq!(file_call(&s, Method::GET, Some(&bob), &key).await.0, 404);
    assert_eq!(file_call(&s, Method::GET, None, &key).await.0, 200);
    // A stale token counts as none (the SDK keeps sending the one it has).
    assert_eq!(
        file_call(&s, Method::GET, Some("stale.token.x"), &key)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn names_are_sanitized_and_never_leave_the_store() {
    let s = spawn(|_| {}).await;
    let names = [
        ("../../../etc/passwd.png", "passwd.png"),
        ("..\\..\\win.ini.png", "win.ini.png"),
        ("%2e%2e%2fx.png", "_2e_2e_2fx.png"),
        (".hidden.png", "hidden.png"),
        ("men\u{fc} <b>.png", "men___b_.png"),
        ("", "file"),
    ];
    for (given, kept) in names {
        let r = upload(&s, None, &[(given, PNG)]).await;
        assert_eq!(r.status, 200, "{given}: {:?}", r.body);
        let key = r.body[0]["filename"].as_str().unwrap();
        assert_eq!(key.split_once('/').unwrap().1, kept, "{given}");
    }
    let root = std::fs::canonicalize(s.media_dir.as_deref().unwrap()).unwrap();
    let files = stored_files(&s);
    assert_eq!(files.len(), names.len(), "{files:?}");
    for f in files {
        assert!(std::fs::canonicalize(&f).unwrap().starts_with(&root), "{f}");
    }
    // A filename that is not a key finds nothing (and names no path).
    for probe in ["../../etc/passwd", "%2e%2e/x", "/etc/passwd", "a"] {
        assert_eq!(
            file_call(&s, Method::GET, None, probe).await.0,
            404,
            "{probe}"
        );
    }
}

#[tokio::test]
async fn a_deleted_account_takes_its_files_with_it() {
    let s = spawn(|_| {}).await;
    let token = s.user(&email("leaving-files")).await;
    let r = upload(&s, Some(&token), &[("a.png", PNG), ("b.png", PNG)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let link = r.body[0]["downloadLink"].as_str().unwrap().to_owned();
    assert_eq!(download(&s, &link).await.0, 200);
    let gone = s
        .call(
            Method::DELETE,
            "/api/content/users/me/account",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(gone.status, 200, "{:?}", gone.body);
    assert_eq!(download(&s, &link).await.0, 404);
    assert!(stored_files(&s).is_empty(), "{:?}", stored_files(&s));
}

#[tokio::test]
async fn what_is_not_an_upload_is_a_400() {
    let s = spawn(|_| {}).await;
    let json = s.post(FILES, None, json!({"files": []})).await;
    assert_eq!(json.status, 400, "{:?}", json.body);
    let empty = upload(&s, None, &[]).await;
    assert_eq!(
        (empty.status, empty.message()),
        (
            400,
            "The upload holds no file (send them in the field \"files\")"
        )
    );
    let no_name = s.call(Method::GET, FILES, None, None).await;
    assert_eq!(no_name.status, 400, "{:?}", no_name.body);
    let no_name = s.call(Method::DELETE, FILES, None, None).await;
    assert_eq!(no_name.status, 400, "{:?}", no_name.body);
}

//! The limits of uploads: types read from the content (415), a file over its size (413, read
//! to the end first so the client reads the answer instead of a broken pipe), files per
//! request, each owner's quota, and concurrent uploads that cannot pass it together. A refused
//! request leaves no object and no row.

use futures::future::join_all;
use openentry_testkit::TestServer;
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::email;
use crate::files::{FILES, PNG, file_call, multipart, spawn, stored_files, upload};

/// Sends an upload over a plain socket, writing all of it before reading the answer.
async fn raw_post(s: &TestServer, content_type: &str, body: &[u8]) -> std::io::Result<String> {
    let addr = s.url.trim_start_matches("http://");
    let mut sock = tokio::net::TcpStream::connect(addr).await?;
    let head = format!(
        "POST {FILES} HTTP/1.1\r\nhost: {addr}\r\nx-app-token: {}\r\naccept: application/json\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        s.app_token,
        body.len()
    );
    sock.write_all(head.as_bytes()).await?;
    sock.write_all(body).await?;
    let mut answer = Vec::new();
    sock.read_to_end(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// PNG bytes of about `len` bytes: the signature decides the type, the rest is padding.
fn big_png(len: usize) -> Vec<u8> {
    let mut v = PNG.to_vec();
    v.resize(len, 0);
    v
}

#[tokio::test]
async fn types_are_read_from_the_content_never_from_the_name() {
    let s = spawn(|_| {}).await;
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest-of-an-archive";
    for (name, bytes) in [
        ("notes.png", &b"just some text, named like an image"[..]),
        ("page.png", &b"<html><script>alert(1)</script></html>"[..]),
        (
            "logo.svg",
            &br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#[..],
        ),
        ("a.jpg", &zip[..]),
        ("empty.png", &b""[..]),
    ] {
        let r = upload(&s, None, &[(name, bytes)]).await;
        assert_eq!(r.status, 415, "{name}: {:?}", r.body);
        assert!(
            r.message().contains("not of an accepted type"),
            "{}",
            r.message()
        );
    }
    // One refused file refuses the request: the accepted one before it is not kept.
    let r = upload(&s, None, &[("ok.png", PNG), ("bad.png", b"text")]).await;
    assert_eq!(r.status, 415, "{:?}", r.body);
    assert!(stored_files(&s).is_empty(), "{:?}", stored_files(&s));
    // A PNG is a PNG whatever its name says.
    let r = upload(&s, None, &[("photo.exe", PNG)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let link = r.body[0]["downloadLink"].as_str().unwrap();
    let got = s.http.get(link).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn an_oversized_file_gets_its_413_after_the_body_was_read() {
    let s = spawn(|c| {
        c.upload_max_file_bytes = 1024 * 1024;
        c.upload_max_files = 4;
    })
    .await;
    // Six times the limit, well past what socket buffers absorb, over a raw socket as strict
    // as Node's: every byte is written before the answer is read (an HTTP client library may
    // stop sending when an early answer arrives, and hide a server that does not drain).
    let big = big_png(6 * 1024 * 1024);
    let (content_type, body) = multipart(&[("big.png", &big)]);
    let answer = raw_post(&s, &content_type, &body)
        .await
        .expect("the whole body is sent and the answer read, with no broken pipe or reset");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains(r#"\"big.png\" is larger than the 1048576-byte limit per file"#),
        "{answer}"
    );
    assert!(stored_files(&s).is_empty(), "{:?}", stored_files(&s));
    // The limit is the per-file one, not the global body limit (1 MiB by default).
    let fits = big_png(1024 * 1024);
    let r = upload(&s, None, &[("a.png", &fits[..]), ("b.png", &fits[..])]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body[1]["size"], 1024 * 1024);
}

#[tokio::test]
async fn files_per_request_are_limited() {
    let s = spawn(|c| c.upload_max_files = 2).await;
    let r = upload(&s, None, &[("a.png", PNG), ("b.png", PNG), ("c.png", PNG)]).await;
    assert_eq!(
        (r.status, r.message()),
        (413, "At most 2 files per upload request")
    );
    assert!(stored_files(&s).is_empty(), "{:?}", stored_files(&s));
    let r = upload(&s, None, &[("a.png", PNG), ("b.png", PNG)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[tokio::test]
async fn each_owner_has_a_quota_of_files_and_bytes() {
    let s = spawn(|c| c.upload_quota_files = 3).await;
    let token = s.user(&email("quota")).await;
    let two = [("a.png", PNG), ("b.png", PNG)];
    assert_eq!(upload(&s, Some(&token), &two).await.status, 200);
    let over = upload(&s, Some(&token), &two).await;
    assert_eq!(over.status, 413, "{:?}", over.body);
    assert!(
        over.message().contains("upload quota"),
        "{}",
        over.message()
    );
    assert_eq!(stored_files(&s).len(), 2);
    let third = upload(&s, Some(&token), &[("c.png", PNG)]).await;
    assert_eq!(third.status, 200);
    assert_eq!(
        upload(&s, Some(&token), &[("d.png", PNG)]).await.status,
        413
    );
    // Deleting gives room back.
    let key = third.body[0]["filename"].as_str().unwrap();
    assert_eq!(
        file_call(&s, Method::DELETE, Some(&token), key).await.0,
        200
    );
    assert_eq!(
        upload(&s, Some(&token), &[("d.png", PNG)]).await.status,
        200
    );
    // The anonymous visitors of the address have a quota of their own.
    assert_eq!(upload(&s, None, &[("e.png", PNG); 3]).await.status, 200);
    assert_eq!(upload(&s, None, &[("f.png", PNG)]).await.status, 413);

    let len = PNG.len() as u64;
    let s = spawn(|c| c.upload_quota_bytes = 3 * len).await;
    assert_eq!(upload(&s, None, &[("a.png", PNG); 3]).await.status, 200);
    let over = upload(&s, None, &[("b.png", PNG)]).await;
    assert_eq!(over.status, 413, "{:?}", over.body);
    assert!(
        over.message().contains("upload quota"),
        "{}",
        over.message()
    );
}

#[tokio::test]
async fn concurrent_uploads_cannot_pass_the_quota_together() {
    let s = spawn(|c| c.upload_quota_files = 4).await;
    let token = s.user(&email("racing")).await;
    let answers = join_all((0..12).map(|_| upload(&s, Some(&token), &[("a.png", PNG)]))).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [[200; 4].as_slice(), &[413; 8]].concat(),
        "{answers:?}"
    );
    assert_eq!(stored_files(&s).len(), 4, "{:?}", stored_files(&s));
    for r in answers.iter().filter(|r| r.status == 200) {
        let key = r.body[0]["filename"].as_str().unwrap();
        assert_eq!(file_call(&s, Method::GET, Some(&token), key).await.0, 200);
    }
}

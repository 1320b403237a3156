//! The media store in an S3-compatible bucket (`OPENENTRY_MEDIA_S3_*`), against a local
//! S3-compatible server: `moto_server` (PyPI `moto[server]`, which .ci/run installs), started
//! by the test on a free port and killed with it, or the one `OPENENTRY_TEST_S3_ENDPOINT`
//! names. Uploads stream into the bucket (a multipart upload beyond 5 MiB), are served with
//! ranges, and leave nothing behind when refused or deleted. Without a server the test says
//! loudly that it skipped.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use openentry_server::config::S3Settings;
use openentry_testkit::TestServer;
use reqwest::Method;

use crate::files::{PNG, file_call, spawn, stored_files, upload};

/// A local S3-compatible server; the one the test started dies with it.
struct S3Server {
    endpoint: String,
    child: Option<Child>,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// The server to test against, or `None` (with the reason) when there is none.
async fn s3_server() -> Result<S3Server, String> {
    // Test configuration: the environment may name a running server.
    #[allow(clippy::disallowed_methods)]
    if let Ok(endpoint) = std::env::var("OPENENTRY_TEST_S3_ENDPOINT") {
        return Ok(S3Server {
            endpoint,
            child: None,
        });
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            format!("moto_server could not be started ({e}); pip install 'moto[server]'")
        })?;
    let server = S3Server {
        endpoint: format!("http://127.0.0.1:{port}"),
        child: Some(child),
    };
    // An external process: wait (bounded) until it answers.
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("moto_server did not answer within 60 s".to_owned());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(server)
}

/// The keys the bucket lists.
async fn keys(s: &TestServer, endpoint: &str, bucket: &str) -> Vec<String> {
    let xml = s
        .http
        .get(format!("{endpoint}/{bucket}?list-type=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    xml.split("<Key>")
        .skip(1)
        .filter_map(|s| s.split_once("</Key>").map(|(k, _)| k.to_owned()))
        .collect()
}

#[tokio::test]
async fn uploads_stream_into_an_s3_bucket_and_leave_nothing_when_refused_or_deleted() {
    let s3 = match s3_server().await {
        Ok(s) => s,
        Err(why) => {
            eprintln!("\n*** SKIPPED: no local S3-compatible server: {why} ***\n");
            return;
        }
    };
    let bucket = format!(
        "oe-{}",
        crate::email("s3").replace(['@', '.', '+', '_'], "-")
    );
    let bucket: String = bucket.chars().take(60).collect::<String>().to_lowercase();
    let settings = S3Settings {
        bucket: bucket.clone(),
        endpoint: Some(s3.endpoint.clone()),
        region: "us-east-1".to_owned(),
        access_key_id: Some("test".to_owned()),
        secret_access_key: Some("test".to_owned()),
    };
    let s = spawn(|c| {
        c.media_s3 = Some(settings);
        c.upload_max_file_bytes = 8 * 1024 * 1024;
    })
    .await;
    // (The server's HTTP client is built by now, with its TLS provider.)
    let made = s
        .http
        .put(format!("{}/{bucket}", s3.endpoint))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "creating the bucket: {made:?}");

    let small = upload(&s, None, &[("hero.png", PNG)]).await;
    assert_eq!(small.status, 200, "{:?}", small.body);
    let key = small.body[0]["filename"].as_str().unwrap().to_owned();
    let link = small.body[0]["downloadLink"].as_str().unwrap().to_owned();
    let got = s.http.get(&link).send().await.unwrap();
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().as_ref(), PNG);
    let part = s
        .http
        .get(&link)
        .header("range", "bytes=1-3")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().as_ref(), &PNG[1..4]);
    assert_eq!(
        file_call(&s, Method::GET, None, &key).await,
        (200, PNG.to_vec())
    );

    // Past one part (5 MiB): a multipart upload.
    let mut big = PNG.to_vec();
    big.resize(7 * 1024 * 1024 + 3, 7);
    let r = upload(&s, None, &[("big.png", &big)]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let big_key = r.body[0]["filename"].as_str().unwrap().to_owned();
    let got = s
        .http
        .get(r.body[0]["downloadLink"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(got.bytes().await.unwrap().as_ref(), big.as_slice());

    // Refused past its limit after a part was sent: nothing is listed.
    big.resize(9 * 1024 * 1024, 7);
    let r = upload(&s, None, &[("over.png", &big)]).await;
    assert_eq!(r.status, 413, "{:?}", r.body);
    let mut listed = keys(&s, &s3.endpoint, &bucket).await;
    listed.sort();
    let mut want = vec![key.clone(), big_key.clone()];
    want.sort();
    assert_eq!(listed, want);

    for k in [&key, &big_key] {
        assert_eq!(file_call(&s, Method::DELETE, None, k).await.0, 200);
    }
    assert_eq!(keys(&s, &s3.endpoint, &bucket).await, Vec::<String>::new());
    assert_eq!(s.http.get(&link).send().await.unwrap().status(), 404);
    assert!(
        stored_files(&s).is_empty(),
        "the local directory is not used"
    );
}

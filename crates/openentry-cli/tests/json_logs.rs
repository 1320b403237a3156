//! `OPENENTRY_LOG_FORMAT=json`: a real `openentry serve` writes one JSON object a line, and a
//! request's log lines carry the request id taken from the caller's `traceparent`, which the
//! answer echoes in `x-request-id`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_openentry");
const APP_TOKEN: &str = "json-logs-app-token";
const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

#[tokio::test]
async fn json_logs_carry_the_request_id_of_the_traceparent() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("logs.db").display());
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .args(["--database-url", &db, "--app-token", APP_TOKEN])
        .env("OPENENTRY_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = out.next().expect("the server exited").unwrap();
        if let Some(url) = line.strip_prefix("openentry listening on ") {
            break url.trim().to_owned();
        }
    };
    std::thread::spawn(move || out.for_each(drop));
    let (tx, rx) = mpsc::channel::<String>();
    let err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    let r = reqwest::Client::new()
        .get(format!("{base}/api/content/system/test500"))
        .header("x-app-token", APP_TOKEN)
        .header("traceparent", format!("00-{TRACE}-00f067aa0cd902b7-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(r.headers()["x-request-id"], TRACE);

    // Every line is JSON; the test route's log line is in the request's span.
    let mut seen = Vec::new();
    let found = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no log line of the request; saw:\n{}", seen.join("\n")));
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        seen.push(line);
        if v["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("intended 500"))
        {
            break v;
        }
    };
    assert_eq!(found["span"]["request_id"], TRACE, "{found}");
    assert_eq!(
        found["span"]["route"], "/api/content/system/test500",
        "{found}"
    );
    let _ = child.kill();
    let _ = child.wait();
}

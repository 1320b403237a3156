//! Content API conventions: app token, error bodies, body limits, tolerance, CORS, timeouts.

use std::time::Duration;

use openentry_testkit::TestServer;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn assert_error_body(body: &Value, status: u16) {
    assert_eq!(body["statusCode"], status, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body.get("pageData").is_some_and(Value::is_null), "{body}");
    assert!(
        body["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{body}"
    );
}

#[tokio::test]
async fn the_app_token_is_required() {
    let s = TestServer::spawn().await;
    let url = format!("{}/api/content/users-auth-providers", s.url);
    let missing = s.http.get(&url).send().await.unwrap();
    assert_eq!(missing.status(), 401);
    assert_error_body(&missing.json().await.unwrap(), 401);
    for wrong in ["wrong-token", "undefined", ""] {
        let r = s
            .http
            .get(&url)
            .header("x-app-token", wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{wrong:?}");
        assert_error_body(&r.json().await.unwrap(), 403);
    }
}

#[tokio::test]
async fn every_error_is_the_sdk_body() {
    let s = TestServer::spawn().await;
    let auth = "/api/content/users-auth-providers/marker/email/users/auth";
    let cases: Vec<(reqwest::Method, &str, Option<String>, u16)> = vec![
        (reqwest::Method::GET, "/api/content/nope", None, 404),
        (reqwest::Method::GET, "/nope", None, 404),
        (
            reqwest::Method::DELETE,
            "/api/content/users-auth-providers",
            None,
            405,
        ),
        (
            reqwest::Method::POST,
            auth,
            Some("{\"authData\": [".to_owned()),
            400,
        ),
        (
            reqwest::Method::POST,
            auth,
            Some("{\"authData\": 5}".to_owned()),
            400,
        ),
        (reqwest::Method::POST, auth, Some("[".repeat(10_000)), 400),
        (
            reqwest::Method::POST,
            auth,
            Some(format!("{{\"x\":\"{}\"}}", "a".repeat(2 * 1024 * 1024))),
            413,
        ),
        (
            reqwest::Method::GET,
            "/api/content/users-auth-providers/marker/nope",
            None,
            404,
        ),
        (reqwest::Method::GET, "/api/content/users/me", None, 401),
    ];
    for (method, path, body, status) in cases {
        let mut req = s
            .http
            .request(method.clone(), format!("{}{path}", s.url))
            .header("x-app-token", &s.app_token);
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{method} {path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        assert_error_body(&r.json().await.unwrap(), status);
    }
}

#[tokio::test]
async fn what_the_sdk_sends_is_tolerated() {
    let s = TestServer::spawn().await;
    let e = crate::email("tolerant");
    let access = s.user(&e).await;
    // A stale Bearer on a public route, Content-Type on a GET, unencoded query, trailing `&`.
    let r = s
        .get(
            "/api/content/users-auth-providers?langCode=en_US&offset=0&limit=30&",
            Some("stale.token.x"),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body[0]["identifier"], "email");
    // A POST with Content-Type and no body.
    let r = s
        .call(
            reqwest::Method::POST,
            "/api/content/users-auth-providers/marker/email/users/logout-all",
            Some(&access),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    // A malformed x-device-metadata is accepted as opaque.
    let r = s
        .http
        .post(format!(
            "{}/api/content/users-auth-providers/marker/email/users/auth",
            s.url
        ))
        .header("x-app-token", &s.app_token)
        .header("x-device-metadata", "{not json")
        .body(openentry_testkit::auth_body(&e, "correct horse battery").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn cors_preflight_is_answered() {
    let s = TestServer::spawn().await;
    let r = s
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/content/users-auth-providers", s.url),
        )
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "x-app-token,authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn configured_cors_origins_are_the_only_ones_allowed() {
    let s = TestServer::spawn_with(
        |c| c.cors_origins = vec!["https://shop.example".to_owned()],
        openentry_testkit::test_catalog(),
    )
    .await;
    let ask = |origin: &'static str| {
        s.http
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/content/users-auth-providers", s.url),
            )
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let ok = ask("https://shop.example").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let other = ask("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_silent_client_is_disconnected() {
    let s = TestServer::spawn_with(
        |c| c.header_read_timeout = Duration::from_millis(300),
        openentry_testkit::test_catalog(),
    )
    .await;
    let addr = s.url.trim_start_matches("http://").to_owned();
    let mut sock = tokio::net::TcpStream::connect(addr).await.unwrap();
    sock.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    // The server must close (or answer 408) well before this bound; no sleeping involved.
    let read = tokio::time::timeout(Duration::from_secs(10), sock.read(&mut buf)).await;
    let n = read
        .expect("the server kept a silent connection open")
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(n == 0 || text.starts_with("HTTP/1.1 408"), "{text}");
}

#[tokio::test]
async fn health_answers_without_an_app_token() {
    let s = TestServer::spawn().await;
    let r = s
        .http
        .get(format!("{}/healthz", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_in_flight_requests_finish() {
    // One hashing slot and no queue: while a slow sign-in holds the slot, any other sign-in is
    // refused at once, which tells the test (without sleeping) that the first is in flight.
    let s = TestServer::spawn_with(
        |c| {
            c.hash_concurrency = 1;
            c.hash_queue = 0;
            c.argon2 = openentry_server::config::Argon2Params {
                m_kib: 32 * 1024,
                t: 4,
                p: 1,
            };
            // The probes fail sign-in many times; the throttle must not be what answers 429.
            let lax = openentry_domain::throttle::ThrottlePolicy {
                max_failures: 1_000_000,
                window_secs: 60,
            };
            c.account_throttle = lax;
            c.address_throttle = lax;
        },
        openentry_testkit::test_catalog(),
    )
    .await;
    let url = format!(
        "{}/api/content/users-auth-providers/marker/email/users/auth",
        s.url
    );
    let body = openentry_testkit::auth_body("slow@example.com", "whatever123").to_string();
    let send = || {
        s.http
            .post(&url)
            .header("x-app-token", &s.app_token)
            .body(body.clone())
            .send()
    };
    // Slow sign-ins run in the background, a new one whenever the last has finished, until
    // two probes in a row find the slot taken: then one of them is in flight inside the server.
    // One refusal is not enough: the hashing thread needs a moment after answering a probe to
    // take the next job, and a probe arriving in that moment is refused although no slow
    // sign-in holds the slot (seen on a loaded machine). That moment never spans two round
    // trips.
    let mut slow = vec![tokio::spawn(send())];
    let mut in_flight = false;
    let mut refused_in_a_row = 0;
    for _ in 0..1000 {
        if slow
            .last()
            .is_some_and(tokio::task::JoinHandle::is_finished)
        {
            slow.push(tokio::spawn(send()));
        }
        if send().await.unwrap().status() == 429 {
            refused_in_a_row += 1;
            if refused_in_a_row == 2 {
                in_flight = true;
                break;
            }
        } else {
            refused_in_a_row = 0;
        }
    }
    assert!(in_flight, "no sign-in ever held the hashing slot");
    s.stop().await;
    let mut finished = 0;
    for task in slow {
        let answer = task
            .await
            .unwrap()
            .expect("an in-flight request was cut off");
        assert!(
            matches!(answer.status().as_u16(), 403 | 429),
            "{}",
            answer.status()
        );
        finished += usize::from(answer.status() == 403);
    }
    assert!(
        finished >= 1,
        "the request holding the slot finished normally"
    );
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_abandoned_without_a_trace() {
    let s = TestServer::spawn_with(
        |c| {
            c.request_timeout = Duration::from_millis(20);
            c.argon2 = openentry_server::config::Argon2Params {
                m_kib: 64 * 1024,
                t: 4,
                p: 1,
            };
        },
        openentry_testkit::test_catalog(),
    )
    .await;
    let e = crate::email("slow");
    let r = s
        .post(
            "/api/content/users-auth-providers/marker/email/users/sign-up",
            None,
            openentry_testkit::sign_up_body(&e, "correct horse battery"),
        )
        .await;
    assert_eq!(r.status, 503, "{:?}", r.body);
    assert_error_body(&r.body, 503);
    // Nothing was written: a node without the tight limit knows no such user.
    let other = s.second_node().await;
    assert_eq!(other.auth(&e, "correct horse battery").await.status, 403);
}

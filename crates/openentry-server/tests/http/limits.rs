//! Abuse limits of the HTTP layer (issue 10, findings 2, 3 and part of 12): silent and idle
//! connections are closed, one address cannot take every connection, request bodies have a
//! memory budget and a time limit, oversized heads and early answers carry the error body and
//! `Connection: close`, and the admin API has no CORS unless configured. Raw sockets, because
//! an HTTP client hides exactly what is tested here; every wait is for an event, bounded.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use openentry_server::{Config, ProjectSource};
use openentry_testkit::TestServer;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// Long enough for any server under test to act; the tests never wait this long when it does.
const BOUND: Duration = Duration::from_secs(10);

/// Short limits, so that every test finishes in well under a second.
fn tight(c: &mut Config) {
    c.header_read_timeout = Duration::from_millis(300);
    c.idle_timeout = Duration::from_millis(300);
    c.body_read_timeout = Duration::from_millis(300);
}

async fn server(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::spawn_with(
        |c| {
            tight(c);
            adjust(c);
        },
        ProjectSource::Demo,
    )
    .await
}

fn addr(s: &TestServer) -> SocketAddr {
    s.url.trim_start_matches("http://").parse().unwrap()
}

/// A connection from `from` (any 127.x.y.z: Linux routes all of 127/8 to the loopback).
async fn connect_from(s: &TestServer, from: [u8; 4]) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::from(from)), 0))
        .unwrap();
    socket.connect(addr(s)).await.unwrap()
}

/// Waits until the server closes `sock` (EOF or reset), discarding what it sends.
async fn closed_by_server(sock: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    tokio::time::timeout(BOUND, async {
        loop {
            match sock.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

/// One HTTP/1.1 answer: status, lower-cased head, body as JSON.
struct Answer {
    status: u16,
    head: String,
    body: Value,
}

async fn read_answer(sock: &mut TcpStream) -> Answer {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let answer = tokio::time::timeout(BOUND, async {
        loop {
            if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                if data.len() >= end + 4 + len {
                    let status = head[9..12].parse().unwrap();
                    let body = serde_json::from_slice(&data[end + 4..end + 4 + len])
                        .unwrap_or(Value::Null);
                    return Answer { status, head, body };
                }
            }
            let n = sock.read(&mut buf).await.unwrap_or(0);
            assert!(n > 0, "connection closed before a full answer: {data:?}");
            data.extend_from_slice(&buf[..n]);
        }
    })
    .await;
    answer.expect("no answer in time")
}

fn assert_error_body(a: &Answer, status: u16) {
    assert_eq!(a.status, status, "{}\n{}", a.head, a.body);
    assert_eq!(a.body["statusCode"], status, "{}", a.body);
    assert!(a.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(
        a.head.contains("content-type: application/json"),
        "{}",
        a.head
    );
}

const HEALTH: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

#[tokio::test]
async fn a_connection_that_never_sends_a_byte_is_closed() {
    let s = server(|_| {}).await;
    let mut silent = connect_from(&s, [127, 0, 0, 1]).await;
    assert!(
        closed_by_server(&mut silent).await,
        "a silent connection stayed open"
    );
}

#[tokio::test]
async fn an_http2_connection_that_only_sends_the_preface_is_closed() {
    let s = server(|_| {}).await;
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    // The client preface and an empty SETTINGS frame, then nothing.
    sock.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .unwrap();
    assert!(
        closed_by_server(&mut sock).await,
        "an idle HTTP/2 connection stayed open"
    );
}

#[tokio::test]
async fn a_kept_alive_connection_is_closed_when_idle() {
    let s = server(|_| {}).await;
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    sock.write_all(HEALTH).await.unwrap();
    assert_eq!(read_answer(&mut sock).await.status, 200);
    assert!(
        closed_by_server(&mut sock).await,
        "an idle kept-alive connection stayed open"
    );
}

#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    // Slow timeouts here: the held connections must stay open while the others are checked.
    let s = TestServer::spawn_with(
        |c| {
            c.max_connections_per_address = 4;
            c.max_connections = 6;
        },
        ProjectSource::Demo,
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut sock = connect_from(&s, [127, 0, 0, 2]).await;
        // A full request each: the server has then certainly counted the connection.
        sock.write_all(HEALTH).await.unwrap();
        assert_eq!(read_answer(&mut sock).await.status, 200);
        held.push(sock);
    }
    // The fifth from the same address is closed at once...
    let mut fifth = connect_from(&s, [127, 0, 0, 2]).await;
    let _ = fifth.write_all(HEALTH).await;
    assert!(closed_by_server(&mut fifth).await);
    // ...while other addresses are served, even once the server is full: idle connections
    // make room for newcomers.
    for last in 3..=6 {
        let mut other = connect_from(&s, [127, 0, 0, last]).await;
        other.write_all(HEALTH).await.unwrap();
        assert_eq!(read_answer(&mut other).await.status, 200);
        held.push(other);
    }
    let ok = s.get("/api/content/product-statuses", None).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
}

/// A POST whose body is announced but only partly sent.
fn stalled_post(path: &str, declared: usize, token: &str) -> Vec<u8> {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nx-app-token: {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
    )
    .into_bytes();
    req.extend_from_slice(b"{\"authData\": [");
    req
}

const SIGN_IN: &str = "/api/content/users-auth-providers/marker/email/users/auth";

#[tokio::test]
async fn a_stalled_body_is_answered_408_and_closed() {
    let s = server(|_| {}).await;
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    sock.write_all(&stalled_post(SIGN_IN, 100_000, &s.app_token))
        .await
        .unwrap();
    let a = read_answer(&mut sock).await;
    assert_error_body(&a, 408);
    assert!(a.head.contains("connection: close"), "{}", a.head);
    assert!(closed_by_server(&mut sock).await);
}

#[tokio::test]
async fn the_body_budget_refuses_with_the_error_body_and_others_are_served() {
    let s = TestServer::spawn_with(
        |c| {
            c.body_budget = 300_000;
            c.body_budget_per_address = 200_000;
        },
        ProjectSource::Demo,
    )
    .await;
    // Two stalled bodies from one address hold 150 KB each of its 200 KB: the second is
    // refused with 429 for the address, a third from elsewhere with 503 for the server.
    let mut first = connect_from(&s, [127, 0, 0, 2]).await;
    first
        .write_all(&stalled_post(SIGN_IN, 150_000, &s.app_token))
        .await
        .unwrap();
    let mut refused = None;
    for _ in 0..200 {
        // The first request's reservation is made when its head arrives: try until it has.
        let mut second = connect_from(&s, [127, 0, 0, 2]).await;
        second
            .write_all(&stalled_post(SIGN_IN, 150_000, &s.app_token))
            .await
            .unwrap();
        let a = read_answer(&mut second).await;
        if a.status == 429 {
            refused = Some(a);
            break;
        }
    }
    let a = refused.expect("the per-address body budget never refused");
    assert_error_body(&a, 429);
    assert!(a.head.contains("retry-after: 1"), "{}", a.head);
    assert!(a.head.contains("connection: close"), "{}", a.head);
    let mut third = connect_from(&s, [127, 0, 0, 3]).await;
    third
        .write_all(&stalled_post(SIGN_IN, 150_000, &s.app_token))
        .await
        .unwrap();
    let mut other = connect_from(&s, [127, 0, 0, 4]).await;
    other
        .write_all(&stalled_post(SIGN_IN, 150_000, &s.app_token))
        .await
        .unwrap();
    let a = read_answer(&mut other).await;
    assert_error_body(&a, 503);
    assert!(a.head.contains("retry-after: 1"), "{}", a.head);
    // Requests without a body are still served meanwhile.
    let ok = s.get("/api/content/product-statuses", None).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    drop((first, third));
}

#[tokio::test]
async fn oversized_heads_carry_the_error_body() {
    let s = server(|_| {}).await;
    let long_path = format!("/api/content/products/{}", "a".repeat(10_000));
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    sock.write_all(format!("GET {long_path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .unwrap();
    assert_error_body(&read_answer(&mut sock).await, 414);
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    let big = "b".repeat(40_000);
    sock.write_all(format!("GET /healthz HTTP/1.1\r\nHost: x\r\nx-big: {big}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    assert_error_body(&read_answer(&mut sock).await, 431);
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    let many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    sock.write_all(format!("GET /healthz HTTP/1.1\r\nHost: x\r\n{many}\r\n").as_bytes())
        .await
        .unwrap();
    assert_error_body(&read_answer(&mut sock).await, 431);
}

#[tokio::test]
async fn an_answer_before_the_body_is_read_says_connection_close() {
    let s = server(|_| {}).await;
    // No app token: refused before the body is read.
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    sock.write_all(&stalled_post(SIGN_IN, 100_000, "wrong-token"))
        .await
        .unwrap();
    let a = read_answer(&mut sock).await;
    assert_error_body(&a, 403);
    assert!(a.head.contains("connection: close"), "{}", a.head);
    // Over the body limit by its Content-Length: 413 at once, same rule.
    let mut sock = connect_from(&s, [127, 0, 0, 1]).await;
    sock.write_all(&stalled_post(SIGN_IN, 5 * 1024 * 1024, &s.app_token))
        .await
        .unwrap();
    let a = read_answer(&mut sock).await;
    assert_error_body(&a, 413);
    assert!(a.head.contains("connection: close"), "{}", a.head);
}

#[tokio::test]
async fn the_admin_api_has_no_cors_unless_configured() {
    let preflight = |s: &TestServer| {
        s.http
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/admin/payments/alerts", s.url),
            )
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let s = server(|_| {}).await;
    let r = preflight(&s).await.unwrap();
    assert!(
        r.headers().get("access-control-allow-origin").is_none(),
        "{:?}",
        r.headers()
    );
    let r = s
        .http
        .get(format!("{}/api/admin/payments/alerts", s.url))
        .header("origin", "https://evil.example")
        .bearer_auth(&s.admin_token)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // The Content API keeps its open CORS.
    let r = s
        .http
        .get(format!("{}/api/content/product-statuses", s.url))
        .header("origin", "https://evil.example")
        .header("x-app-token", &s.app_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    // Configured: that origin only.
    let s = server(|c| c.admin_cors_origins = vec!["https://ops.example".to_owned()]).await;
    let r = preflight(&s).await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = s
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/admin/payments/alerts", s.url),
        )
        .header("origin", "https://ops.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://ops.example"
    );
}

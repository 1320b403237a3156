//! Abuse limits of the HTTP layer (issue 10, findings 2, 3 and part of 12): silent and idle
//! connections are closed, one address cannot take every connection, request bodies have a
//! memory budget and a time limit, oversized heads and early answers carry the error body and
//! `Connection: close`, and the admin API has no CORS unless configured. Raw sockets, because
//! an HTTP client hides exactly what is tested here; every wait is for an event, bounded.

mod connections;
mod requests;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use openentry_server::Config;
use openentry_testkit::TestServer;
use serde_json::Value;
use tokio::io::AsyncReadExt;
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
        openentry_testkit::test_catalog(),
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

//! Connections: silent and idle ones are closed, one address cannot take them all, and the
//! admin API has no CORS unless configured.

use openentry_testkit::TestServer;
use tokio::io::AsyncWriteExt;

use super::{HEALTH, closed_by_server, connect_from, read_answer, server};

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
        openentry_testkit::test_catalog(),
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

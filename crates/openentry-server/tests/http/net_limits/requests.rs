//! Requests: stalled bodies, the body budget, oversized heads, early answers.

use std::fmt::Write as _;

use openentry_testkit::TestServer;
use tokio::io::AsyncWriteExt;

use super::{
    SIGN_IN, assert_error_body, closed_by_server, connect_from, read_answer, server, stalled_post,
};

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
        openentry_testkit::test_catalog(),
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
    let many = (0..150).fold(String::new(), |mut s, i| {
        let _ = write!(s, "x-h{i}: v\r\n");
        s
    });
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

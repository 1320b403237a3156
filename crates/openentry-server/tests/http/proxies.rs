//! The client address behind proxies: the right-most untrusted `X-Forwarded-For` hop, so a
//! client cannot pick its own address and escape the per-address budget.

use openentry_domain::throttle::ThrottlePolicy;
use openentry_server::Config;
use openentry_testkit::{Resp, TestServer, auth_body};

const AUTH: &str = "/api/content/users-auth-providers/marker/email/users/auth";

async fn server(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::spawn_with(
        |c| {
            c.address_throttle = ThrottlePolicy {
                max_failures: 3,
                window_secs: 60,
            };
            adjust(c);
        },
        openentry_testkit::test_catalog(),
    )
    .await
}

/// A wrong sign-in of a fresh login, with the given `X-Forwarded-For` lines.
async fn wrong_sign_in(s: &TestServer, i: usize, forwarded: &[&str]) -> Resp {
    let mut req = s
        .http
        .post(format!("{}{AUTH}", s.url))
        .header("x-app-token", &s.app_token)
        .header("content-type", "application/json")
        .body(auth_body(&format!("victim{i}@example.com"), "wrong guess").to_string());
    for f in forwarded {
        req = req.header("x-forwarded-for", *f);
    }
    let r = req.send().await.unwrap();
    Resp {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.json().await.unwrap_or_default(),
    }
}

#[tokio::test]
async fn a_spoofed_left_part_does_not_escape_the_address_budget() {
    // One proxy hop (the old `trust_forwarded_for` flag): it appended 203.0.113.9.
    let s = server(|c| c.trust_forwarded_for = true).await;
    for i in 0..3 {
        let spoofed = format!("198.51.100.{i}, 203.0.113.9");
        assert_eq!(wrong_sign_in(&s, i, &[&spoofed]).await.status, 403);
    }
    let r = wrong_sign_in(&s, 3, &["198.51.100.77, 203.0.113.9"]).await;
    assert_eq!(r.status, 429, "the client is 203.0.113.9 whatever it wrote");
    assert!(r.headers.contains_key("retry-after"));
    // Another client behind the same proxy has its own budget.
    assert_eq!(wrong_sign_in(&s, 4, &["203.0.113.10"]).await.status, 403);
}

#[tokio::test]
async fn trusted_proxies_are_skipped_from_the_right() {
    let s = server(|c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
    })
    .await;
    // Two of our proxies (10.1.1.1 and the peer); the client is 203.0.113.9, split over two
    // header lines as proxies may send them.
    for i in 0..3 {
        let spoofed = format!("198.51.100.{i}");
        let r = wrong_sign_in(&s, i, &[&spoofed, "203.0.113.9, 10.1.1.1"]).await;
        assert_eq!(r.status, 403);
    }
    let r = wrong_sign_in(&s, 3, &["192.0.2.1, 203.0.113.9, 10.2.2.2"]).await;
    assert_eq!(r.status, 429);
    assert_eq!(
        wrong_sign_in(&s, 4, &["203.0.113.10, 10.1.1.1"])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_configured() {
    for adjust in [
        (|_: &mut Config| {}) as fn(&mut Config),
        // The peer (127.0.0.1) is not one of the trusted proxies: its header means nothing.
        |c: &mut Config| c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()],
    ] {
        let s = server(adjust).await;
        for i in 0..3 {
            let own = format!("198.51.100.{i}");
            assert_eq!(wrong_sign_in(&s, i, &[&own]).await.status, 403);
        }
        let r = wrong_sign_in(&s, 3, &["198.51.100.99"]).await;
        assert_eq!(r.status, 429, "every request counts for the peer 127.0.0.1");
    }
}

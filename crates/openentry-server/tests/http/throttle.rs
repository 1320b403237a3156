//! Password guessing is throttled per account and per address, without an enumeration oracle.

use openentry_server::ProjectSource;
use openentry_testkit::TestServer;

use crate::email;

#[tokio::test]
async fn account_throttle_blocks_then_recovers_after_the_window() {
    let s = TestServer::spawn().await;
    let e = email("guess");
    s.sign_up(&e, "correct horse battery").await;
    for _ in 0..10 {
        assert_eq!(s.auth(&e, "wrong guess").await.status, 403);
    }
    let blocked = s.auth(&e, "correct horse battery").await;
    assert_eq!(
        blocked.status, 429,
        "even the right password waits for the window"
    );
    let retry: i64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert_eq!(blocked.body["statusCode"], 429);

    s.clock.advance_secs(retry);
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 200);
}

#[tokio::test]
async fn throttled_answers_do_not_reveal_whether_the_account_exists() {
    let s = TestServer::spawn().await;
    let known = email("known");
    let ghost = email("ghost");
    s.sign_up(&known, "correct horse battery").await;
    for _ in 0..10 {
        s.auth(&known, "wrong").await;
        s.auth(&ghost, "wrong").await;
    }
    let a = s.auth(&known, "wrong").await;
    let b = s.auth(&ghost, "wrong").await;
    assert_eq!((a.status, b.status), (429, 429));
    assert_eq!(a.message(), b.message());
    assert_eq!(a.headers["retry-after"], b.headers["retry-after"]);
}

#[tokio::test]
async fn address_throttle_stops_stuffing_across_accounts() {
    let s = TestServer::spawn_with(
        |c| {
            c.address_throttle = openentry_domain::throttle::ThrottlePolicy {
                max_failures: 5,
                window_secs: 60,
            }
        },
        ProjectSource::Demo,
    )
    .await;
    for i in 0..5 {
        assert_eq!(
            s.auth(&format!("victim{i}@example.com"), "password1")
                .await
                .status,
            403
        );
    }
    let r = s.auth("victim99@example.com", "password1").await;
    assert_eq!(r.status, 429);
    s.clock.advance_secs(61);
    assert_eq!(
        s.auth("victim99@example.com", "password1").await.status,
        403
    );
}

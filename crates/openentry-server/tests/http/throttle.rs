//! Password guessing is throttled per account and per address, without an enumeration oracle.

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
        openentry_testkit::test_catalog(),
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

#[tokio::test]
async fn fifty_concurrent_wrong_passwords_evaluate_only_the_budget() {
    let s = TestServer::spawn().await;
    let e = email("burst");
    s.sign_up(&e, "correct horse battery").await;
    let results = futures::future::join_all((0..50).map(|_| s.auth(&e, "wrong guess"))).await;
    let status = |code| results.iter().filter(|r| r.status == code).count();
    assert_eq!(
        (status(403), status(429)),
        (10, 40),
        "budget 10 per account"
    );
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 429);
}

#[tokio::test]
async fn the_budget_holds_under_concurrency_across_two_nodes() {
    let a = TestServer::spawn().await;
    let b = a.second_node().await;
    let e = email("burst2");
    a.sign_up(&e, "correct horse battery").await;
    let calls = (0..50).map(|i| {
        let node = if i % 2 == 0 { &a } else { &b };
        node.auth(&e, "wrong guess")
    });
    let results = futures::future::join_all(calls).await;
    let evaluated = results.iter().filter(|r| r.status == 403).count();
    assert_eq!(evaluated, 10, "one budget for both nodes");
    assert!(results.iter().all(|r| r.status == 403 || r.status == 429));
}

#[tokio::test]
async fn a_right_password_gives_its_reservations_back() {
    let s = TestServer::spawn_with(
        |c| {
            c.address_throttle = openentry_domain::throttle::ThrottlePolicy {
                max_failures: 3,
                window_secs: 60,
            }
        },
        openentry_testkit::test_catalog(),
    )
    .await;
    let e = email("ok");
    s.sign_up(&e, "correct horse battery").await;
    for _ in 0..10 {
        assert_eq!(s.auth(&e, "correct horse battery").await.status, 200);
    }
    assert_eq!(
        s.auth(&e, "wrong").await.status,
        403,
        "successes used no budget"
    );
}

#[tokio::test]
async fn anonymous_writes_have_a_budget_per_address() {
    let s = TestServer::spawn_with(
        |c| {
            c.anonymous_budget = openentry_domain::throttle::ThrottlePolicy {
                max_failures: 5,
                window_secs: 60,
            }
        },
        openentry_testkit::test_catalog(),
    )
    .await;
    let code_req = |i: usize| {
        s.post(
            "/api/content/users-auth-providers/marker/email/users/generate-code",
            None,
            serde_json::json!({"userIdentifier": format!("nobody{i}@example.com"), "eventIdentifier": "password"}),
        )
    };
    for i in 0..5 {
        assert_eq!(code_req(i).await.status, 200);
    }
    let r = code_req(5).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.body["statusCode"], 429);
    let retry: i64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let up = s
        .post(
            "/api/content/users-auth-providers/marker/email/users/sign-up",
            None,
            openentry_testkit::sign_up_body(&email("late"), "correct horse battery"),
        )
        .await;
    assert_eq!(up.status, 429, "sign-up shares the budget");
    s.clock.advance_secs(retry);
    assert_eq!(code_req(6).await.status, 200);
}

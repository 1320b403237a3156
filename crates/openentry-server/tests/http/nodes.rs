//! Several server processes on one database share sessions, revocations and throttling.

use openentry_testkit::TestServer;
use serde_json::json;

use crate::email;

#[tokio::test]
async fn logout_on_one_node_is_seen_by_another() {
    let a = TestServer::spawn().await;
    let b = a.second_node().await;
    let e = email("nodes");
    a.sign_up(&e, "correct horse battery").await;
    let (access, refresh) = a.sign_in(&e, "correct horse battery").await;
    assert_eq!(
        b.get("/api/content/users/me", Some(&access)).await.status,
        200,
        "same keys on both nodes"
    );
    let r = a
        .post(
            "/api/content/users-auth-providers/marker/email/users/logout",
            Some(&access),
            json!({"refreshToken": refresh}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        b.get("/api/content/users/me", Some(&access)).await.status,
        401
    );
    assert_eq!(
        b.post(
            "/api/content/users-auth-providers/marker/email/users/refresh",
            None,
            json!({"refreshToken": refresh})
        )
        .await
        .status,
        401
    );
}

#[tokio::test]
async fn the_throttle_budget_is_shared_between_nodes() {
    let a = TestServer::spawn().await;
    let b = a.second_node().await;
    let e = email("shared");
    a.sign_up(&e, "correct horse battery").await;
    for i in 0..10 {
        let node = if i % 2 == 0 { &a } else { &b };
        assert_eq!(node.auth(&e, "wrong").await.status, 403);
    }
    assert_eq!(a.auth(&e, "wrong").await.status, 429);
    assert_eq!(b.auth(&e, "wrong").await.status, 429);
}

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

/// A project imported through one node's database (as `openentry project import` does) is
/// served by every node once its poller sees the new revision. The poller's period is what
/// bounds the delay (500 ms by default, so new content is everywhere within a second); this
/// node polls every 5 ms so the test is quick, and it asks without sleeping until it sees the
/// change.
#[tokio::test]
async fn an_imported_revision_is_served_by_every_node() {
    let a = TestServer::spawn().await;
    let b = a
        .second_node_with(|c| c.project_poll = std::time::Duration::from_millis(5))
        .await;
    let path = "/api/content/products/16?langCode=en_US";
    let before = b.get(path, None).await;
    assert_eq!(before.status, 200);
    let old_title = before.body["localizeInfos"]["en_US"]["title"].clone();

    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        a.database_url.clone(),
    ))
    .await
    .unwrap();
    // The stored definition changed and imported again, as an operator's edit would be.
    let mut def = openentry_store::project::load(&db)
        .await
        .unwrap()
        .definition;
    let product = def.products.iter_mut().find(|p| p.id == 16).unwrap();
    product
        .title
        .insert("en_US".to_owned(), "Renamed by an import".to_owned());
    let now = openentry_domain::clock::Clock::now(&a.clock);
    let report = openentry_store::project::import(&db, &def, now)
        .await
        .unwrap();
    assert!(report.changed, "{report:?}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let now = b.get(path, None).await;
        assert_eq!(now.status, 200);
        let title = &now.body["localizeInfos"]["en_US"]["title"];
        if title == "Renamed by an import" {
            break;
        }
        assert_eq!(
            *title, old_title,
            "only the old or the new title is ever served"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "node b never served the new revision"
        );
    }
    // And the node that imported (it polls too) serves it as well.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while a.get(path, None).await.body["localizeInfos"]["en_US"]["title"] != "Renamed by an import"
    {
        assert!(
            std::time::Instant::now() < deadline,
            "node a never reloaded"
        );
    }
}

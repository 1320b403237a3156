//! The first events of a project (and the first start after upgrading from a version without
//! the relay) do not send the past: outbox rows written before the project had events are
//! marked skipped by the import that brings the events, and only later rows are delivered.

use super::*;

#[tokio::test]
async fn rows_written_before_the_project_had_events_are_skipped_not_sent() {
    let (r, url) = receiver().await;
    // A shop without events; the relay never ran, as before an upgrade.
    let old = TestServer::spawn_with(
        |c| c.relay.interval = None,
        openentry_testkit::test_catalog(),
    )
    .await;
    let mut before = Vec::new();
    for _ in 0..2 {
        before.push(paid_order(&old).await);
    }
    // The upgrade imports a definition with events (a paid order fires `order_paid`).
    let ProjectSource::File(file) = catalog_with_events(&url) else {
        unreachable!()
    };
    let text = std::fs::read_to_string(file).unwrap();
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        old.database_url.clone(),
    ))
    .await
    .unwrap();
    let media =
        openentry_server::media::local::LocalDir::open(old.media_dir.as_ref().unwrap()).unwrap();
    openentry_server::project::import_text(&db, &media, &old.clock, "upgrade.toml", &text)
        .await
        .unwrap();
    db.close().await;
    let new = old
        .second_node_with(|c| {
            c.relay.interval = None;
            c.relay.allow_private_targets = true;
            c.secrets
                .0
                .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
        })
        .await;
    let after = paid_order(&new).await;
    let report = pass(&new).await;
    assert_eq!(report["sent"], 1, "{report}");
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["data"]["aggregateId"], after);
    assert!(!before.contains(&after));
    // Nothing of the old orders is pending either.
    assert_eq!(pass(&new).await["routed"], 0);
    assert_eq!(log(&new).await.len(), 1);
    new.stop().await;
}

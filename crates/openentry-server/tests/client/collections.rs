//! IntegrationCollections: every method, on tests/sdk/collections.toml.

use std::path::PathBuf;

use openentry_client::types::collections::CollectionRowRequest;
use openentry_client::{Page, StatusCode};
use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use serde_json::json;

use crate::{api_error, client};

fn project() -> ProjectSource {
    ProjectSource::File(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/collections.toml"
    )))
}

fn store(name: &str) -> CollectionRowRequest {
    CollectionRowRequest {
        form_identifier: json!("store_form"),
        form_data: json!({"en_US": [{"marker": "name", "type": "string", "value": name}]}),
        entity_type: json!("cities"),
        entity_id: json!(7),
    }
}

#[tokio::test]
async fn every_integration_collections_method() {
    let s = TestServer::spawn_with(|_| {}, project()).await;
    let visitor = client(&s).integration_collections();
    let op_client = client(&s);
    op_client.set_access_token(Some(s.admin_token.clone()));
    let op = op_client.integration_collections();

    let all = visitor.get_i_collections(Page::default()).await.unwrap();
    assert_eq!(all.len(), 4);
    let stores = visitor.get_i_collection_by_id(all[0].id).await.unwrap();
    assert_eq!(stores, all[0]);
    assert!(
        visitor
            .validate_i_collection_marker("stores")
            .await
            .unwrap()
            .valid
    );
    assert!(
        !visitor
            .validate_i_collection_marker("nope")
            .await
            .unwrap()
            .valid
    );

    let err = visitor.create_i_collection_row("stores", &store("x")).await;
    assert_eq!(api_error(err).0, StatusCode::FORBIDDEN);
    let row = op
        .create_i_collection_row("stores", &store("Main"))
        .await
        .unwrap();
    assert_eq!(row.form_data["en_US"][0].value, json!("Main"));
    assert_eq!(
        (row.entity_type.as_deref(), row.entity_id),
        (Some("cities"), Some(7))
    );
    let listed = visitor
        .get_i_collection_rows_by_marker("stores")
        .await
        .unwrap();
    assert_eq!((listed.total, &listed.items[0]), (1, &row));
    let by_entity = visitor
        .get_i_collection_rows_by_id(stores.id, Page::default(), Some(("cities", 7)))
        .await
        .unwrap();
    assert_eq!(by_entity.items, std::slice::from_ref(&row));
    let none = visitor
        .get_i_collection_rows_by_id(stores.id, Page::default(), Some(("cities", 8)))
        .await
        .unwrap();
    assert_eq!(none.total, 0);

    let changed = op
        .update_i_collection_row("stores", row.id, &store("Annex"))
        .await
        .unwrap();
    assert_eq!(changed.form_data["en_US"][0].value, json!("Annex"));
    let one = visitor
        .get_i_collection_row_by_marker_and_id("stores", row.id)
        .await
        .unwrap();
    assert_eq!(one, changed);
    assert!(
        op.delete_i_collection_row_by_marker_and_id("stores", row.id)
            .await
            .unwrap()
    );
    let gone = visitor
        .get_i_collection_row_by_marker_and_id("stores", row.id)
        .await;
    assert_eq!(api_error(gone).0, StatusCode::NOT_FOUND);
}

//! `IntegrationCollections`: `/api/content/integration-collections` (docs/wire.md §6.18).
//! Reads of public collections need no user; writes and private rows need the user (or the
//! admin token) the collection names.

use openentry_types::collections::{
    Collection, CollectionMarkerValidation, CollectionRow, CollectionRowRequest, CollectionRows,
};
use reqwest::Method;

use crate::transport::Req;
use crate::{OneEntry, Page, Result};

const PREFIX: &str = "integration-collections";

/// Integration collections and their rows.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// let rows = client.integration_collections().get_i_collection_rows_by_marker("stores").await?;
/// for row in &rows.items {
///     println!("#{} {:?}", row.id, row.form_data);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct IntegrationCollections {
    client: OneEntry,
}

impl IntegrationCollections {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    fn paged(&self, page: Page) -> Vec<(&'static str, String)> {
        let mut query = self.client.lang_query();
        query.extend([
            ("offset", page.offset.to_string()),
            ("limit", page.limit.to_string()),
        ]);
        query
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&CollectionRowRequest>,
    ) -> Result<T> {
        let mut path = vec![PREFIX];
        path.extend_from_slice(segments);
        let url = self.client.inner().url(&path, query);
        let req = Req::new(method, url);
        let req = match body {
            Some(b) => req.json(b)?,
            None => req,
        };
        self.client.inner().call(req).await
    }

    /// `getICollections`: a page of the project's collections (a bare list).
    pub async fn get_i_collections(&self, page: Page) -> Result<Vec<Collection>> {
        self.send(Method::GET, &[], &self.paged(page), None).await
    }

    /// `getICollectionById`: one collection.
    pub async fn get_i_collection_by_id(&self, id: i64) -> Result<Collection> {
        let id = id.to_string();
        let query = self.client.lang_query();
        self.send(Method::GET, &[&id], &query, None).await
    }

    /// `getICollectionRowsById`: a page of a collection's rows, optionally only those about one
    /// entity (`entityType`, `entityId`).
    pub async fn get_i_collection_rows_by_id(
        &self,
        id: i64,
        page: Page,
        entity: Option<(&str, i64)>,
    ) -> Result<CollectionRows> {
        let mut query = self.paged(page);
        if let Some((kind, entity_id)) = entity {
            query.extend([
                ("entityType", kind.to_owned()),
                ("entityId", entity_id.to_string()),
            ]);
        }
        let id = id.to_string();
        self.send(Method::GET, &[&id, "rows"], &query, None).await
    }

    /// `validateICollectionMarker`: whether the marker names a collection.
    pub async fn validate_i_collection_marker(
        &self,
        marker: &str,
    ) -> Result<CollectionMarkerValidation> {
        self.send(Method::GET, &["marker-validation", marker], &[], None)
            .await
    }

    /// `getICollectionRowsByMarker`: the first page of a collection's rows.
    pub async fn get_i_collection_rows_by_marker(&self, marker: &str) -> Result<CollectionRows> {
        let query = self.client.lang_query();
        self.send(Method::GET, &["marker", marker, "rows"], &query, None)
            .await
    }

    /// `getICollectionRowByMarkerAndId`: one row.
    pub async fn get_i_collection_row_by_marker_and_id(
        &self,
        marker: &str,
        id: i64,
    ) -> Result<CollectionRow> {
        let id = id.to_string();
        let query = self.client.lang_query();
        self.send(Method::GET, &["marker", marker, "rows", &id], &query, None)
            .await
    }

    /// `createICollectionRow`: adds a row (owned by the signed-in user, if any).
    pub async fn create_i_collection_row(
        &self,
        marker: &str,
        body: &CollectionRowRequest,
    ) -> Result<CollectionRow> {
        let query = self.client.lang_query();
        self.send(
            Method::POST,
            &["marker", marker, "rows"],
            &query,
            Some(body),
        )
        .await
    }

    /// `updateICollectionRow`: replaces one of the caller's rows in the languages given.
    pub async fn update_i_collection_row(
        &self,
        marker: &str,
        id: i64,
        body: &CollectionRowRequest,
    ) -> Result<CollectionRow> {
        let id = id.to_string();
        let query = self.client.lang_query();
        self.send(
            Method::PUT,
            &["marker", marker, "rows", &id],
            &query,
            Some(body),
        )
        .await
    }

    /// `deleteICollectionRowByMarkerAndId`: deletes one of the caller's rows.
    pub async fn delete_i_collection_row_by_marker_and_id(
        &self,
        marker: &str,
        id: i64,
    ) -> Result<bool> {
        let id = id.to_string();
        self.send(Method::DELETE, &["marker", marker, "rows", &id], &[], None)
            .await
    }
}

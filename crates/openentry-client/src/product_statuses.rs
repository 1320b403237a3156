//! `ProductStatuses`: `/api/content/product-statuses` (docs/wire.md §6.6). Wire quirk: the SDK
//! sends no `langCode` here; titles come as whole `{"<lang>": …}` maps.

use openentry_types::catalog::{MarkerValidation, ProductStatus};
use reqwest::Method;

use crate::transport::Req;
use crate::{OneEntry, Result};

/// Product statuses.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// let statuses = client.product_statuses();
/// if statuses.validate_marker("in_stock").await? {
///     let s = statuses.get_products_by_status_marker("in_stock").await?;
///     println!("{:?}", s.localize_infos);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ProductStatuses {
    client: OneEntry,
}

impl ProductStatuses {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, segments: &[&str]) -> Result<T> {
        let mut path = vec!["product-statuses"];
        path.extend_from_slice(segments);
        let url = self.client.inner().url(&path, &[]);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getProductStatuses`: every status.
    pub async fn get_product_statuses(&self) -> Result<Vec<ProductStatus>> {
        self.get(&[]).await
    }

    /// `getProductsByStatusMarker`: one status, by marker.
    pub async fn get_products_by_status_marker(&self, marker: &str) -> Result<ProductStatus> {
        self.get(&["marker", marker]).await
    }

    /// `validateMarker`: whether a status with this marker exists.
    pub async fn validate_marker(&self, marker: &str) -> Result<bool> {
        let answer: MarkerValidation = self.get(&["marker-validation", marker]).await?;
        Ok(answer.valid)
    }
}

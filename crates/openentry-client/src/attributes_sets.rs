//! `AttributesSets`: `/api/content/attributes-sets` (docs/wire.md §6.11).

use openentry_types::catalog::{Attribute, AttributeSet, AttributeSetList};
use reqwest::Method;

use crate::transport::Req;
use crate::{OneEntry, Result};

/// Arguments of `getAttributes` after `langCode`: paging, a type filter and the sort key.
///
/// ```
/// use openentry_client::AttributesQuery;
/// let q = AttributesQuery { type_id: Some(1), ..AttributesQuery::default() };
/// assert_eq!((q.offset, q.limit, q.sort_by.as_str()), (0, 30, "id"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributesQuery {
    /// Sets to skip.
    pub offset: u32,
    /// Sets to return.
    pub limit: u32,
    /// Only sets of this type (`1`: product).
    pub type_id: Option<i64>,
    /// `id` (the SDK's default), `position`, `identifier` or `title`.
    pub sort_by: String,
}

impl Default for AttributesQuery {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 30,
            type_id: None,
            sort_by: "id".to_owned(),
        }
    }
}

/// Attribute sets and their attributes.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// let price = client.attributes_sets().get_single_attribute_by_marker_set("product", "price").await?;
/// assert!(price.is_price);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AttributesSets {
    client: OneEntry,
}

impl AttributesSets {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<T> {
        let mut path = vec!["attributes-sets"];
        path.extend_from_slice(segments);
        let url = self.client.inner().url(&path, query);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getAttributes`: a page of attribute sets.
    pub async fn get_attributes(&self, query: &AttributesQuery) -> Result<AttributeSetList> {
        let mut pairs = self.client.lang_query();
        pairs.extend([
            ("offset", query.offset.to_string()),
            ("limit", query.limit.to_string()),
        ]);
        if let Some(type_id) = query.type_id {
            pairs.push(("typeId", type_id.to_string()));
        }
        pairs.push(("sortBy", query.sort_by.clone()));
        self.get(&[], &pairs).await
    }

    /// `getAttributesByMarker`: the attributes of a set.
    pub async fn get_attributes_by_marker(&self, marker: &str) -> Result<Vec<Attribute>> {
        self.get(&[marker, "attributes"], &self.client.lang_query())
            .await
    }

    /// `getSingleAttributeByMarkerSet`: one attribute of a set.
    pub async fn get_single_attribute_by_marker_set(
        &self,
        set_marker: &str,
        attribute_marker: &str,
    ) -> Result<Attribute> {
        self.get(
            &[set_marker, "attributes", attribute_marker],
            &self.client.lang_query(),
        )
        .await
    }

    /// `getAttributeSetByMarker`: one set.
    pub async fn get_attribute_set_by_marker(&self, marker: &str) -> Result<AttributeSet> {
        self.get(&["marker", marker], &self.client.lang_query())
            .await
    }
}

//! `Products`: `/api/content/products` (docs/wire.md §6.5), public and read-only.

use openentry_types::catalog::{
    Product, ProductCounts, ProductFilter, ProductGroup, ProductList, ProductPriceList, SearchHit,
};
use reqwest::{Method, Url};
use serde_json::{Value, json};

use crate::transport::Req;
use crate::{OneEntry, Result};

/// The SDK's `userQuery` of product lists: paging, sorting and a filter given in the query.
/// Unset keys are not sent (the server's defaults: offset 0, limit 30, `position`
/// descending).
///
/// ```
/// use openentry_client::ProductsQuery;
///
/// let q = ProductsQuery { sort_key: Some("price".into()), sort_order: Some("ASC".into()), ..ProductsQuery::page(0, 10) };
/// assert_eq!(q.limit, Some(10));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductsQuery {
    /// Items to skip.
    pub offset: Option<u32>,
    /// Items to return (at most 1,000).
    pub limit: Option<u32>,
    /// `ASC` or `DESC`.
    pub sort_order: Option<String>,
    /// `id`, `position`, `title`, `date` or `price`.
    pub sort_key: Option<String>,
    /// Only products in this status.
    pub status_marker: Option<String>,
    /// A filter in the query: the attribute…
    pub attribute_marker: Option<String>,
    /// …the condition (`eq`, `neq`, `in`, `nin`, `mth`, `lth`, `exs`, `nexs`)…
    pub condition_marker: Option<String>,
    /// …and the value.
    pub condition_value: Option<String>,
    /// Accepted by the server and ignored.
    pub sign_price: Option<String>,
    /// Accepted by the server and ignored.
    pub template_marker: Option<String>,
}

impl ProductsQuery {
    /// Only paging.
    pub fn page(offset: u32, limit: u32) -> Self {
        Self {
            offset: Some(offset),
            limit: Some(limit),
            ..Self::default()
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let numbers = [("offset", self.offset), ("limit", self.limit)];
        let texts = [
            ("sortOrder", &self.sort_order),
            ("sortKey", &self.sort_key),
            ("statusMarker", &self.status_marker),
            ("attributeMarker", &self.attribute_marker),
            ("conditionMarker", &self.condition_marker),
            ("conditionValue", &self.condition_value),
            ("signPrice", &self.sign_price),
            ("templateMarker", &self.template_marker),
        ];
        numbers
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v.to_string())))
            .chain(
                texts
                    .into_iter()
                    .filter_map(|(k, v)| v.clone().map(|v| (k, v))),
            )
            .collect()
    }
}

/// The catalog's products.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// use openentry_client::ProductsQuery;
///
/// let page = client.products().get_products(&[], &ProductsQuery::page(0, 10)).await?;
/// for p in &page.items {
///     println!("{} {:?}", p.id, p.price);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Products {
    client: OneEntry,
}

impl Products {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    fn url(&self, segments: &[&str], query: Option<&ProductsQuery>) -> Url {
        let mut pairs = query.map(ProductsQuery::pairs).unwrap_or_default();
        pairs.extend(self.client.lang_query());
        let mut path = vec!["products"];
        path.extend_from_slice(segments);
        self.client.inner().url(&path, &pairs)
    }

    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        filters: &[ProductFilter],
        query: &ProductsQuery,
    ) -> Result<T> {
        let req = Req::new(Method::POST, self.url(segments, Some(query)))
            .json(&json!({ "filter": filters }))?;
        self.client.inner().call(req).await
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: Option<&ProductsQuery>,
    ) -> Result<T> {
        let req = Req::new(Method::GET, self.url(segments, query));
        self.client.inner().call(req).await
    }

    async fn count(&self, segments: &[&str], filters: &[ProductFilter]) -> Result<ProductCounts> {
        let mut path = vec!["products"];
        path.extend_from_slice(segments);
        let url = self.client.inner().url(&path, &[]);
        // Wire quirk: the count routes take the bare filter list, not `{"filter": …}`.
        let req = Req::new(Method::POST, url).json(&filters)?;
        self.client.inner().call(req).await
    }

    /// `getProducts`: a page of the whole catalog matching `filters` (items combine with AND).
    pub async fn get_products(
        &self,
        filters: &[ProductFilter],
        query: &ProductsQuery,
    ) -> Result<ProductList> {
        self.list(&["all"], filters, query).await
    }

    /// `getProductsEmptyPage`: the products that are on no page, as one group
    /// (`attrValue` `""`).
    pub async fn get_products_empty_page(
        &self,
        filters: &[ProductFilter],
        query: &ProductsQuery,
    ) -> Result<Vec<ProductGroup>> {
        self.list(&["empty-page"], filters, query).await
    }

    /// `getProductsByPageId`: products of a page, by the page's id.
    pub async fn get_products_by_page_id(
        &self,
        id: i64,
        filters: &[ProductFilter],
        query: &ProductsQuery,
    ) -> Result<ProductList> {
        self.list(&["page", &id.to_string()], filters, query).await
    }

    /// `getProductsPriceByPageUrl`: ids and prices of a page's priced products.
    pub async fn get_products_price_by_page_url(
        &self,
        url: &str,
        query: &ProductsQuery,
    ) -> Result<ProductPriceList> {
        self.get(&["page", url, "prices"], Some(query)).await
    }

    /// `getProductsByPageUrl`: products of a page, by its URL.
    pub async fn get_products_by_page_url(
        &self,
        url: &str,
        filters: &[ProductFilter],
        query: &ProductsQuery,
    ) -> Result<ProductList> {
        self.list(&["page", "url", url], filters, query).await
    }

    /// `getRelatedProductsById`: the products a product names as related.
    pub async fn get_related_products_by_id(
        &self,
        id: i64,
        query: &ProductsQuery,
    ) -> Result<ProductList> {
        self.get(&[&id.to_string(), "related"], Some(query)).await
    }

    /// `getProductsByIds`: the listed products among `ids`.
    pub async fn get_products_by_ids(
        &self,
        ids: &[i64],
        query: &ProductsQuery,
    ) -> Result<Vec<Product>> {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        let mut pairs = vec![("ids", ids.join(","))];
        pairs.extend(query.pairs());
        pairs.extend(self.client.lang_query());
        let url = self.client.inner().url(&["products", "ids"], &pairs);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getProductById`: one product.
    pub async fn get_product_by_id(&self, id: i64) -> Result<Product> {
        self.get(&[&id.to_string()], None).await
    }

    /// `getProductBlockById`: the blocks of a product page (none are defined yet: `[]`).
    pub async fn get_product_block_by_id(&self, id: i64) -> Result<Vec<Value>> {
        let url = self
            .client
            .inner()
            .url(&["products", &id.to_string(), "blocks"], &[]);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// The quick search alone (`searchProduct` with the SDK's `traficLimit`): ids and titles
    /// of the products whose title contains `name`.
    pub async fn quick_search(&self, name: &str) -> Result<Vec<SearchHit>> {
        let mut pairs = self.client.lang_query();
        pairs.push(("name", name.to_owned()));
        let url = self
            .client
            .inner()
            .url(&["products", "quick", "search"], &pairs);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `searchProduct`: the quick search, then each hit as a full product, in hit order.
    pub async fn search_product(&self, name: &str) -> Result<Vec<Product>> {
        let mut products = Vec::new();
        for hit in self.quick_search(name).await? {
            products.push(self.get_product_by_id(hit.id).await?);
        }
        Ok(products)
    }

    /// `getProductsCount`: how many products match `filters` in the catalog.
    pub async fn get_products_count(&self, filters: &[ProductFilter]) -> Result<ProductCounts> {
        self.count(&["all", "counts"], filters).await
    }

    /// `getProductsCountByPageId`: the same, on a page given by id.
    pub async fn get_products_count_by_page_id(
        &self,
        id: i64,
        filters: &[ProductFilter],
    ) -> Result<ProductCounts> {
        self.count(&["page", &id.to_string(), "counts"], filters)
            .await
    }

    /// `getProductsCountByPageUrl`: the same, on a page given by URL.
    pub async fn get_products_count_by_page_url(
        &self,
        url: &str,
        filters: &[ProductFilter],
    ) -> Result<ProductCounts> {
        self.count(&["page", "url", url, "counts"], filters).await
    }
}

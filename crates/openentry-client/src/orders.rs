//! `Orders`: `/api/content/orders-storage` and `/api/content/orders/{id}/refund` (docs/wire.md
//! §6.2). Every call but the storage and status reads needs a signed-in user.

use openentry_types::orders::{
    Order, OrderCreated, OrderList, OrderPreview, OrderRequest, OrderStatus, OrderStorage,
    PreviewRequest, RefundRequest, RefundRequestBody,
};
use reqwest::Method;

use crate::transport::Req;
use crate::{IdempotencyKey, OneEntry, Page, Result};

/// Order storages, orders and refund requests.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// use openentry_client::Page;
///
/// let orders = client.orders();
/// let mine = orders.get_all_orders_by_marker("orders", Page::default()).await?;
/// for o in &mine.items {
///     println!("#{} {} {} {}", o.id, o.status_identifier, o.total_sum, o.currency);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Orders {
    client: OneEntry,
}

impl Orders {
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

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<T> {
        let mut path = vec!["orders-storage"];
        path.extend_from_slice(segments);
        let url = self.client.inner().url(&path, query);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getAllOrdersStorage`: the project's order storages.
    pub async fn get_all_orders_storage(&self, page: Page) -> Result<Vec<OrderStorage>> {
        self.get(&[], &self.paged(page)).await
    }

    /// `getOrdersStorageByMarker`: one storage.
    pub async fn get_orders_storage_by_marker(&self, marker: &str) -> Result<OrderStorage> {
        self.get(&["marker", marker], &self.client.lang_query())
            .await
    }

    /// `getAllStatusesByStorageMarker`: the statuses of a storage.
    pub async fn get_all_statuses_by_storage_marker(
        &self,
        marker: &str,
        page: Page,
    ) -> Result<Vec<OrderStatus>> {
        self.get(&["marker", marker, "order-statuses"], &self.paged(page))
            .await
    }

    /// `getAllOrdersByMarker`: a page of the user's orders in a storage, newest first.
    pub async fn get_all_orders_by_marker(&self, marker: &str, page: Page) -> Result<OrderList> {
        self.get(&["marker", marker, "orders"], &self.paged(page))
            .await
    }

    /// `getOrderByMarkerAndId`: one of the user's orders (`totalSum` is a string here).
    pub async fn get_order_by_marker_and_id(&self, marker: &str, id: i64) -> Result<Order> {
        self.get(
            &["marker", marker, "orders", &id.to_string()],
            &self.client.lang_query(),
        )
        .await
    }

    /// `createOrder`: orders the cart; the server prices it. Sent with a fresh
    /// `Idempotency-Key`, reused if the client has to send the call again. `formData` is
    /// wrapped as `{"<lang>": [items]}`, as the SDK does.
    pub async fn create_order(&self, marker: &str, body: &OrderRequest) -> Result<OrderCreated> {
        self.create_order_with_key(marker, body, IdempotencyKey::generate()?)
            .await
    }

    /// `createOrder` with a key of your own: the same key with the same body answers the
    /// first order again (422 with another body), even from another process.
    pub async fn create_order_with_key(
        &self,
        marker: &str,
        body: &OrderRequest,
        key: IdempotencyKey,
    ) -> Result<OrderCreated> {
        let body = self.wrapped(body);
        // Wire quirk: createOrder is the one Orders call without a query string.
        let url = self
            .client
            .inner()
            .url(&["orders-storage", "marker", marker, "orders"], &[]);
        let req = Req::new(Method::POST, url).json(&body)?.key(key);
        self.client.inner().call(req).await
    }

    /// `updateOrderByMarkerAndId`: changes the cart, form data or payment account (while the
    /// order is in its storage's default status), or the status along the customer
    /// transitions (`status_identifier`).
    pub async fn update_order_by_marker_and_id(
        &self,
        marker: &str,
        id: i64,
        body: &OrderRequest,
    ) -> Result<OrderCreated> {
        let body = self.wrapped(body);
        let url = self.client.inner().url(
            &[
                "orders-storage",
                "marker",
                marker,
                "orders",
                &id.to_string(),
            ],
            &self.client.lang_query(),
        );
        let req = Req::new(Method::PUT, url).json(&body)?;
        self.client.inner().call(req).await
    }

    /// `previewOrder`: what a cart would cost, without ordering.
    pub async fn preview_order(&self, body: &PreviewRequest) -> Result<OrderPreview> {
        let url = self.client.inner().url(
            &["orders-storage", "orders", "preview"],
            &self.client.lang_query(),
        );
        let req = Req::new(Method::POST, url).json(body)?;
        self.client.inner().call(req).await
    }

    /// `getRefunds`: the refund requests of an order.
    pub async fn get_refunds(&self, id: i64) -> Result<Vec<RefundRequest>> {
        let req = Req::new(Method::GET, self.refund_url(id));
        self.client.inner().call(req).await
    }

    /// `createRefundRequest`: asks to refund units of a paid order.
    pub async fn create_refund_request(&self, id: i64, body: &RefundRequestBody) -> Result<bool> {
        let req = Req::new(Method::POST, self.refund_url(id)).json(body)?;
        self.client.inner().call(req).await
    }

    /// `cancelRefundRequest`: withdraws the open refund request of an order.
    pub async fn cancel_refund_request(&self, id: i64) -> Result<bool> {
        let req = Req::new(Method::DELETE, self.refund_url(id));
        self.client.inner().call(req).await
    }

    fn refund_url(&self, id: i64) -> reqwest::Url {
        self.client
            .inner()
            .url(&["orders", &id.to_string(), "refund"], &[])
    }

    fn wrapped(&self, body: &OrderRequest) -> OrderRequest {
        let mut body = body.clone();
        crate::wrap_form_data(&mut body.form_data, self.client.lang_code());
        body
    }
}

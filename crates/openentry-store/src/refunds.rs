//! Customers' refund requests.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::refunds::RefundStatus;
use openentry_types::orders::RefundQuantity;
use openentry_types::paging::Paging;

use crate::db::{Count, Id, q};
use crate::json::JsonText;
use crate::{Exec, StoreError};

/// A stored refund request.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct RefundRecord {
    /// Id.
    pub id: i64,
    /// Order id.
    pub order_id: i64,
    /// Customer.
    pub user_id: Option<i64>,
    /// Where the request stands. An unknown stored name is a decoding error.
    #[sqlx(try_from = "String")]
    pub status: RefundStatus,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Note.
    pub note: String,
    /// Product id → `{quantity}`.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub products: BTreeMap<String, RefundQuantity>,
    /// Created.
    pub created_at: i64,
}

/// A new request.
#[derive(Debug, Clone)]
pub struct NewRefund<'a> {
    /// Order id.
    pub order_id: i64,
    /// Customer.
    pub user_id: i64,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Note.
    pub note: &'a str,
    /// JSON product id → `{quantity}`.
    pub products: &'a str,
}

/// Stores a pending request; a second pending request for the order is a
/// [`StoreError::Conflict`] (a partial unique index enforces one).
pub async fn insert(
    mut e: impl Exec,
    r: &NewRefund<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row: Id = e.executor().one(
            q("INSERT INTO refund_requests (order_id, user_id, status, amount_minor, note, products, created_at, updated_at)
               VALUES ($1, $2, 'pending', $3, $4, $5, $6, $6) RETURNING id")
            .bind(r.order_id)
            .bind(r.user_id)
            .bind(r.amount_minor)
            .bind(r.note)
            .bind(r.products)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// Every request of an order, oldest first.
pub async fn list_for_order(
    mut e: impl Exec,
    order_id: i64,
) -> Result<Vec<RefundRecord>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT id, order_id, user_id, status, amount_minor, note, products, created_at
               FROM refund_requests WHERE order_id = $1 ORDER BY id",
            )
            .bind(order_id),
        )
        .await
}

/// Cancels the pending request of an order; returns its id, if there was one.
pub async fn cancel_pending(
    mut e: impl Exec,
    order_id: i64,
    now: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let row: Option<Id> = e
        .executor()
        .opt(
            q(
                "UPDATE refund_requests SET status = 'canceled', updated_at = $2
               WHERE order_id = $1 AND status = 'pending' RETURNING id",
            )
            .bind(order_id)
            .bind(now.0),
        )
        .await?;
    Ok(row.map(|r| r.id))
}

/// An operator's decision on the pending request of an order (`approved` or `rejected`);
/// returns the request as decided, if there was one pending. Of concurrent decisions exactly
/// one finds it pending.
pub async fn decide_pending(
    mut e: impl Exec,
    order_id: i64,
    status: RefundStatus,
    now: Timestamp,
) -> Result<Option<RefundRecord>, StoreError> {
    e.executor()
        .opt(
            q("UPDATE refund_requests SET status = $2, updated_at = $3
               WHERE order_id = $1 AND status = 'pending'
               RETURNING id, order_id, user_id, status, amount_minor, note, products, created_at")
            .bind(order_id)
            .bind(status.as_str())
            .bind(now.0),
        )
        .await
}

/// A refund request with what its order adds for the operators' list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct ListedRefund {
    /// Id.
    pub id: i64,
    /// Order id.
    pub order_id: i64,
    /// Customer.
    pub user_id: Option<i64>,
    /// Where the request stands.
    #[sqlx(try_from = "String")]
    pub status: RefundStatus,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// Note.
    pub note: String,
    /// Product id → `{quantity}`.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub products: BTreeMap<String, RefundQuantity>,
    /// Created.
    pub created_at: i64,
    /// The order's storage.
    pub storage_id: i64,
    /// The order's currency.
    pub currency: String,
}

/// A page of every order's refund requests, newest first, in one status or any (`None`), and
/// how many match in all.
pub async fn list_all(
    mut e: impl Exec,
    status: Option<RefundStatus>,
    page: Paging,
) -> Result<(Vec<ListedRefund>, i64), StoreError> {
    let status = status.map(|s| s.as_str().to_owned());
    let mut c = e.executor();
    let rows = c
        .all(
            q(
                "SELECT r.id, r.order_id, r.user_id, r.status, r.amount_minor, r.note, r.products,
                      r.created_at, o.storage_id, o.currency
               FROM refund_requests r JOIN orders o ON o.id = r.order_id
               WHERE ($1 IS NULL OR r.status = $1)
               ORDER BY r.id DESC LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)",
            )
            .bind(status.clone())
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(
            q("SELECT COUNT(*) AS n FROM refund_requests WHERE ($1 IS NULL OR status = $1)")
                .bind(status),
        )
        .await?;
    Ok((rows, total.n))
}

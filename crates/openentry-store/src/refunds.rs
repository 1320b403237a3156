//! Customers' refund requests.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::refunds::RefundStatus;
use openentry_types::orders::RefundQuantity;

use crate::db::{Id, q};
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

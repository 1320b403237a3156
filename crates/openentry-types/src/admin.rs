//! The operator surface (`/api/admin`, behind the admin token). Not part of the OneEntry
//! SDK: these shapes are OpenEntry's own, written here once so the server, the Rust client and
//! a later console share them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::orders::Order;

/// An event of the outbox (`GET /api/admin/outbox?aggregate=…&id=…`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OutboxEvent {
    /// Id (delivery order).
    pub id: i64,
    /// `order.created`, `payment.session.completed`, …
    pub kind: String,
    /// JSON details.
    pub payload: Value,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A page of all orders, newest first, with their owners (`GET /api/admin/orders`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminOrders {
    /// The page.
    pub items: Vec<AdminOrder>,
    /// Orders in all.
    pub total: i64,
}

/// An order as operators see it: the customer's view plus its owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminOrder {
    /// The owner (`null` for an order without a user).
    pub user_id: Option<i64>,
    /// The order as its owner sees it.
    #[serde(flatten)]
    pub order: Order,
}

/// One change of an order (`GET /api/admin/orders/{id}/history`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// When (RFC 3339).
    pub at: String,
    /// Who (`user:12`, `admin`, `stripe`).
    pub actor: String,
    /// `created`, `status`, `products`, `form`, `refund_requested`, …
    pub kind: String,
    /// JSON details.
    pub detail: Value,
}

/// The body of `PUT /api/admin/orders/{id}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    /// Marker of the new status.
    pub status_identifier: String,
}

/// A stored message, one-time codes until e-mail delivery exists
/// (`GET /api/admin/notifications`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// `email`.
    pub channel: String,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// When it was written (RFC 3339).
    pub created_at: String,
}

/// A payment an operator must look at: an amount or currency that differs from its
/// session's, a payment for a closed order (`GET /api/admin/payments/alerts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Id.
    pub id: i64,
    /// The payment session, when one is known.
    pub session_id: Option<i64>,
    /// The provider's event id.
    pub event_id: String,
    /// What is wrong.
    pub kind: String,
    /// JSON details.
    pub detail: Value,
    /// When (RFC 3339).
    pub created_at: String,
}

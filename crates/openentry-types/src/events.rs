//! Domain events: what changed, who changed it, and the JSON each change is recorded as.
//!
//! Order history rows, outbox rows and (later) outgoing webhooks and WebSocket messages carry
//! these payloads, so they are a public contract: field order and names are pinned by tests
//! below. Detail objects list their keys alphabetically, as they were first written.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::names::UnknownName;

mod alert;
mod catalog;
mod user;
use crate::orders::{RefundQuantity, RefundStatus};
use crate::payments::SessionStatus;
pub use alert::{
    AlertDetail, Amount, AmountMismatchDetail, OrderMismatchDetail, Owed, Reported, UnsettledDetail,
};
pub use catalog::{BackInStock, FormSubmitted, PriceFell};
pub use user::{CodeRequested, UserEvent};

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// A signed-in customer (`user:12`).
    User(i64),
    /// An operator through the admin API (`admin`).
    Admin,
    /// The server itself: expiry, a failed provider call (`system`).
    System,
    /// A Stripe webhook (`stripe`).
    Stripe,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(id) => write!(f, "user:{id}"),
            Self::Admin => f.write_str("admin"),
            Self::System => f.write_str("system"),
            Self::Stripe => f.write_str("stripe"),
        }
    }
}

impl FromStr for Actor {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownName {
            what: "actor",
            found: s.to_owned(),
        };
        match s {
            "admin" => Ok(Self::Admin),
            "system" => Ok(Self::System),
            "stripe" => Ok(Self::Stripe),
            _ => s
                .strip_prefix("user:")
                .and_then(|id| id.parse().ok())
                .map(Self::User)
                .ok_or_else(unknown),
        }
    }
}

impl TryFrom<String> for Actor {
    type Error = UnknownName;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl Serialize for Actor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Actor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

crate::wire_names! {
    /// What an order history row records.
    pub enum HistoryKind: "order history kind" {
        /// Created by its customer.
        Created = "created",
        /// Moved to another status.
        Status = "status",
        /// Its products changed (re-priced).
        Products = "products",
        /// Its form data or payment account changed.
        Form = "form",
        /// A refund was asked for.
        RefundRequested = "refund_requested",
        /// A refund request was withdrawn.
        RefundCanceled = "refund_canceled",
        /// An operator approved or rejected a refund request.
        RefundDecided = "refund_decided",
        /// One of its payment sessions moved.
        Payment = "payment",
    }
}

crate::wire_names! {
    /// The kind of an outbox row.
    pub enum EventKind: "event kind" {
        /// See [`HistoryKind::Created`].
        OrderCreated = "order.created",
        /// See [`HistoryKind::Status`].
        OrderStatus = "order.status",
        /// See [`HistoryKind::Products`].
        OrderProducts = "order.products",
        /// See [`HistoryKind::Form`].
        OrderForm = "order.form",
        /// See [`HistoryKind::RefundRequested`].
        OrderRefundRequested = "order.refund_requested",
        /// See [`HistoryKind::RefundCanceled`].
        OrderRefundCanceled = "order.refund_canceled",
        /// See [`HistoryKind::RefundDecided`].
        OrderRefundDecided = "order.refund_decided",
        /// See [`HistoryKind::Payment`].
        OrderPayment = "order.payment",
        /// A payment session was opened.
        SessionCreated = "payment.session.created",
        /// A payment session moved back to waiting (never: the ladder refuses it).
        SessionWaiting = "payment.session.waiting",
        /// A payment session was canceled.
        SessionCanceled = "payment.session.canceled",
        /// A payment session expired.
        SessionExpired = "payment.session.expired",
        /// A payment session was paid.
        SessionCompleted = "payment.session.completed",
        /// A user signed up.
        UserSignedUp = "user.signed_up",
        /// A one-time code was made for a user.
        UserCodeRequested = "user.code_requested",
        /// A user's password was changed (with a code).
        UserPasswordChanged = "user.password_changed",
        /// A product's price fell (see [`PriceFell`]).
        ProductPriceFell = "product.price_fell",
        /// A product came back in stock (see [`BackInStock`]).
        ProductBackInStock = "product.back_in_stock",
        /// A form was submitted (see [`FormSubmitted`]).
        FormSubmitted = "form.submitted",
    }
}

crate::wire_names! {
    /// What an event is about.
    pub enum Aggregate: "aggregate" {
        /// An order.
        Order = "order",
        /// A payment session.
        PaymentSession = "payment_session",
        /// A user account.
        User = "user",
        /// A product of the catalog.
        Product = "product",
        /// A form submission.
        FormData = "form_data",
    }
}

crate::wire_names! {
    /// Why an operator is alerted about a payment.
    pub enum AlertKind: "alert kind" {
        /// A payment completed on a canceled or closed order.
        PaymentOnClosedOrder = "payment_on_closed_order",
        /// An order was paid a second time.
        SecondPayment = "second_payment",
        /// The session paid less than the order's current total.
        AmountBelowOrderTotal = "amount_below_order_total",
        /// The provider event names another order than the session's.
        OrderMismatch = "order_mismatch",
        /// The provider charged another amount or currency than the session's.
        AmountMismatch = "amount_mismatch",
    }
}

/// `created`: the order as first stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Created {
    /// ISO 4217 code.
    pub currency: String,
    /// `(product id, quantity)` pairs.
    pub products: Vec<(i64, i64)>,
    /// The status marker.
    pub status: String,
    /// Total, minor units.
    pub total_minor: i64,
}

/// `status`: a move between two status markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatusChanged {
    /// The old status marker (empty when the old status is gone from the project).
    pub from: String,
    /// The session whose end moved the order, if a payment moved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_session_id: Option<i64>,
    /// The new status marker.
    pub to: String,
}

/// `products`: new quantities and total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductsChanged {
    /// `(product id, quantity)` pairs after the change.
    pub after: Vec<(i64, i64)>,
    /// Product id → quantity before the change.
    pub before: BTreeMap<i64, i64>,
    /// The new total, minor units.
    pub total_minor: i64,
}

/// `refund_requested`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundRequested {
    /// Amount asked for, minor units.
    pub amount_minor: i64,
    /// Product id → units.
    pub products: BTreeMap<String, RefundQuantity>,
    /// The request.
    pub refund_id: i64,
}

/// `refund_canceled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundCanceled {
    /// The request.
    pub refund_id: i64,
}

/// `refund_decided`: an operator's decision on a refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundDecided {
    /// Its amount, minor units.
    pub amount_minor: i64,
    /// The request.
    pub refund_id: i64,
    /// `approved` or `rejected`.
    pub status: RefundStatus,
}

/// `payment`: one of the order's sessions moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PaymentMoved {
    /// The session.
    pub session_id: i64,
    /// Its new status.
    pub status: SessionStatus,
}

/// What changed in an order: the `detail` of a history row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum OrderChange {
    /// See [`Created`].
    Created(Created),
    /// See [`StatusChanged`].
    Status(StatusChanged),
    /// See [`ProductsChanged`].
    Products(ProductsChanged),
    /// Form data or payment account changed; the detail is `{}`.
    Form {},
    /// See [`RefundRequested`].
    RefundRequested(RefundRequested),
    /// See [`RefundCanceled`].
    RefundCanceled(RefundCanceled),
    /// See [`RefundDecided`].
    RefundDecided(RefundDecided),
    /// See [`PaymentMoved`].
    Payment(PaymentMoved),
}

impl OrderChange {
    /// The history kind.
    pub fn kind(&self) -> HistoryKind {
        match self {
            Self::Created(_) => HistoryKind::Created,
            Self::Status(_) => HistoryKind::Status,
            Self::Products(_) => HistoryKind::Products,
            Self::Form {} => HistoryKind::Form,
            Self::RefundRequested(_) => HistoryKind::RefundRequested,
            Self::RefundCanceled(_) => HistoryKind::RefundCanceled,
            Self::RefundDecided(_) => HistoryKind::RefundDecided,
            Self::Payment(_) => HistoryKind::Payment,
        }
    }
}

/// An order change with its order and actor: the payload of an `order.<kind>` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderEvent {
    /// The order.
    pub order_id: i64,
    /// Who.
    pub actor: Actor,
    /// What.
    pub detail: OrderChange,
}

/// `payment.session.created`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionCreated {
    /// Amount, minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// The order.
    pub order_id: i64,
    /// The session.
    pub session_id: i64,
}

/// `payment.session.<to>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionMoved {
    /// Who.
    pub actor: Actor,
    /// The old status.
    pub from: SessionStatus,
    /// The order.
    pub order_id: i64,
    /// The session.
    pub session_id: i64,
    /// The new status.
    pub to: SessionStatus,
}

/// One domain event, as written to the outbox in the transaction of its change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum DomainEvent {
    /// An order changed.
    Order(OrderEvent),
    /// A payment session was opened.
    SessionCreated(SessionCreated),
    /// A payment session moved.
    SessionMoved(SessionMoved),
    /// A user signed up.
    SignedUp(UserEvent),
    /// A one-time code was made for a user.
    CodeRequested(CodeRequested),
    /// A user's password was changed.
    PasswordChanged(UserEvent),
    /// A product's price fell.
    PriceFell(PriceFell),
    /// A product came back in stock.
    BackInStock(BackInStock),
    /// A form was submitted.
    FormSubmitted(FormSubmitted),
}

impl DomainEvent {
    /// The outbox kind.
    pub fn kind(&self) -> EventKind {
        match self {
            Self::Order(e) => match e.detail.kind() {
                HistoryKind::Created => EventKind::OrderCreated,
                HistoryKind::Status => EventKind::OrderStatus,
                HistoryKind::Products => EventKind::OrderProducts,
                HistoryKind::Form => EventKind::OrderForm,
                HistoryKind::RefundRequested => EventKind::OrderRefundRequested,
                HistoryKind::RefundCanceled => EventKind::OrderRefundCanceled,
                HistoryKind::RefundDecided => EventKind::OrderRefundDecided,
                HistoryKind::Payment => EventKind::OrderPayment,
            },
            Self::SessionCreated(_) => EventKind::SessionCreated,
            Self::SessionMoved(m) => match m.to {
                SessionStatus::Waiting => EventKind::SessionWaiting,
                SessionStatus::Canceled => EventKind::SessionCanceled,
                SessionStatus::Expired => EventKind::SessionExpired,
                SessionStatus::Completed => EventKind::SessionCompleted,
            },
            Self::SignedUp(_) => EventKind::UserSignedUp,
            Self::CodeRequested(_) => EventKind::UserCodeRequested,
            Self::PasswordChanged(_) => EventKind::UserPasswordChanged,
            Self::PriceFell(_) => EventKind::ProductPriceFell,
            Self::BackInStock(_) => EventKind::ProductBackInStock,
            Self::FormSubmitted(_) => EventKind::FormSubmitted,
        }
    }

    /// What the event is about, and its id.
    pub fn aggregate(&self) -> (Aggregate, i64) {
        match self {
            Self::Order(e) => (Aggregate::Order, e.order_id),
            Self::SessionCreated(c) => (Aggregate::PaymentSession, c.session_id),
            Self::SessionMoved(m) => (Aggregate::PaymentSession, m.session_id),
            Self::SignedUp(u) | Self::PasswordChanged(u) => (Aggregate::User, u.user_id),
            Self::CodeRequested(c) => (Aggregate::User, c.user_id),
            Self::PriceFell(p) => (Aggregate::Product, p.product_id),
            Self::BackInStock(b) => (Aggregate::Product, b.product_id),
            Self::FormSubmitted(f) => (Aggregate::FormData, f.form_data_id),
        }
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;

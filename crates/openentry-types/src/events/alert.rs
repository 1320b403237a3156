//! The `detail` of a payment alert, one shape per cause. Keys are alphabetical (they were first
//! written through an unordered JSON map); the bytes are pinned in `events_tests.rs`.

use serde::Serialize;
use serde_json::Value;

use super::Actor;

/// An amount in a currency, as the order owes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Owed {
    /// ISO 4217 code.
    pub currency: String,
    /// Minor units.
    pub total_minor: i64,
}

/// An amount in a currency, as a session names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    /// Minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
}

/// An amount in a currency, as a provider reports it: either may be missing (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reported {
    /// Minor units.
    pub amount_minor: Option<i64>,
    /// ISO 4217 code, as sent.
    pub currency: Option<String>,
}

/// A completed payment that did not settle its order (`payment_on_closed_order`,
/// `second_payment`, `amount_below_order_total`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnsettledDetail {
    /// Who completed the session.
    pub actor: Actor,
    /// What the order owes now.
    pub order: Owed,
    /// The order.
    pub order_id: i64,
    /// Its status marker (`null` when the status is gone from the project).
    pub order_status: Option<String>,
    /// What the session paid.
    pub paid: Amount,
}

/// A provider event naming another order in its metadata (`order_mismatch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderMismatchDetail {
    /// The provider's event type.
    pub event_type: String,
    /// The metadata's order id, as the provider sent it.
    pub metadata_order_id: Value,
    /// The session's order.
    pub order_id: i64,
}

/// A provider charging another amount or currency than the session's (`amount_mismatch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AmountMismatchDetail {
    /// The provider's event type.
    pub event_type: String,
    /// The session's amount.
    pub expected: Amount,
    /// The session's order.
    pub order_id: i64,
    /// What the provider reports (`null` where it reports nothing readable).
    pub received: Reported,
}

/// The `detail` of a payment alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum AlertDetail {
    /// See [`UnsettledDetail`].
    Unsettled(UnsettledDetail),
    /// See [`OrderMismatchDetail`].
    OrderMismatch(OrderMismatchDetail),
    /// See [`AmountMismatchDetail`].
    AmountMismatch(AmountMismatchDetail),
}

impl AlertDetail {
    /// The JSON text stored with the alert.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

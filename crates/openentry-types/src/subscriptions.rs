//! Events module: product subscriptions (docs/wire.md §6.10).

use serde::{Deserialize, Serialize};

/// `GET /api/content/events/subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscriptions {
    /// All of the user's subscriptions.
    pub total: i64,
    /// This page.
    pub items: Vec<SubscriptionItem>,
}

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionItem {
    /// The event's marker.
    pub event_marker: String,
    /// The product.
    pub product_id: i64,
}

/// The body of subscribe and unsubscribe (`{locale, productId}`, and the platform's optional
/// `threshold`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SubscribeBody {
    /// Locale of the messages (the project's default when absent).
    #[serde(default)]
    pub locale: Option<String>,
    /// The product.
    pub product_id: i64,
    /// `price_below`: the price below which the subscriber hears of a fall, a number or an
    /// exact decimal string in the product's currency; the price when subscribing if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<serde_json::Value>,
}

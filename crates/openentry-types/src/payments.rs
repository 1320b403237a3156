//! Payments module: `/api/content/payments` (docs/wire.md §6.3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::localized::LocalizeInfos;

crate::wire_names! {
    /// What `createSession` opens.
    pub enum SessionType: "session type" {
        /// A hosted payment page (`paymentUrl`), or an offline payment for custom accounts.
        Session = "session",
        /// A payment intent whose `clientSecret` an embedded form confirms (Stripe).
        Intent = "intent",
    }
}

crate::wire_names! {
    /// A payment session's status. Declared in ladder order (see the domain's `payments`).
    pub enum SessionStatus: "session status" {
        /// Open: the customer may pay.
        Waiting = "waiting",
        /// Given up by the customer, the provider or an operator.
        Canceled = "canceled",
        /// Not paid in time.
        Expired = "expired",
        /// Paid.
        Completed = "completed",
    }
}

/// Body of `createSession`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionRequest {
    /// The order to pay.
    pub order_id: i64,
    /// `session` (a hosted payment page) or `intent` (a client secret for embedded forms).
    #[serde(rename = "type")]
    pub kind: String,
    /// Ask the provider to compute taxes (Stripe only; off by default).
    #[serde(default)]
    pub automatic_tax_enabled: bool,
}

/// A payment session (`PaymentSessionSchema`; key order as in the seed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PaymentSession {
    /// Id.
    pub id: i64,
    /// Created.
    pub created_date: String,
    /// Last change.
    pub updated_date: String,
    /// `session` or `intent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `waiting`, `completed`, `canceled` or `expired`.
    pub status: String,
    /// Payment account id.
    pub payment_account_id: i64,
    /// Order id.
    pub order_id: i64,
    /// Amount charged by the provider; `null` for offline (custom) accounts, as the platform.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub amount: Option<Number>,
    /// Where to pay; the key is always present (`null` for offline accounts).
    pub payment_url: Option<String>,
    /// Client secret of a Stripe PaymentIntent; absent otherwise (`null` fails the schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// `{items, total}` of `getSessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentSessionList {
    /// This page.
    pub items: Vec<PaymentSession>,
    /// All of the caller's sessions.
    pub total: i64,
}

/// A payment account (`PaymentAccountSchema`). Never carries secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PaymentAccount {
    /// Id.
    pub id: i64,
    /// Marker.
    pub identifier: String,
    /// Offered to customers.
    pub is_visible: bool,
    /// Linked to an order storage.
    pub is_used: bool,
    /// Test mode.
    pub test_mode: bool,
    /// `custom` or `stripe`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Public settings (`sessionTimeout` in minutes).
    pub settings: BTreeMap<String, Value>,
    /// Localized title.
    pub localize_infos: LocalizeInfos,
    /// Last change of the definition.
    pub updated_date: String,
}

//! Order storages, their statuses and payment accounts.

use serde::{Deserialize, Serialize};

use super::Localized;
use crate::payments::SessionStatus;

/// A payment account (`cash`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentAccountDef {
    /// Marker (`cash`).
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// `custom` (cash, bank transfer, any offline method) or `stripe`.
    #[serde(rename = "type")]
    pub kind: super::AccountKind,
    /// Offered to customers.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Test mode.
    #[serde(default)]
    pub test_mode: bool,
    /// Minutes a payment session stays open before it expires.
    #[serde(default = "session_timeout")]
    pub session_timeout_minutes: i64,
    /// Stripe settings (type `stripe` only). Secrets are named by environment variable, never
    /// written in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe: Option<StripeDef>,
}

fn session_timeout() -> i64 {
    30
}

/// Stripe settings of a payment account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StripeDef {
    /// Environment variable holding the secret API key (`sk_test_…`).
    pub secret_key_env: String,
    /// Environment variable holding the webhook signing secret (`whsec_…`).
    pub webhook_secret_env: String,
    /// Where Checkout sends the customer after paying (`{ORDER_ID}` is replaced).
    pub success_url: String,
    /// Where Checkout sends the customer who gives up.
    pub cancel_url: String,
}

fn yes() -> bool {
    true
}

/// An order storage (`orders`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderStorageDef {
    /// Marker used in URLs.
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// The checkout form (kind `order`).
    pub form: String,
    /// Payment accounts customers may choose.
    #[serde(default)]
    pub payment_accounts: Vec<String>,
    /// Statuses in display order; exactly one is the default.
    pub statuses: Vec<OrderStatusDef>,
    /// Status changes a customer may make (`updateOrderByMarkerAndId`). Default: from the
    /// default status to every status marked `cancel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_transitions: Option<Vec<TransitionDef>>,
    /// Statuses in which customers may ask for a refund (default: statuses marked `paid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refundable_statuses: Option<Vec<String>>,
    /// Order status to move to when a payment session ends (read by
    /// [`crate::payments::status_after`]): `completed`, `canceled`, `expired`
    /// → status identifier. Default: `completed` → the first status marked `paid`; canceled and
    /// expired sessions leave the order as it is (payable again). A key that is not a session
    /// status is refused when the TOML is read; `waiting` by `project check`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status_map: Option<std::collections::BTreeMap<SessionStatus, String>>,
}

/// An order status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderStatusDef {
    /// Marker, unique in the whole project.
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// New orders get it.
    #[serde(default)]
    pub default: bool,
    /// Nothing happens to the order after it (`isCompleted`).
    #[serde(rename = "final", default)]
    pub is_final: bool,
    /// The order has been paid (its products and totals are frozen).
    #[serde(default)]
    pub paid: bool,
    /// The status a customer's cancellation leads to.
    #[serde(default)]
    pub cancel: bool,
}

/// A permitted status change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionDef {
    /// From this status.
    pub from: String,
    /// To this status.
    pub to: String,
}

impl OrderStorageDef {
    /// The default status.
    pub fn default_status(&self) -> Option<&OrderStatusDef> {
        self.statuses.iter().find(|s| s.default)
    }

    /// The status with this marker.
    pub fn status(&self, identifier: &str) -> Option<&OrderStatusDef> {
        self.statuses.iter().find(|s| s.identifier == identifier)
    }

    /// Whether a customer may move an order from `from` to `to`.
    pub fn customer_may(&self, from: &str, to: &str) -> bool {
        match &self.customer_transitions {
            Some(list) => list.iter().any(|t| t.from == from && t.to == to),
            None => {
                self.default_status().is_some_and(|d| d.identifier == from)
                    && self.status(to).is_some_and(|s| s.cancel)
            }
        }
    }

    /// Whether customers may ask for refunds of orders in this status.
    pub fn refundable(&self, status: &str) -> bool {
        match &self.refundable_statuses {
            Some(list) => list.iter().any(|s| s == status),
            None => self.status(status).is_some_and(|s| s.paid),
        }
    }
}

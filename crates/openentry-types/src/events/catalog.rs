//! Events that are not about orders or payments: a product's price fell or it came back in
//! stock (written by the project import that changed it), a form was submitted. Keys are
//! camelCase in field order; `events_tests.rs` pins the bytes.

use serde::{Deserialize, Serialize};

/// `product.price`: a product's price fell (same currency, lower amount).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PriceFell {
    /// The product.
    pub product_id: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// The old price, minor units.
    pub from_minor: i64,
    /// The new price, minor units.
    pub to_minor: i64,
}

/// `product.back_in_stock`: a product that could not be ordered can be again (its status
/// became orderable, or it became visible).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BackInStock {
    /// The product.
    pub product_id: i64,
    /// The old status marker (empty when it had none).
    pub from_status: String,
    /// The new status marker (empty when it has none).
    pub to_status: String,
}

/// `form.submitted`: a visitor, user or operator sent a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormSubmitted {
    /// The submission.
    pub form_data_id: i64,
    /// The form's marker.
    pub form: String,
    /// The signed-in sender, if any.
    pub user_id: Option<i64>,
}

//! Orders module: `/api/content/orders-storage` and `/api/content/orders/{id}/refund`
//! (docs/wire.md §6.2).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::localized::LocalizeInfos;

/// One `{productId, quantity}` of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductQuantity {
    /// Product id.
    pub product_id: i64,
    /// Units.
    pub quantity: i64,
}

/// Body of `createOrder` and `updateOrderByMarkerAndId`. Anything a client sends about
/// prices, totals, currency or owner is not even read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderRequest {
    /// The storage's checkout form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_identifier: Option<String>,
    /// The chosen payment account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_account_identifier: Option<String>,
    /// Checkout form data, usually `{"en_US": [items]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_data: Option<Value>,
    /// The cart.
    #[serde(default)]
    pub products: Vec<ProductQuantity>,
    /// A coupon (discounts are not supported yet; a coupon is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// Extra discount markers (refused when non-empty, as coupons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_discounts_markers: Option<Vec<String>>,
    /// Bonus points to spend (refused when positive: no bonus balances yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub bonus_amount: Option<Number>,
    /// Update only: the new status (the platform's demo shop sends this name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_identifier: Option<String>,
    /// Update only: the new status (the name some platform docs use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_marker: Option<String>,
}

/// `discountConfig.settings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DiscountSettings {
    /// Whether discounts add up.
    pub allow_stacking: bool,
    /// Cap on the total discount.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub max_discount_value: Option<Number>,
    /// Whether gifts of several discounts add up.
    pub allow_gift_stacking: bool,
    /// Most of an order payable with bonuses, in percent.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub max_bonus_payment_percent: Option<Number>,
    /// Smallest bonus balance that may be spent.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub min_bonus_amount: Option<Number>,
    /// Smallest order total for bonus payment.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub min_order_amount_for_bonus: Option<Number>,
    /// What happens to gifts on refund (`KEEP_GIFT`).
    pub gift_refund_policy: String,
}

/// `discountConfig.bonus`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BonusInfo {
    /// The user's balance.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub available_balance: Number,
    /// Most bonus usable on this order.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub max_bonus_discount: Number,
    /// Smallest bonus balance that may be spent.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub min_bonus_amount: Option<Number>,
    /// Smallest order total for bonus payment.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub min_order_amount_for_bonus: Option<Number>,
    /// Bonus spent on this order.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub bonus_applied: Number,
}

/// `discountConfig` of an order (key order as the platform sends it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DiscountConfig {
    /// Order-level discounts applied.
    pub order_discounts: Vec<Value>,
    /// Product-level discounts applied.
    pub product_discounts: Vec<Value>,
    /// The coupon used. Wire quirk: the key must be present (null) for zod 4.6.
    pub coupon: Option<Value>,
    /// Discount settings.
    pub settings: DiscountSettings,
    /// Extra discount markers applied.
    pub additional_discounts_markers: Vec<String>,
    /// Sum before discounts.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_raw: Number,
    /// Sum after discounts.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_sum_with_discount: Number,
    /// Gift products excluded. Wire quirk: ids as strings.
    pub excluded_gift_product_ids: Vec<String>,
    /// Bonus figures.
    pub bonus: BonusInfo,
    /// Bonus spent.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub bonus_applied: Number,
    /// What remains to pay.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_due: Number,
}

/// The answer of `createOrder` and `updateOrderByMarkerAndId`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderCreated {
    /// Order id.
    pub id: i64,
    /// Checkout form.
    pub form_identifier: String,
    /// Payment account.
    pub payment_account_identifier: String,
    /// Form data as a list of items.
    pub form_data: Value,
    /// The cart as ordered.
    pub products: Vec<ProductQuantity>,
    /// ISO 4217 code.
    pub currency: String,
    /// The coupon the order presented (absent without one: the SDK's schema takes no null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// Wire quirk: a NUMBER here, a string in stored orders.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_sum: Number,
    /// Bonus spent.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub bonus_applied: Number,
    /// What remains to pay.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_due: Number,
    /// Discount figures.
    pub discount_config: DiscountConfig,
    /// Current status.
    pub status_identifier: String,
    /// The status title in the order's language (`{"title": "Upcoming"}`).
    pub status_localize_infos: Value,
    /// Creation time.
    pub created_date: String,
}

/// A line of a stored order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    /// Product id.
    pub id: i64,
    /// Product title when ordered.
    pub title: String,
    /// SKU when ordered.
    pub sku: Option<String>,
    /// The product's preview image when ordered (`IPicture`: `{filename, downloadLink,
    /// previewLink}`), `null` without one.
    pub preview_image: Option<Value>,
    /// Unit price when ordered.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub price: Number,
    /// Units.
    pub quantity: i64,
    /// A gift line (price 0).
    pub is_gift: bool,
}

/// A stored order (`OrderEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Order id.
    pub id: i64,
    /// Order storage id.
    pub storage_id: i64,
    /// Creation time.
    pub created_date: String,
    /// Current status.
    pub status_identifier: String,
    /// Checkout form.
    pub form_identifier: String,
    /// Form data, `{"<lang>": [items]}`.
    pub form_data: Value,
    /// Wire quirk: a STRING with the currency's decimals (`"400.00"`).
    pub total_sum: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Payment account.
    pub payment_account_identifier: String,
    /// Payment account title.
    pub payment_account_localize_infos: LocalizeInfos,
    /// Where to pay (set by payment sessions); the key is always present.
    pub payment_url: Option<String>,
    /// Lines.
    pub products: Vec<OrderLine>,
    /// Whether the order is in a final status; the key is always present.
    pub is_completed: Option<bool>,
    /// Status title.
    pub status_localize_infos: LocalizeInfos,
}

/// `{items, total}` of `getAllOrdersByMarker`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderList {
    /// This page.
    pub items: Vec<Order>,
    /// All of the caller's orders in the storage.
    pub total: i64,
}

/// `{identifier}` of a linked payment account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountRef {
    /// Payment account marker.
    pub identifier: String,
}

/// An order storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderStorage {
    /// Id.
    pub id: i64,
    /// Localized title.
    pub localize_infos: LocalizeInfos,
    /// Place in lists.
    pub position: i64,
    /// Marker.
    pub identifier: String,
    /// Checkout form.
    pub form_identifier: String,
    /// Always `null`: storages have no general type here.
    pub general_type_id: Option<i64>,
    /// Payment accounts customers may choose.
    pub payment_account_identifiers: Vec<AccountRef>,
}

/// An order status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderStatus {
    /// Id.
    pub id: i64,
    /// Localized title.
    pub localize_infos: LocalizeInfos,
    /// Marker.
    pub identifier: String,
    /// Place in lists.
    pub position: i64,
    /// Whether orders are in it.
    pub is_used: bool,
    /// New orders get it.
    pub is_default: bool,
}

/// Body of `previewOrder`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PreviewRequest {
    /// The cart.
    #[serde(default)]
    pub products: Vec<ProductQuantity>,
    /// A coupon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coupon_code: Option<String>,
    /// Extra discount markers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_discounts_markers: Option<Vec<String>>,
    /// Bonus points to spend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub bonus_amount: Option<Number>,
}

/// A line of a preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PreviewLine {
    /// Product id.
    pub id: i64,
    /// Unit price.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub price: Number,
    /// Units.
    pub quantity: i64,
    /// Unit price after discounts, when discounted.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub discount_price: Option<Number>,
    /// A gift line.
    pub is_gift: bool,
}

/// The answer of `previewOrder`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrderPreview {
    /// Sum before discounts.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_sum: Number,
    /// Sum after discounts.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_sum_with_discount: Number,
    /// Discount figures.
    pub discount_config: DiscountConfig,
    /// ISO 4217 code.
    pub currency: String,
    /// Lines.
    pub order_preview: Vec<PreviewLine>,
    /// Bonus spent.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub bonus_applied: Number,
    /// What remains to pay.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub total_due: Number,
}

crate::wire_names! {
    /// A refund request's status.
    pub enum RefundStatus: "refund status" {
        /// Asked for, not yet decided; at most one per order.
        Pending = "pending",
        /// Withdrawn by the customer.
        Canceled = "canceled",
        /// Accepted by an operator: its amount counts as refunded.
        Approved = "approved",
        /// Refused by an operator.
        Rejected = "rejected",
    }
}

/// Units of one product in a refund request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundQuantity {
    /// Units to refund.
    pub quantity: i64,
}

/// Body of `createRefundRequest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundRequestBody {
    /// Product id (as a string key) → units.
    #[serde(default)]
    pub products: BTreeMap<String, RefundQuantity>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A refund request as listed by `getRefunds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// Id.
    pub id: i64,
    /// When it was made.
    pub created_date: String,
    /// `pending`, `canceled`, `approved` or `rejected`.
    pub status: String,
    /// Amount to refund.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub amount: Number,
    /// The customer's note.
    pub note: String,
    /// Product id → units.
    pub products: BTreeMap<String, RefundQuantity>,
    /// The order.
    pub order_id: i64,
    /// The order's storage.
    pub order_storage_id: i64,
    /// The customer.
    pub user_id: Option<i64>,
}

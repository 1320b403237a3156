//! The discount engine: one pure function, [`apply`], prices a cart's discounts, gifts and bonus
//! payment for previewOrder, createOrder and updateOrder alike, so their figures agree by
//! construction (platform notes §6; the rules are in docs/decisions.md, "Discounts").
//!
//! Every amount is in minor units of the cart's one currency. Rounding: a percentage is taken of
//! each line's total and rounded half up to a minor unit there (per line); an order-level
//! percentage is taken of the order's sum after product discounts and rounded half up once
//! (then order). Percentages are held in hundredths of a percent (`12.5 %` = 1250).

pub mod codes;
mod engine;
mod extras;
mod resolve;
#[cfg(test)]
mod tests;

pub use engine::{accruals_for, apply};
pub use resolve::{ResolveError, resolve};

use crate::clock::Timestamp;
use crate::project::{Applicability, ConditionLogic, DiscountKind};

/// A discount's value, resolved to minor units / hundredths of a percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// Hundredths of a percent (0–10 000).
    Percent(i64),
    /// An amount off each unit (to products) or off the order.
    Amount(i64),
    /// A new unit price (to products) or a new order sum (to the order).
    Price(i64),
    /// Gifts only.
    None,
}

/// A condition, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    /// The line's product.
    Product(i64),
    /// The line's product is on this page URL.
    Category(String),
    /// The line's product has this attribute value.
    Attribute(String, String),
    /// The cart holds this product.
    ProductInCart(i64),
    /// The cart holds a product of this page URL.
    CategoryInCart(String),
    /// The cart's raw sum is at least this.
    MinCart(i64),
    /// The buyer's paid orders add up to at least this.
    UserLtv(i64),
    /// The buyer belongs to this group.
    UserGroup(String),
}

/// A discount ready for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable id (its place in the definition, from 1).
    pub id: i64,
    /// Marker.
    pub identifier: String,
    /// Priority: lower first, then `id`.
    pub position: i64,
    /// Kind.
    pub kind: DiscountKind,
    /// Value.
    pub value: Value,
    /// To lines or to the order.
    pub applicability: Applicability,
    /// Most taken off one order.
    pub max_amount: Option<i64>,
    /// How conditions combine.
    pub logic: ConditionLogic,
    /// Conditions.
    pub conditions: Vec<Cond>,
    /// Products never discounted.
    pub exclusions: Vec<i64>,
    /// Gift products.
    pub gifts: Vec<i64>,
    /// A gift already in the cart takes the place of one of its units (that unit is not paid
    /// for) instead of coming on top.
    pub gifts_replace: bool,
    /// Only these groups (empty: all).
    pub user_groups: Vec<String>,
    /// Never these groups.
    pub user_exclusions: Vec<String>,
    /// Applies only with one of its coupons.
    pub needs_coupon: bool,
    /// Active from (inclusive).
    pub start: Option<Timestamp>,
    /// Active until (exclusive).
    pub end: Option<Timestamp>,
}

/// A priced cart line with what the conditions look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Product id.
    pub product_id: i64,
    /// Units.
    pub quantity: i64,
    /// Unit price.
    pub price_minor: i64,
    /// Page URLs the product is on.
    pub categories: Vec<String>,
    /// `(marker, value)` attribute values of the product.
    pub attributes: Vec<(String, String)>,
}

/// Global settings, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    /// Discounts add up.
    pub allow_stacking: bool,
    /// Cap on all discounts when stacking, hundredths of a percent of the raw sum.
    pub max_discount_percent: Option<i64>,
    /// Gifts of several discounts add up.
    pub allow_gift_stacking: bool,
    /// Most of the discounted sum payable by bonuses, hundredths of a percent.
    pub max_bonus_percent: i64,
    /// Smallest balance that may be spent.
    pub min_bonus_balance: Option<i64>,
    /// Smallest discounted sum bonuses may pay for.
    pub min_order_for_bonus: Option<i64>,
}

/// Who is buying.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Buyer {
    /// The user's group.
    pub group: Option<String>,
    /// Sum of the user's paid orders.
    pub ltv_minor: i64,
    /// Bonus balance.
    pub bonus_balance: i64,
}

/// Everything the engine reads.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The priced lines (one per product).
    pub lines: &'a [Line],
    /// Every discount of the project.
    pub rules: &'a [Rule],
    /// Settings.
    pub settings: Settings,
    /// The buyer.
    pub buyer: &'a Buyer,
    /// Now.
    pub now: Timestamp,
    /// The id of the rule a presented coupon unlocks.
    pub coupon_rule: Option<i64>,
    /// Bonus the buyer asks to spend (≥ 0).
    pub bonus_requested: i64,
}

/// A line after discounts (a line whose every unit became a gift is left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineOutcome {
    /// Product id.
    pub product_id: i64,
    /// Units paid for (the cart's, less those gifts replaced).
    pub quantity: i64,
    /// Unit price.
    pub price_minor: i64,
    /// `price × quantity`.
    pub total_minor: i64,
    /// Product-level discounts on it.
    pub discount_minor: i64,
}

/// A discount that applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Rule id.
    pub id: i64,
    /// Marker.
    pub identifier: String,
    /// To lines or to the order.
    pub applicability: Applicability,
    /// Its value.
    pub value: Value,
    /// What it took off.
    pub amount_minor: i64,
    /// The lines' product ids it took something off (to products).
    pub product_ids: Vec<i64>,
    /// Gifts it gives.
    pub gifts: Vec<i64>,
}

/// Bonus payment figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BonusOutcome {
    /// The balance.
    pub available: i64,
    /// The most this order may take.
    pub max_usable: i64,
    /// What it takes.
    pub applied: i64,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Lines in cart order.
    pub lines: Vec<LineOutcome>,
    /// Discounts applied, in priority order, each with its amount (> 0 or gifts).
    pub applied: Vec<Applied>,
    /// Gift products given (price 0).
    pub gifts: Vec<i64>,
    /// Gift products of applicable discounts not given (gift stacking off).
    pub excluded_gifts: Vec<i64>,
    /// Sum of the lines (units gifts replaced are not in it).
    pub total_raw: i64,
    /// Sum of `applied` amounts.
    pub total_discount: i64,
    /// `total_raw − total_discount`.
    pub total_with_discount: i64,
    /// Bonus figures.
    pub bonus: BonusOutcome,
    /// `total_with_discount − bonus.applied`.
    pub total_due: i64,
    /// Whether the presented coupon's discount applied.
    pub coupon_applied: bool,
    /// `(rule id, points)` a BONUS discount accrues when its trigger fires.
    pub accruals: Vec<(i64, i64)>,
}

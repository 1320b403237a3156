//! Discounts, coupons and the bonus program in the project definition: `[[discounts]]`,
//! `[discount_settings]` and `[bonus_settings]` (platform notes §6; docs/decisions.md,
//! "Discounts").
//!
//! Amounts are written as exact decimal strings (`"15"`, `"9.99"`) in the currency of the cart
//! they meet; percentages as decimal strings with at most two decimals (`"12.5"`).

use serde::{Deserialize, Serialize};

use super::Localized;

/// `DISCOUNT`, `BONUS` (accrues bonus points instead of lowering the price) or
/// `PERSONAL_DISCOUNT` (only for the user groups it names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DiscountKind {
    /// A price reduction.
    #[default]
    Discount,
    /// Bonus points accrued on a trigger.
    Bonus,
    /// A price reduction for named user groups only.
    PersonalDiscount,
}

impl DiscountKind {
    /// The platform's spelling.
    pub fn wire(self) -> &'static str {
        match self {
            Self::Discount => "DISCOUNT",
            Self::Bonus => "BONUS",
            Self::PersonalDiscount => "PERSONAL_DISCOUNT",
        }
    }
}

/// How the value reads. Both spellings of a percentage are accepted (`PERCENT` in the SDK's
/// types, `PERCENTAGE` in the admin API); the wire answers `PERCENT`, the SDK's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ValueType {
    /// A percentage of the price.
    #[serde(alias = "PERCENTAGE")]
    Percent,
    /// An amount off.
    FixedAmount,
    /// A new price.
    FixedPrice,
    /// No price change: a gift-only discount.
    None,
}

impl ValueType {
    /// The spelling served (the SDK's).
    pub fn wire(self) -> &'static str {
        match self {
            Self::Percent => "PERCENT",
            Self::FixedAmount => "FIXED_AMOUNT",
            Self::FixedPrice => "FIXED_PRICE",
            Self::None => "NONE",
        }
    }
}

/// Whether the value applies to each product line or to the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Applicability {
    /// Each matching line.
    #[default]
    ToProduct,
    /// The order (its matching lines' sum).
    ToOrder,
}

impl Applicability {
    /// The platform's spelling.
    pub fn wire(self) -> &'static str {
        match self {
            Self::ToProduct => "TO_PRODUCT",
            Self::ToOrder => "TO_ORDER",
        }
    }
}

/// `AND` (every condition) or `OR` (any condition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConditionLogic {
    /// Every condition must hold.
    #[default]
    And,
    /// One condition suffices.
    Or,
}

/// A condition's type (platform notes §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConditionType {
    /// The line's product id is the value.
    Product,
    /// The line's product is on the page (category) whose URL is the value.
    Category,
    /// The line's product has attribute `marker=value` (value written `marker=value`).
    Attribute,
    /// The cart holds the product whose id is the value.
    ProductInCart,
    /// The cart holds a product of the category whose URL is the value.
    CategoryInCart,
    /// The cart's raw sum is at least the value (an amount).
    MinCartAmount,
    /// The user's paid orders add up to at least the value (an amount).
    UserLtv,
    /// The user's group is the value (`group=<identifier>`; the only user attribute known).
    UserAttribute,
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: ConditionType,
    /// Its value, as text.
    pub value: String,
}

/// A coupon written in the definition: one code, or a mask whose `#` are replaced by digits and
/// `?` by capital letters when the project is imported (`count` codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouponDef {
    /// A manual code (`WELCOME10`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A mask (`SPRING-####`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
    /// How many codes a mask makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Reusable: manual codes default to yes, mask codes to no (as the platform's admin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reusable: Option<bool>,
}

impl CouponDef {
    /// Whether codes of this entry may serve several orders.
    pub fn is_reusable(&self) -> bool {
        self.reusable.unwrap_or(self.mask.is_none())
    }
}

/// What triggers a bonus accrual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BonusTrigger {
    /// The order's payment completed.
    #[default]
    OrderPaid,
}

/// A discount: `[[discounts]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscountDef {
    /// Marker.
    pub identifier: String,
    /// Its kind.
    #[serde(default, rename = "type")]
    pub kind: DiscountKind,
    /// Title per locale.
    #[serde(default)]
    pub title: Localized,
    /// Priority: lower first (then the order in the file).
    #[serde(default)]
    pub position: i64,
    /// Active from (RFC 3339), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Active until (RFC 3339), exclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// How the value reads.
    pub value_type: ValueType,
    /// The value: a percentage or an amount (ignored for `NONE`).
    #[serde(default)]
    pub value: String,
    /// To each line or to the order.
    #[serde(default)]
    pub applicability: Applicability,
    /// The most this discount takes off one order (an amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<String>,
    /// How conditions combine.
    #[serde(default)]
    pub condition_logic: ConditionLogic,
    /// Conditions; none means everyone, every line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionDef>,
    /// Product ids never discounted by it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<i64>,
    /// Product ids given away (price 0, `isGift`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gifts: Vec<i64>,
    /// A gift already in the cart becomes the gift (one unit less to pay).
    #[serde(default)]
    pub gifts_replace_cart_items: bool,
    /// Only users of these groups (empty: everyone; required for `PERSONAL_DISCOUNT`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_groups: Vec<String>,
    /// Never users of these groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_exclusions: Vec<String>,
    /// Coupons; with any, the discount applies only to orders presenting one of its codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coupons: Vec<CouponDef>,
    /// `BONUS` only: what triggers the accrual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_trigger: Option<BonusTrigger>,
}

/// `[discount_settings]`: the platform's global settings singleton.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DiscountSettingsDef {
    /// Discounts add up; off: only the top-priority applicable discount applies.
    #[serde(default)]
    pub allow_stacking: bool,
    /// When stacking, the most all discounts take off, in percent of the raw sum (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_discount_percent: Option<String>,
    /// Gifts of several discounts add up; off: only the top-priority discount's gifts.
    #[serde(default)]
    pub allow_gift_stacking: bool,
}

/// `[bonus_settings]`: limits on paying with bonus points (1 point = 1 unit of the currency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BonusSettingsDef {
    /// The most of an order (after discounts) payable with bonuses, in percent (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_payment_percent: Option<String>,
    /// The smallest balance that may be spent (an amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_balance: Option<String>,
    /// The smallest order (after discounts) bonuses may pay for (an amount).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_order_amount: Option<String>,
    /// Accrued points expire after this many days (none: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_days: Option<u32>,
}

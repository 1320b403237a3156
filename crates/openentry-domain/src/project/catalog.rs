//! Catalog definitions: product statuses, attribute sets, products.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{AttributeDef, Localized};

/// A product status (`in_stock`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductStatusDef {
    /// Marker.
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// The status of products that name none (at most one).
    #[serde(default)]
    pub default: bool,
    /// Whether products in this status can be ordered.
    #[serde(default = "yes")]
    pub orderable: bool,
}

fn yes() -> bool {
    true
}

/// An attribute set: the attributes products of a kind carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeSetDef {
    /// Marker (`product`).
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Attributes in display order.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
}

/// A product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductDef {
    /// The id clients use (`productId`), fixed in the definition so it never changes.
    pub id: i64,
    /// Stock keeping unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Product status marker; the default status when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Attribute set marker.
    pub attribute_set: String,
    /// Attribute values by marker. Prices are written as strings (`"19.99"`) or integers, never
    /// as TOML floats, so they stay exact.
    #[serde(default)]
    pub values: BTreeMap<String, AttrValue>,
    /// Per-locale attribute values (`[products.localized_values.ar_AE] description = …`),
    /// laid over `values` for that language. The price and its currency are the same in every
    /// language, so they cannot be given here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localized_values: BTreeMap<String, BTreeMap<String, AttrValue>>,
    /// Image URL shown in lists and orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_image: Option<String>,
    /// Listed in the catalog.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Page URLs (categories) the product appears on.
    #[serde(default)]
    pub pages: Vec<String>,
    /// Related product ids.
    #[serde(default)]
    pub related: Vec<i64>,
}

/// An attribute value as written in the definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// A whole number.
    Int(i64),
    /// Text (also exact decimals such as prices).
    Text(String),
    /// A flag.
    Bool(bool),
    /// A list of texts.
    List(Vec<String>),
    /// A list of values of other shapes (images with titles, time intervals).
    Items(Vec<AttrValue>),
    /// A table: a rich value (`{ html = "…" }`, `{ path = "media/bag.png", title = "…" }`).
    Table(BTreeMap<String, AttrValue>),
}

impl AttrValue {
    /// The value as text (numbers in their decimal form).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Self::Int(i) => Some(i.to_string()),
            Self::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}

/// A product's price as the catalog states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductPrice {
    /// Minor units.
    pub minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Decimals of the currency.
    pub exponent: u32,
}

impl super::ProjectDefinition {
    /// The price of a product from its attribute set's price and currency attributes:
    /// `Ok(None)` when the product has no price, an error when the stored value is not exact.
    pub fn price_of(&self, product: &ProductDef) -> Result<Option<ProductPrice>, String> {
        let Some(set) = self.attribute_set(&product.attribute_set) else {
            return Err(format!(
                "attribute set \"{}\" is not defined",
                product.attribute_set
            ));
        };
        let Some(price_attr) = set.attributes.iter().find(|a| a.price) else {
            return Ok(None);
        };
        let Some(value) = product.values.get(&price_attr.marker) else {
            return Ok(None);
        };
        let text = value.as_text().ok_or_else(|| {
            format!(
                "{} must be a string like \"19.99\" or an integer",
                price_attr.marker
            )
        })?;
        let currency = set
            .attributes
            .iter()
            .find(|a| a.currency)
            .and_then(|a| product.values.get(&a.marker))
            .and_then(AttrValue::as_text)
            .ok_or_else(|| {
                "a priced product needs a currency value (the attribute marked `currency = true`)"
                    .to_owned()
            })?;
        let exponent = crate::money::exponent(&currency).map_err(|e| e.to_string())?;
        let minor = crate::money::parse(&text, exponent).map_err(|e| e.to_string())?;
        Ok(Some(ProductPrice {
            minor,
            currency,
            exponent,
        }))
    }
}

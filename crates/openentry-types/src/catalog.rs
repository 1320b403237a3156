//! Catalog wire types: products (docs/wire.md §6.5), product statuses (§6.6) and attribute sets
//! (§6.11).
//!
//! Localized fields are sent as whole `{"<lang>": …}` maps; the SDK picks the requested
//! language itself (§5). Prices are JSON numbers built from exact decimal text, never from
//! float arithmetic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::localized::LocalizeInfos;

/// A product (`ProductEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Product {
    /// The id fixed in the project definition.
    pub id: i64,
    /// `{"<lang>": {"title": …}}`.
    pub localize_infos: LocalizeInfos,
    /// Marker of the product's status; `null` when the project defines no status for it.
    pub status_identifier: Option<String>,
    /// The status's localized title; `{}` without a status (the key is required).
    pub status_localize_infos: LocalizeInfos,
    /// Marker of the product's attribute set (nullable on the wire, always set here).
    pub attribute_set_identifier: Option<String>,
    /// 1-based place of the product in the definition (the `position` sort key).
    pub position: i64,
    /// The exact price as a JSON number, `null` for products without one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub price: Option<Number>,
    /// Aggregated values (`additional.prices`).
    pub additional: ProductAdditional,
    /// Stock keeping unit, `null` when the definition names none.
    pub sku: Option<String>,
    /// Index synchronisation flag of the platform; always `false` here.
    pub is_sync: bool,
    /// Attribute values by marker. Wire quirk: never `null` (the SDK's post-processing
    /// crashes on a `null` map), and `integer`/`float` values are `Number()`-coerced by the SDK.
    pub attribute_values: BTreeMap<String, AttributeValue>,
    /// Page URLs (categories) the product appears on.
    pub categories: Vec<String>,
    /// Whether the product is listed; hidden products are never sent, so always `true`.
    pub is_visible: bool,
    /// Ids of the related products that are listed.
    pub related_ids: Vec<i64>,
    /// The product's links to its pages.
    pub product_pages: Vec<ProductPage>,
}

/// `additional` of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductAdditional {
    /// Price range.
    pub prices: PriceRange,
}

/// Lowest and highest price: over every product a list matched, or the product's own price
/// for a single product; `0` when nothing has a price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceRange {
    /// Lowest price.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub min: Number,
    /// Highest price.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub max: Number,
}

/// One entry of `attributeValues`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AttributeValue {
    /// Attribute type (`string`, `float`, `list`, `image`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value in the platform's shape for its type (docs/decisions.md, "Attribute values
    /// and media"): an exact number for `integer`/`float`/`real`, `{htmlValue, plainValue,
    /// mdValue}` for `text`, one `{downloadLink, previewLink, …}` object for `image`, …
    pub value: Value,
    /// 1-based place of the attribute in its set (the SDK sorts the map by it).
    pub position: i64,
    /// This attribute holds the product's price.
    pub is_price: bool,
    /// This attribute holds the price's currency.
    pub is_currency: bool,
    /// The attribute's localized label.
    pub localize_infos: LocalizeInfos,
    /// The attribute's additional field values, `{marker, type, value, position, …}` each
    /// (the SDK turns the array into an object keyed by marker).
    pub additional_fields: Vec<Value>,
    /// The value is shown as an icon.
    #[serde(default)]
    pub is_icon: bool,
    /// The value is shown in product previews.
    #[serde(default)]
    pub is_product_preview: bool,
}

/// A product's link to one of its pages (`productPages`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductPage {
    /// 1-based index of the (product, page) link over all products.
    pub id: i64,
    /// The page's id: 1-based index of the page URL in first-seen order over all products.
    pub page_id: i64,
    /// The product's id.
    pub product_id: i64,
    /// The product's position.
    pub position_id: i64,
    /// The page URL.
    pub category_path: String,
}

/// A page of products (`ProductsResponseSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductList {
    /// The products of the requested page.
    pub items: Vec<Product>,
    /// How many products matched, before paging.
    pub total: usize,
}

/// One group of `getProductsEmptyPage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductGroup {
    /// The grouping value; `""` (products are not grouped).
    pub attr_value: String,
    /// The products of the requested page.
    pub items: Vec<Product>,
    /// Ids of every matched product, as strings (the SDK's type).
    pub product_ids: Vec<String>,
    /// How many products matched, before paging.
    pub total: usize,
}

/// One row of `getProductsPriceByPageUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPrice {
    /// Product id.
    pub id: i64,
    /// Exact price.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub price: Number,
}

/// Answer of `getProductsPriceByPageUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPriceList {
    /// Priced products of the requested page.
    pub items: Vec<ProductPrice>,
    /// How many priced products matched, before paging.
    pub total: usize,
}

/// Answer of the `…/counts` routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductCounts {
    /// Listed products matching the filters in the whole catalog.
    pub total_all: usize,
    /// Of those, the ones on the page (the whole catalog for `/all/counts`).
    pub total_in_category: usize,
    /// Same as `total_in_category`: pages have no children.
    pub total_in_category_with_nested: usize,
}

/// One hit of `searchProduct`'s quick search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// Product id (the SDK then fetches each product by it).
    pub id: i64,
    /// The title in the requested language.
    pub title: String,
}

/// A product filter item (`IFilterParams`). Items are combined with AND; inside an item
/// every given part must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductFilter {
    /// Attribute to test (`price`, `color`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_marker: Option<String>,
    /// `eq`, `neq`, `in`, `nin`, `mth`, `lth`, `exs`, `nexs`; `eq` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_marker: Option<String>,
    /// The value to compare with: a string or number; for `in`/`nin` a list or a
    /// comma-separated string. `null` means "no value" (`nin` null: the attribute has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition_value: Option<Value>,
    /// The product must be on this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The product must be on one of these pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_urls: Option<Vec<String>>,
    /// The product must have this status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_marker: Option<String>,
    /// The title must contain this text (case-insensitive); ignored when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Accepted and ignored: pages have no children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_nested: Option<bool>,
}

/// A filter body: `{"filter": [...]}` (the list routes) or the bare list (the count routes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ProductFilterBody {
    /// The bare list (`getProductsCount*`).
    List(Vec<ProductFilter>),
    /// `{"filter": [...]}` (`getProducts*`); `{}` means no filter.
    Wrapped {
        /// The filter items.
        #[serde(default)]
        filter: Vec<ProductFilter>,
    },
}

impl ProductFilterBody {
    /// The filter items, whatever the shape.
    pub fn items(&self) -> &[ProductFilter] {
        match self {
            Self::List(items) | Self::Wrapped { filter: items } => items,
        }
    }
}

/// A product status (`ProductStatusEntitySchema`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductStatus {
    /// 1-based place in the definition.
    pub id: i64,
    /// Marker.
    pub identifier: String,
    /// `{"<lang>": {"title": …}}`.
    pub localize_infos: LocalizeInfos,
    /// The status of products that name none.
    pub is_default: bool,
    /// Always `0`: statuses are not versioned separately.
    pub version: i64,
    /// 1-based place in the definition.
    pub position: i64,
}

/// Answer of `validateMarker`: whether a status with the marker exists. Wire quirk: an
/// object; a bare `true` fails the SDK's strict validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkerValidation {
    /// The marker names a product status.
    pub valid: bool,
}

/// An attribute set (`AttributeSetEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AttributeSet {
    /// 1-based place in the definition.
    pub id: i64,
    /// RFC 3339; the definition holds no dates, so the Unix epoch.
    pub created_date: String,
    /// RFC 3339; the Unix epoch, like `created_date`.
    pub updated_date: String,
    /// Always `0`.
    pub version: i64,
    /// Marker.
    pub identifier: String,
    /// Id of the set's type (see `kind`).
    pub type_id: i64,
    /// Wire quirk: a plain string in the requested language (the schema wants a string).
    pub title: String,
    /// The attributes keyed by marker.
    pub schema: BTreeMap<String, Attribute>,
    /// Always `true`.
    pub is_visible: bool,
    /// Always `{}`.
    pub properties: BTreeMap<String, Value>,
    /// The set's type.
    #[serde(rename = "type")]
    pub kind: AttributeSetType,
    /// 1-based place in the definition.
    pub position: i64,
    /// The title in every language (not in the SDK's schema: stripped when validation is on).
    pub localize_infos: LocalizeInfos,
}

/// `type` of an attribute set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeSetType {
    /// Type id.
    pub id: i64,
    /// Type name (`product`).
    #[serde(rename = "type")]
    pub kind: String,
}

/// Answer of `getAttributes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeSetList {
    /// How many sets matched, before paging.
    pub total: usize,
    /// The sets of the requested page.
    pub items: Vec<AttributeSet>,
}

/// An attribute of a set (`AttributeEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Attribute {
    /// Attribute type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Wire quirk: the key is required (zod 4.6.7), so always written, as `null`.
    pub initial_value: Value,
    /// The attribute's own value: a `timeInterval` attribute's schedule
    /// (`[{values: [{dates, times, inEveryWeek, inEveryMonth, external}]}]`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Marker.
    pub marker: String,
    /// 1-based place in the set.
    pub position: i64,
    /// Items of `list` and `radioButton` attributes: `{title, value, position, extended}`,
    /// titles in the requested language; `[]` for other types.
    pub list_titles: Vec<Value>,
    /// Always `{}`.
    pub validators: BTreeMap<String, Value>,
    /// `{"<lang>": {"title": …}}`.
    pub localize_infos: LocalizeInfos,
    /// Always `[]`.
    pub additional_fields: Vec<Value>,
    /// This attribute holds the price.
    pub is_price: bool,
    /// This attribute holds the currency.
    pub is_currency: bool,
}

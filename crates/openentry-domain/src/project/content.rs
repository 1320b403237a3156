//! Content definitions: locales, pages, blocks, menus, templates and template previews.
//!
//! Content is read-mostly and lives in the project definition like the catalog: pages form a
//! tree by URL, blocks and templates are named by markers, menus point at pages. Attribute
//! values are written per marker in `values`, with per-locale overrides in `localized_values`
//! (`[pages.localized_values.ar_AE] title_extra = "…"`), so a value table never has to guess
//! whether its keys are locales or value fields.

use std::collections::BTreeMap;

use openentry_types::wire_names;
use serde::{Deserialize, Serialize};

use super::{AttrValue, Localized};

wire_names! {
    /// The general types of pages, blocks and templates (`GeneralTypeEntitySchema`).
    pub enum GeneralType: "general type" {
        Product = "product",
        ErrorPage = "error_page",
        CatalogPage = "catalog_page",
        ProductPreview = "product_preview",
        SimilarProductsBlock = "similar_products_block",
        ProductBlock = "product_block",
        Form = "form",
        CommonPage = "common_page",
        CommonBlock = "common_block",
        Order = "order",
        Service = "service",
        ExternalPage = "external_page",
        Discount = "discount",
        FrequentlyOrderedBlock = "frequently_ordered_block",
        None = "none",
    }
}

impl GeneralType {
    /// The stable id of the type (`GeneralTypeEntitySchema.id`): its 1-based place in the list.
    pub fn id(self) -> i64 {
        let at = Self::ALL.iter().position(|t| *t == self).unwrap_or(0);
        i64::try_from(at + 1).unwrap_or(i64::MAX)
    }

    /// Types a page may have.
    pub fn is_page_type(self) -> bool {
        matches!(
            self,
            Self::CommonPage
                | Self::CatalogPage
                | Self::ErrorPage
                | Self::ExternalPage
                | Self::Product
                | Self::Service
                | Self::Form
                | Self::Order
                | Self::Discount
                | Self::None
        )
    }

    /// Types a block may have.
    pub fn is_block_type(self) -> bool {
        matches!(
            self,
            Self::CommonBlock
                | Self::ProductBlock
                | Self::SimilarProductsBlock
                | Self::FrequentlyOrderedBlock
                | Self::Form
                | Self::None
        )
    }
}

fn common_page() -> GeneralType {
    GeneralType::CommonPage
}

fn common_block() -> GeneralType {
    GeneralType::CommonBlock
}

fn yes() -> bool {
    true
}

/// Attribute values of an entity: language-neutral values and per-locale overrides.
pub type Values = BTreeMap<String, AttrValue>;

/// Per-locale attribute values: langCode → marker → value.
pub type LocalizedValues = BTreeMap<String, Values>;

/// Details of a locale listed in `project.locales` (`LocaleEntitySchema`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleDef {
    /// The code (`ar_AE`); must be one of `project.locales`.
    pub code: String,
    /// The short code (`ar`); the language part of the code when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_code: Option<String>,
    /// English name (`Arabic`).
    #[serde(default)]
    pub name: String,
    /// Name in the language itself (`العربية`).
    #[serde(default)]
    pub native_name: String,
    /// Media path of a flag or icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Offered to visitors.
    #[serde(default = "yes")]
    pub active: bool,
    /// Written right to left.
    #[serde(default)]
    pub rtl: bool,
}

/// A page: a node of the site tree, named by its URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageDef {
    /// The URL (`catalog`, `bags`), unique in the project; the page's marker.
    pub url: String,
    /// URL of the parent page; a root page has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// General type (`common_page`, `catalog_page`, `error_page`, …).
    #[serde(rename = "type", default = "common_page")]
    pub kind: GeneralType,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Localized title in menus; the title when absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub menu_title: Localized,
    /// Localized HTML content (sanitized on import).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content: Localized,
    /// Marker of the page's template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Marker of the attribute set of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_set: Option<String>,
    /// Attribute values by marker.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
    /// Per-locale attribute values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localized_values: LocalizedValues,
    /// Markers of the blocks shown on the page, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<String>,
    /// Markers of the forms shown on the page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<String>,
    /// Served to storefronts.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Products per page of a catalog page (`config.rowsPerPage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_per_page: Option<i64>,
    /// Products per row of a catalog page (`config.productsPerRow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products_per_row: Option<i64>,
}

/// A block: a reusable piece of content (a banner, the UI dictionary, a product carousel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockDef {
    /// Marker.
    pub identifier: String,
    /// General type (`common_block`, `product_block`, `similar_products_block`,
    /// `frequently_ordered_block`).
    #[serde(rename = "type", default = "common_block")]
    pub kind: GeneralType,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Marker of the block's template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Marker of the attribute set of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_set: Option<String>,
    /// Attribute values by marker.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
    /// Per-locale attribute values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localized_values: LocalizedValues,
    /// Served to storefronts.
    #[serde(default = "yes")]
    pub visible: bool,
    /// Products of a `product_block`, by id, in order; for a `similar_products_block`, the
    /// products the similar ones are found from (docs/decisions.md, Blocks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<i64>,
    /// Products per row (`customSettings.productConfig.countElementsPerRow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_row: Option<i64>,
    /// How many products to show (`customSettings.productConfig.quantity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// A menu: a named tree of links to pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuDef {
    /// Marker (`main_web`).
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Items in order.
    #[serde(default)]
    pub items: Vec<MenuItemDef>,
}

/// A menu item: a page, optionally with its own title, and sub-items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItemDef {
    /// URL of the page the item links to.
    pub page: String,
    /// Localized title; the page's menu title when absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub title: Localized,
    /// Sub-items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<MenuItemDef>,
}

/// A template: a named layout with its own attribute values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    /// Marker.
    pub identifier: String,
    /// General type it applies to.
    #[serde(rename = "type", default = "common_page")]
    pub kind: GeneralType,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Marker of the attribute set of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_set: Option<String>,
    /// Attribute values by marker.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
    /// Per-locale attribute values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub localized_values: LocalizedValues,
}

/// How a preview is cut to a proportion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProportionDef {
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
    /// `center`, `top`, `bottom`, `left`, `right`.
    #[serde(default = "center")]
    pub alignment: String,
}

fn center() -> String {
    "center".to_owned()
}

/// A template preview: the image sizes previews of a kind are generated in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplatePreviewDef {
    /// Marker.
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Landscape proportion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal: Option<ProportionDef>,
    /// Portrait proportion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical: Option<ProportionDef>,
    /// Side of the square preview in pixels.
    pub square: i64,
    /// Alignment of the square cut.
    #[serde(default = "center")]
    pub square_alignment: String,
    /// Marker of the attribute set of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_set: Option<String>,
    /// Attribute values by marker.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: Values,
}

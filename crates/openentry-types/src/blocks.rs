//! Blocks wire types: `/api/content/blocks` and `Pages.getBlocksByPageUrl`.
//!
//! A block answer is already localized in the requested language (`localizeInfos` is
//! `{title}`, not a map by locale): the SDK unwraps locale maps with the client's default
//! language, not the `langCode` of the call, so only a localized answer honours `langCode`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A block (`BlockEntitySchema`; `IPositionBlock` for the blocks of a page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Block {
    /// The stored id.
    pub id: i64,
    /// Marker of the attribute set of its values; `null` without one.
    pub attribute_set_identifier: Option<String>,
    /// Texts in the requested language.
    pub localize_infos: BlockTexts,
    /// Bumped when the definition of the block changes.
    pub version: i64,
    /// Place in lists.
    pub position: i64,
    /// Marker.
    pub identifier: String,
    /// General type (`common_block`, `product_block`, `similar_products_block`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// Marker of the block's template; `null` without one.
    pub template_identifier: Option<String>,
    /// Hidden blocks are never sent, so always `true`.
    pub is_visible: bool,
    /// Index synchronisation flag of the platform; always `false` here.
    pub is_sync: bool,
    /// Attribute values in the requested language, by marker.
    pub attribute_values: BTreeMap<String, Value>,
    /// Display settings of product blocks; absent when the block sets none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_settings: Option<CustomSettings>,
    /// `customSettings.productConfig.countElementsPerRow` again. Wire quirk: the SDK lifts it
    /// out of `customSettings` only after strict validation has stripped `customSettings`
    /// (the schema does not name it), so strict clients would never see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_elements_per_row: Option<i64>,
    /// `customSettings.productConfig.quantity` again, for the same reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// `localizeInfos` of a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockTexts {
    /// The title in the requested language (the project's fallback, else the marker).
    pub title: String,
}

/// `customSettings` of a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomSettings {
    /// How the block's products are laid out.
    pub product_config: ProductConfig,
}

/// `customSettings.productConfig`: only the keys the block sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductConfig {
    /// Products per row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_elements_per_row: Option<i64>,
    /// How many products the block shows at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// Answer of `getBlocks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockList {
    /// The blocks of the requested page.
    pub items: Vec<Block>,
    /// How many blocks matched.
    pub total: usize,
}

/// One hit of `searchBlock` (`SearchBlockSchema`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockHit {
    /// The block's id.
    pub id: i64,
    /// Its marker.
    pub identifier: String,
    /// Its title in the requested language.
    pub name: String,
}

//! Templates and template previews (docs/wire.md §6.15), and the sitemap request (§6.16).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A template (`TemplateEntitySchema`). Wire quirk: `title` is a plain string in the requested
/// language (the SDK normalizes this answer in its own default language, not the one asked
/// for, so a language-keyed map could stay unwrapped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Template {
    /// Stable id.
    pub id: i64,
    /// Marker of the attribute set of its values.
    pub attribute_set_identifier: Option<String>,
    /// Title in the requested language.
    pub title: String,
    /// Id of its general type.
    pub general_type_id: i64,
    /// Marker.
    pub identifier: String,
    /// Bumped on change.
    pub version: i64,
    /// Name of its general type.
    pub general_type_name: String,
    /// Attribute values by marker (never `null`).
    pub attribute_values: BTreeMap<String, Value>,
    /// Place in lists.
    pub position: i64,
}

/// A template preview (`TemplatePreviewEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TemplatePreview {
    /// Stable id.
    pub id: i64,
    /// Title in the requested language.
    pub title: String,
    /// The sizes previews are cut to.
    pub proportions: Proportions,
    /// Marker.
    pub identifier: String,
    /// Bumped on change.
    pub version: i64,
    /// Attribute values by marker (never `null`).
    pub attribute_values: BTreeMap<String, Value>,
    /// Place in lists.
    pub position: i64,
    /// Whether anything refers to it; nothing in a project definition can, so `false`.
    pub is_used: bool,
    /// Marker of the attribute set of its values.
    pub attribute_set_identifier: Option<String>,
}

/// `proportions` of a template preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proportions {
    /// The one set of proportions.
    pub default: ProportionVariants,
}

/// The cuts of a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProportionVariants {
    /// Landscape cut, `null` when not set.
    pub horizontal: Option<Proportion>,
    /// Portrait cut, `null` when not set.
    pub vertical: Option<Proportion>,
    /// Square cut.
    pub square: Square,
}

/// A rectangular cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Proportion {
    /// Width in pixels, `null` when free.
    pub width: Option<i64>,
    /// Height in pixels, `null` when free.
    pub height: Option<i64>,
    /// Where the cut is anchored (`center`, `top`, …).
    pub alignment_type: String,
}

/// A square cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Square {
    /// Side in pixels.
    pub side: i64,
    /// Where the cut is anchored.
    pub alignment_type: String,
}

/// Body of `updateSitemap` (`ISitemapQuery`). `url` and `lastmod` name one entry on the
/// platform; here every entry comes from the project, so they are accepted and not used.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SitemapQuery {
    /// Address of the storefront per language (`{"en_US": "https://shop.example/en/"}`);
    /// absent keeps the stored ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_urls: Option<BTreeMap<String, String>>,
    /// Not used (see above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Not used (see above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastmod: Option<String>,
    /// `changefreq` written for every entry (`daily`, `weekly`, …); absent keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changefreq: Option<String>,
    /// `priority` written for every entry, 0 to 1; absent keeps the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<f64>,
}

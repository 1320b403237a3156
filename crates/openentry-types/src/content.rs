//! Content wire types: pages, menus, locales and general types (docs/wire.md §6.12–§6.14).
//!
//! Wire quirk: content answers carry `localizeInfos` for the requested language only, keyed by
//! it (`{"ar_AE": {"title": …}}`); the SDK unwraps the entry of the language it asked for
//! (docs/wire.md §5). Attribute values are rendered in that language as well.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"<lang>": T}`: a content text in the requested language.
pub type InLang<T> = BTreeMap<String, T>;

/// The texts of a page in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageTexts {
    /// Title.
    pub title: String,
    /// Title in menus (the title when the page names none).
    pub menu_title: String,
    /// Content as HTML (`""` when none).
    pub html_content: String,
    /// The content without markup.
    pub plain_content: String,
}

/// A page (`PageEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// Stable id.
    pub id: i64,
    /// Id of the parent page; `null` for a root page.
    pub parent_id: Option<i64>,
    /// The URL marker (`catalog`).
    pub page_url: String,
    /// Ancestors above the page (0 for a root page).
    pub depth: i64,
    /// `{"<lang>": {title, menuTitle, htmlContent, plainContent}}`.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, PageTexts>))]
    pub localize_infos: InLang<PageTexts>,
    /// Always `true`: hidden pages are never sent.
    pub is_visible: bool,
    /// General type (`common_page`, `catalog_page`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// Marker of the page's template.
    pub template_identifier: Option<String>,
    /// Marker of the attribute set of its values.
    pub attribute_set_identifier: Option<String>,
    /// Attribute values by marker (never `null`).
    pub attribute_values: BTreeMap<String, Value>,
    /// The forms shown on the page.
    pub module_form_configs: Vec<FormConfig>,
    /// Index synchronisation flag of the platform; always `false`.
    pub is_sync: bool,
    /// Identifiers of the visible blocks of the page, in order.
    pub blocks: Vec<String>,
    /// Place in lists.
    pub position: i64,
    /// Catalog output settings that are set (`rowsPerPage`, `productsPerRow`). Wire quirk: a
    /// record of numbers, so settings that are not set are left out rather than `null`.
    pub config: BTreeMap<String, i64>,
    /// How many visible products are listed on the page.
    pub products: i64,
    /// How many visible child pages it has. Wire quirk: a string.
    pub children_count: String,
}

/// A form shown on a page (`IFormConfig`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormConfig {
    /// The form's id (one configuration per form; see docs/decisions.md).
    pub id: i64,
    /// Marker of the form.
    pub form_identifier: String,
    /// Always `content` (pages are content).
    pub module_identifier: String,
    /// Always `false`: bound to the page only.
    pub is_global: bool,
    /// Always `false`.
    pub is_closed: bool,
    /// Always `false`.
    pub is_moderate: bool,
    /// Always `false`.
    pub view_only_my_data: bool,
    /// Always `false`.
    pub comment_only_my_data: bool,
    /// The page, by URL.
    pub entity_identifiers: Vec<EntityIdentifier>,
    /// Always empty.
    pub nested_entity_identifiers: Vec<String>,
    /// Always empty.
    pub exception_ids: Vec<String>,
}

/// An entity a form configuration is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EntityIdentifier {
    /// The page URL.
    pub id: String,
    /// Always `false`.
    pub is_nested: bool,
}

/// `getConfigPageByUrl` (`PageConfigSchema`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageConfig {
    /// Rows of products per page, `null` when not set.
    pub rows_per_page: Option<i64>,
    /// Products per row, `null` when not set.
    pub products_per_row: Option<i64>,
}

/// One hit of `searchPage`'s quick search (the SDK then fetches each page by id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageSearchHit {
    /// Page id.
    pub id: i64,
    /// The URL marker.
    pub page_url: String,
    /// The title in the requested language.
    pub title: String,
}

/// A title in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TitleText {
    /// The title.
    pub title: String,
}

/// The titles of a menu item in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuItemTexts {
    /// The page's title.
    pub title: String,
    /// The item's own title, else the page's menu title, else its title.
    pub menu_title: String,
}

/// A menu (`MenuEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Menu {
    /// Stable id.
    pub id: i64,
    /// Marker (`main_web`).
    pub identifier: String,
    /// `{"<lang>": {"title": …}}`.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, TitleText>))]
    pub localize_infos: InLang<TitleText>,
    /// Every item, depth first (see [`MenuPage`]).
    pub pages: Vec<MenuPage>,
}

/// A menu item (`MenusPagesSchema`). Wire quirk: `pages` is the flat list of every item, depth
/// first, and an item names its parent item by `parentId` (storefronts nest the list by it);
/// an item with sub-items also carries them, nested, in `children`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MenuPage {
    /// The page's id.
    pub id: Option<i64>,
    /// The page's URL marker.
    pub page_url: Option<String>,
    /// `{"<lang>": {title, menuTitle}}`.
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, MenuItemTexts>))]
    pub localize_infos: InLang<MenuItemTexts>,
    /// The page's attribute values.
    pub attribute_values: BTreeMap<String, Value>,
    /// 1-based place in the flat list.
    pub position: i64,
    /// The parent item's page id; `null` at the top level.
    pub parent_id: Option<i64>,
    /// Sub-items; absent when there are none (storefronts show a dropdown when the key exists).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<MenuPage>,
}

/// A locale (`LocaleEntitySchema`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Locale {
    /// Stable id.
    pub id: i64,
    /// Language part (`ar`).
    pub short_code: String,
    /// Code (`ar_AE`).
    pub code: String,
    /// English name.
    pub name: String,
    /// Name in the language itself.
    pub native_name: String,
    /// Always `true`: only active locales are listed.
    pub is_active: bool,
    /// Link of the flag or icon, `null` without one.
    pub image: Option<String>,
    /// Place in `project.locales`.
    pub position: i64,
}

/// A general type (`GeneralTypeEntitySchema`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeneralTypeEntity {
    /// Stable id (1-based place in the SDK's list).
    pub id: i64,
    /// The type's name.
    #[serde(rename = "type")]
    pub kind: String,
}

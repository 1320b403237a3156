//! Content served to storefronts: pages, blocks, menus, locales, templates, template previews,
//! general types and the sitemap, all read from the project held in memory.

#[allow(dead_code, reason = "the content routes land next")]
pub(crate) mod attributes;
pub(crate) mod blocks;

//! Content served to storefronts: pages, blocks, menus, locales, templates, template previews,
//! general types and the sitemap, all read from the project held in memory.

pub(crate) mod admins;
pub(crate) mod attributes;
pub(crate) mod blocks;
pub(crate) mod locales;
pub(crate) mod menus;
pub(crate) mod pages;
pub(crate) mod schedule;
pub(crate) mod sitemap;
pub(crate) mod templates;
pub(crate) mod text;
mod values;

pub(crate) use values::{extended_json, item_value};

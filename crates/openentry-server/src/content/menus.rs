//! Menus (docs/wire.md §6.14): named trees of links to pages.
//!
//! An item whose page is not served (hidden, or below a hidden page) is left out together with
//! its sub-items, as the page itself answers 404.

use std::collections::BTreeMap;

use openentry_domain::project::MenuItemDef;
use openentry_types::content::{Menu, MenuItemTexts, MenuPage, TitleText};

use super::attributes::{self, ImageShape};
use super::pages;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;

/// `getMenusByMarker`: the menu in `lang`, its items flat (depth first) and nested.
pub(crate) fn by_marker(project: &Project, marker: &str, lang: &str) -> ApiResult<Menu> {
    let menu = project
        .menus
        .by_marker(marker)
        .ok_or_else(|| ApiError::NotFound(format!("Menu \"{marker}\" not found")))?;
    let mut position = 0;
    let tree = items(project, &menu.def.items, None, lang, &mut position)?;
    let mut flat = Vec::with_capacity(position);
    flatten(&tree, &mut flat);
    let title = project
        .text_in(&menu.def.title, lang)
        .unwrap_or(&menu.def.identifier);
    Ok(Menu {
        id: menu.id,
        identifier: menu.def.identifier.clone(),
        localize_infos: BTreeMap::from([(
            lang.to_owned(),
            TitleText {
                title: title.to_owned(),
            },
        )]),
        pages: flat,
    })
}

/// The served items of one level with their sub-items, numbered depth first.
fn items(
    project: &Project,
    defs: &[MenuItemDef],
    parent_id: Option<i64>,
    lang: &str,
    position: &mut usize,
) -> ApiResult<Vec<MenuPage>> {
    let mut out = Vec::with_capacity(defs.len());
    for item in defs {
        let Some(page) = pages::served(project, &item.page) else {
            continue;
        };
        *position += 1;
        let at = i64::try_from(*position).unwrap_or(i64::MAX);
        let d = &page.def;
        let menu_title = pages::first_text(project, lang, &[&item.title, &d.menu_title, &d.title])
            .unwrap_or(&d.url);
        let texts = MenuItemTexts {
            title: pages::title_in(project, d, lang).to_owned(),
            menu_title: menu_title.to_owned(),
        };
        let attribute_values = attributes::render(
            project,
            d.attribute_set.as_deref(),
            &d.values,
            &d.localized_values,
            lang,
            ImageShape::Array,
        )?;
        let children = items(project, &item.children, Some(page.id), lang, position)?;
        out.push(MenuPage {
            id: Some(page.id),
            page_url: Some(d.url.clone()),
            localize_infos: BTreeMap::from([(lang.to_owned(), texts)]),
            attribute_values,
            position: at,
            parent_id,
            children,
        });
    }
    Ok(out)
}

/// Every item of `tree`, depth first; each keeps its nested sub-items.
fn flatten(tree: &[MenuPage], out: &mut Vec<MenuPage>) {
    for item in tree {
        out.push(item.clone());
        flatten(&item.children, out);
    }
}

//! A served page as the SDK sees it (`PageEntitySchema`): texts in the language asked for,
//! attribute values, forms, visible blocks, catalog settings and counts.

use std::collections::BTreeMap;

use openentry_domain::project::{Localized, PageDef};
use openentry_types::content::{EntityIdentifier, FormConfig, InLang, Page, PageTexts};

use super::{PageEntity, ancestors, children};
use crate::content::attributes::{self, ImageShape};
use crate::content::text;
use crate::error::ApiResult;
use crate::project::Project;

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The page's title in `lang` (the one fallback), else its URL.
pub(crate) fn title_in<'a>(project: &Project, page: &'a PageDef, lang: &str) -> &'a str {
    project.text_in(&page.title, lang).unwrap_or(&page.url)
}

/// The first of `texts` written in `lang` itself, else the first that has one by the one fallback
/// (default locale, then any): an Arabic title beats an English menu title in an Arabic menu.
pub(crate) fn first_text<'a>(
    project: &Project,
    lang: &str,
    texts: &[&'a Localized],
) -> Option<&'a str> {
    texts
        .iter()
        .find_map(|t| t.get(lang).map(String::as_str))
        .or_else(|| texts.iter().find_map(|t| project.text_in(t, lang)))
}

/// The page's title in menus in `lang`: its menu title, else its title (see [`first_text`]).
fn menu_title_in<'a>(project: &Project, page: &'a PageDef, lang: &str) -> &'a str {
    first_text(project, lang, &[&page.menu_title, &page.title]).unwrap_or(&page.url)
}

fn texts(project: &Project, d: &PageDef, lang: &str) -> InLang<PageTexts> {
    let html = project.text_in(&d.content, lang).unwrap_or_default();
    let texts = PageTexts {
        title: title_in(project, d, lang).to_owned(),
        menu_title: menu_title_in(project, d, lang).to_owned(),
        html_content: html.to_owned(),
        plain_content: text::plain_of(html),
    };
    BTreeMap::from([(lang.to_owned(), texts)])
}

/// One configuration per form shown on the page, numbered by the form's id.
fn form_configs(project: &Project, d: &PageDef) -> Vec<FormConfig> {
    d.forms
        .iter()
        .filter_map(|marker| project.forms.by_marker(marker))
        .map(|f| FormConfig {
            id: f.id,
            form_identifier: f.def.identifier.clone(),
            module_identifier: "content".to_owned(),
            is_global: false,
            is_closed: false,
            is_moderate: false,
            view_only_my_data: false,
            comment_only_my_data: false,
            entity_identifiers: vec![EntityIdentifier {
                id: d.url.clone(),
                is_nested: false,
            }],
            nested_entity_identifiers: Vec::new(),
            exception_ids: Vec::new(),
        })
        .collect()
}

fn config(d: &PageDef) -> BTreeMap<String, i64> {
    [
        ("rowsPerPage", d.rows_per_page),
        ("productsPerRow", d.products_per_row),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_owned(), v?)))
    .collect()
}

/// A served page on the wire, in `lang`.
pub(crate) fn page(project: &Project, e: &PageEntity, lang: &str) -> ApiResult<Page> {
    let d = &e.def;
    let products = project
        .def
        .products
        .iter()
        .filter(|p| p.visible && p.pages.contains(&d.url))
        .count();
    Ok(Page {
        id: e.id,
        parent_id: d
            .parent
            .as_deref()
            .and_then(|p| project.pages.by_marker(p))
            .map(|p| p.id),
        page_url: d.url.clone(),
        depth: to_i64(ancestors(project, e).count()),
        localize_infos: texts(project, d, lang),
        is_visible: true,
        kind: d.kind.as_str().to_owned(),
        template_identifier: d.template.clone(),
        attribute_set_identifier: d.attribute_set.clone(),
        attribute_values: attributes::render(
            project,
            d.attribute_set.as_deref(),
            &d.values,
            &d.localized_values,
            lang,
            ImageShape::Array,
        )?,
        module_form_configs: form_configs(project, d),
        is_sync: false,
        blocks: d
            .blocks
            .iter()
            .filter(|b| project.blocks.by_marker(b).is_some_and(|b| b.def.visible))
            .cloned()
            .collect(),
        position: e.position,
        config: config(d),
        products: to_i64(products),
        children_count: children(project, &d.url).count().to_string(),
    })
}

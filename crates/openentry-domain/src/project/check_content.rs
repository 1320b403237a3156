//! Checks of the content part of a definition: locales, pages, blocks, menus, templates.

use std::collections::{HashMap, HashSet};

use super::check::{Problems, is_marker};
use super::{MenuItemDef, ProjectDefinition, Values};

pub(super) fn check_content(def: &ProjectDefinition, p: &mut Problems) {
    check_locale_details(def, p);
    check_templates(def, p);
    check_pages(def, p);
    check_blocks(def, p);
    check_menus(def, p);
    check_product_pages(def, p);
}

/// A page URL is one path segment (`catalog`, `leather-bags`): the SDK puts it in paths such as
/// `/pages/{url}/children`, where a `/` could not be told apart from the route.
fn is_page_url(url: &str) -> bool {
    is_marker(url)
}

fn unique<'a>(
    p: &mut Problems,
    table: &str,
    key: &str,
    items: impl Iterator<Item = &'a str>,
    valid: fn(&str) -> bool,
) {
    let mut seen = HashSet::new();
    for (i, m) in items.enumerate() {
        if !valid(m) {
            p.add(
                format!("{table}[{i}].{key}"),
                format!("\"{m}\" is not a valid marker (letters, digits, _ and -)"),
            );
        }
        if !seen.insert(m) {
            p.add(
                format!("{table}[{i}].{key}"),
                format!("\"{m}\" is used twice"),
            );
        }
    }
}

fn check_locale_details(def: &ProjectDefinition, p: &mut Problems) {
    let mut seen = HashSet::new();
    for (i, l) in def.locales.iter().enumerate() {
        if !def.project.locales.contains(&l.code) {
            p.add(
                format!("locales[{i}].code"),
                format!("\"{}\" is not one of project.locales", l.code),
            );
        }
        if !seen.insert(&l.code) {
            p.add(
                format!("locales[{i}].code"),
                format!("\"{}\" is described twice", l.code),
            );
        }
    }
}

/// Checks an entity's attribute set reference, values and per-locale values.
pub(super) fn check_values(
    def: &ProjectDefinition,
    p: &mut Problems,
    at: &str,
    set: Option<&String>,
    values: &Values,
    localized: &super::LocalizedValues,
) {
    let set_def = match set {
        Some(s) => {
            let found = def.attribute_set(s);
            if found.is_none() {
                p.add(
                    format!("{at}.attribute_set"),
                    format!("attribute set \"{s}\" is not defined"),
                );
                return;
            }
            found
        }
        None => None,
    };
    let check_markers = |p: &mut Problems, place: String, vals: &Values| {
        for marker in vals.keys() {
            match set_def {
                Some(s) if s.attributes.iter().any(|a| &a.marker == marker) => {}
                Some(s) => p.add(
                    format!("{place}.{marker}"),
                    format!(
                        "attribute set \"{}\" has no attribute \"{marker}\"",
                        s.identifier
                    ),
                ),
                None => p.add(
                    format!("{place}.{marker}"),
                    "values need an attribute_set that defines their types",
                ),
            }
        }
    };
    check_markers(p, format!("{at}.values"), values);
    for (lang, vals) in localized {
        if !def.project.locales.contains(lang) {
            p.add(
                format!("{at}.localized_values.{lang}"),
                format!("\"{lang}\" is not one of project.locales"),
            );
        }
        check_markers(p, format!("{at}.localized_values.{lang}"), vals);
    }
}

fn check_template_ref(def: &ProjectDefinition, p: &mut Problems, at: &str, t: Option<&String>) {
    if let Some(t) = t
        && def.template(t).is_none()
    {
        p.add(
            format!("{at}.template"),
            format!("template \"{t}\" is not defined"),
        );
    }
}

fn check_templates(def: &ProjectDefinition, p: &mut Problems) {
    let markers = def.templates.iter().map(|t| t.identifier.as_str());
    unique(p, "templates", "identifier", markers, is_marker);
    for (i, t) in def.templates.iter().enumerate() {
        let at = format!("templates[{i}]");
        let set = t.attribute_set.as_ref();
        check_values(def, p, &at, set, &t.values, &t.localized_values);
    }
    let markers = def.template_previews.iter().map(|t| t.identifier.as_str());
    unique(p, "template_previews", "identifier", markers, is_marker);
    for (i, t) in def.template_previews.iter().enumerate() {
        let at = format!("template_previews[{i}]");
        if !(1..=4096).contains(&t.square) {
            p.add(
                format!("{at}.square"),
                "must be a side in pixels, 1 to 4096",
            );
        }
        let set = t.attribute_set.as_ref();
        check_values(def, p, &at, set, &t.values, &super::LocalizedValues::new());
    }
}

fn check_pages(def: &ProjectDefinition, p: &mut Problems) {
    let urls = def.pages.iter().map(|pg| pg.url.as_str());
    unique(p, "pages", "url", urls, is_page_url);
    let parents: HashMap<&str, Option<&str>> = def
        .pages
        .iter()
        .map(|pg| (pg.url.as_str(), pg.parent.as_deref()))
        .collect();
    for (i, pg) in def.pages.iter().enumerate() {
        let at = format!("pages[{i}]");
        if pg.url == "url" {
            // `/pages/url/children` would read as the page named "children".
            p.add(
                format!("{at}.url"),
                "\"url\" is reserved: the SDK's page routes use it (/pages/url/{url})",
            );
        }
        if !pg.kind.is_page_type() {
            p.add(
                format!("{at}.type"),
                format!("\"{}\" is a block type, not a page type", pg.kind.as_str()),
            );
        }
        if let Some(parent) = &pg.parent {
            if !parents.contains_key(parent.as_str()) {
                p.add(
                    format!("{at}.parent"),
                    format!("page \"{parent}\" is not defined"),
                );
            } else if has_cycle(&parents, &pg.url) {
                p.add(
                    format!("{at}.parent"),
                    format!("page \"{}\" is its own ancestor", pg.url),
                );
            }
        }
        check_template_ref(def, p, &at, pg.template.as_ref());
        let set = pg.attribute_set.as_ref();
        check_values(def, p, &at, set, &pg.values, &pg.localized_values);
        for (j, b) in pg.blocks.iter().enumerate() {
            if def.block(b).is_none() {
                p.add(
                    format!("{at}.blocks[{j}]"),
                    format!("block \"{b}\" is not defined"),
                );
            }
        }
        for (j, f) in pg.forms.iter().enumerate() {
            if def.form(f).is_none() {
                p.add(
                    format!("{at}.forms[{j}]"),
                    format!("form \"{f}\" is not defined"),
                );
            }
        }
    }
}

fn has_cycle(parents: &HashMap<&str, Option<&str>>, start: &str) -> bool {
    let mut at = start;
    for _ in 0..=parents.len() {
        match parents.get(at).copied().flatten() {
            Some(next) if next == start => return true,
            Some(next) => at = next,
            None => return false,
        }
    }
    true
}

fn check_blocks(def: &ProjectDefinition, p: &mut Problems) {
    let markers = def.blocks.iter().map(|b| b.identifier.as_str());
    unique(p, "blocks", "identifier", markers, is_marker);
    for (i, b) in def.blocks.iter().enumerate() {
        let at = format!("blocks[{i}]");
        if !b.kind.is_block_type() {
            p.add(
                format!("{at}.type"),
                format!("\"{}\" is a page type, not a block type", b.kind.as_str()),
            );
        }
        check_template_ref(def, p, &at, b.template.as_ref());
        let set = b.attribute_set.as_ref();
        check_values(def, p, &at, set, &b.values, &b.localized_values);
        for (j, id) in b.products.iter().enumerate() {
            if def.product(*id).is_none() {
                p.add(
                    format!("{at}.products[{j}]"),
                    format!("product {id} is not defined"),
                );
            }
        }
        for (key, v) in [("per_row", b.per_row), ("quantity", b.quantity)] {
            if v.is_some_and(|n| !(1..=1000).contains(&n)) {
                p.add(format!("{at}.{key}"), "must be 1 to 1000");
            }
        }
    }
}

fn check_menus(def: &ProjectDefinition, p: &mut Problems) {
    let markers = def.menus.iter().map(|m| m.identifier.as_str());
    unique(p, "menus", "identifier", markers, is_marker);
    for (i, m) in def.menus.iter().enumerate() {
        let mut seen = HashSet::new();
        check_items(def, p, &format!("menus[{i}].items"), &m.items, 0, &mut seen);
    }
}

fn check_items(
    def: &ProjectDefinition,
    p: &mut Problems,
    at: &str,
    items: &[MenuItemDef],
    depth: usize,
    seen: &mut HashSet<String>,
) {
    if depth > 8 {
        p.add(at.to_owned(), "menus nest at most 8 levels deep");
        return;
    }
    for (j, item) in items.iter().enumerate() {
        let here = format!("{at}[{j}]");
        if def.page(&item.page).is_none() {
            p.add(
                format!("{here}.page"),
                format!("page \"{}\" is not defined", item.page),
            );
        }
        // Items name their parent by the page's id on the wire, so a page is listed once.
        if !seen.insert(item.page.clone()) {
            p.add(
                format!("{here}.page"),
                format!("page \"{}\" is already in this menu", item.page),
            );
        }
        check_items(
            def,
            p,
            &format!("{here}.children"),
            &item.children,
            depth + 1,
            seen,
        );
    }
}

/// Products name the pages (categories) they are listed on; those pages must exist.
fn check_product_pages(def: &ProjectDefinition, p: &mut Problems) {
    for (i, prod) in def.products.iter().enumerate() {
        for (j, url) in prod.pages.iter().enumerate() {
            if def.page(url).is_none() {
                p.add(
                    format!("products[{i}].pages[{j}]"),
                    format!("page \"{url}\" is not defined (add it to [[pages]])"),
                );
            }
        }
    }
}

#[cfg(test)]
#[path = "check_content_tests.rs"]
mod tests;

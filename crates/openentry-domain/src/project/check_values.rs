//! Checks of attribute definitions and of every attribute value by its attribute's type.

use std::collections::HashSet;

use super::check::{Problems, is_marker};
use super::media::check_path;
use super::{AttributeDef, AttributeKind, ProjectDefinition, parse_value, walk_values};

pub(super) fn check_values(def: &ProjectDefinition, p: &mut Problems) {
    for (i, set) in def.attribute_sets.iter().enumerate() {
        for (j, a) in set.attributes.iter().enumerate() {
            check_attribute(&format!("attribute_sets[{i}].attributes[{j}]"), a, p);
        }
    }
    // The walk rewrites nothing here; it runs on a copy because it is the one walk an import
    // also uses to rewrite values.
    let mut copy = def.clone();
    for e in walk_values(&mut copy, &mut |_, attr, v| {
        parse_value(attr, v).map(|_| ())
    }) {
        p.add(e.path, e.message);
    }
    for (i, l) in def.locales.iter().enumerate() {
        if let Some(image) = &l.image
            && let Err(e) = check_path(image)
        {
            p.add(format!("locales[{i}].image"), e);
        }
    }
    for (i, prod) in def.products.iter().enumerate() {
        if let Some(image) = &prod.preview_image
            && let Err(e) = check_path(image)
        {
            p.add(format!("products[{i}].preview_image"), e);
        }
    }
}

fn check_attribute(at: &str, a: &AttributeDef, p: &mut Problems) {
    if !a.list_items.is_empty() && !a.kind.has_items() {
        p.add(
            format!("{at}.list_items"),
            format!(
                "only list and radioButton attributes have items, not {}",
                a.kind
            ),
        );
    }
    let mut values = HashSet::new();
    for (k, item) in a.list_items.iter().enumerate() {
        let v = item.value.text();
        if v.trim().is_empty() || !values.insert(v.clone()) {
            p.add(
                format!("{at}.list_items[{k}].value"),
                format!("\"{v}\" is empty or used twice"),
            );
        }
        if let Some(ext) = &item.extended
            && !ext.is_image()
            && ext.value.as_text().is_none()
        {
            p.add(
                format!("{at}.list_items[{k}].extended.value"),
                "an extended value is text (or a media path with type = \"image\")",
            );
        }
    }
    if !a.schedule.is_empty() && a.kind != AttributeKind::TimeInterval {
        p.add(
            format!("{at}.schedule"),
            format!(
                "only timeInterval attributes have a schedule, not {}",
                a.kind
            ),
        );
    }
    for (k, s) in a.schedule.iter().enumerate() {
        if let Err((field, e)) = s.parse() {
            p.add(format!("{at}.schedule[{k}].{field}"), e);
        }
    }
    let mut markers = HashSet::new();
    for (k, f) in a.additional_fields.iter().enumerate() {
        if !is_marker(&f.marker) || !markers.insert(f.marker.as_str()) {
            p.add(
                format!("{at}.additional_fields[{k}].marker"),
                format!("\"{}\" is not a marker or is used twice", f.marker),
            );
        }
    }
}

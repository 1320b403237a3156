//! Attribute values on the wire: one renderer for products, pages, blocks and templates, so a
//! value type means the same thing everywhere (docs/decisions.md, "Attribute values and media").
//!
//! Wire quirk: an `image` value is an object on products but an array of objects on pages and
//! blocks (the real platform answers so and storefronts read it so), hence [`ImageShape`].

use std::collections::BTreeMap;

use openentry_domain::project::{
    AttrValue, AttributeDef, LocalizedValues, ParsedValue, Values, parse_typed, parse_value,
    split_additional,
};
use serde_json::{Value, json};

use super::values::typed_json;
use crate::error::{ApiError, ApiResult};
use crate::media::preview::LINK_WIDTH;
use crate::project::Project;

/// How `image` values are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageShape {
    /// One object (products).
    Object,
    /// An array of objects (pages, blocks, templates).
    #[allow(dead_code, reason = "the page and block routes land next")]
    Array,
}

/// The attribute values of an entity in `lang`: the entity's values with the ones of `lang`
/// (else of the default locale) laid over them, each as `{type, value, position, isIcon,
/// isProductPreview, additionalFields}` keyed by marker, in the order of the attribute set.
/// Wire quirk: an attribute without a value is left out rather than sent as `null` (the SDK
/// reads `value.length` of images and turns a `null` number into 0).
#[allow(dead_code, reason = "the page and block routes land next")]
pub(crate) fn render(
    project: &Project,
    set: Option<&str>,
    values: &Values,
    localized: &LocalizedValues,
    lang: &str,
    shape: ImageShape,
) -> ApiResult<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    let Some(set) = set.and_then(|s| project.def.attribute_set(s)) else {
        return Ok(out);
    };
    let overrides = localized
        .get(lang)
        .or_else(|| localized.get(project.default_locale()));
    for (i, a) in set.attributes.iter().enumerate() {
        let Some(v) = overrides
            .and_then(|o| o.get(&a.marker))
            .or_else(|| values.get(&a.marker))
        else {
            continue;
        };
        out.insert(
            a.marker.clone(),
            json!({
                "type": a.kind.as_str(),
                "value": value_json(project, a, v, lang, shape)?,
                "position": i + 1,
                "isIcon": a.icon,
                "isProductPreview": a.product_preview,
                "additionalFields": additional_json(project, a, v, lang, shape)?,
            }),
        );
    }
    Ok(out)
}

fn parsed(attr: &AttributeDef, v: &AttrValue) -> ApiResult<ParsedValue> {
    // Imported definitions were checked: a value that does not read is a server fault.
    parse_value(attr, v)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("attribute \"{}\": {e}", attr.marker)))
}

/// The `value` of one attribute value.
pub(crate) fn value_json(
    project: &Project,
    attr: &AttributeDef,
    v: &AttrValue,
    lang: &str,
    shape: ImageShape,
) -> ApiResult<Value> {
    typed_json(project, attr, &parsed(attr, v)?.value, lang, shape)
}

/// The `additionalFields` of one attribute value: each field the attribute defines, with the
/// entity's value or the field's own, as `{marker, type, value, position, …}` (the SDK turns
/// the array into an object keyed by marker).
pub(crate) fn additional_json(
    project: &Project,
    attr: &AttributeDef,
    v: &AttrValue,
    lang: &str,
    shape: ImageShape,
) -> ApiResult<Vec<Value>> {
    if attr.additional_fields.is_empty() {
        return Ok(Vec::new());
    }
    let given = split_additional(v).1;
    let mut out = Vec::new();
    for (j, f) in attr.additional_fields.iter().enumerate() {
        let Some(raw) = given.and_then(|g| g.get(&f.marker)).or(f.value.as_ref()) else {
            continue;
        };
        let field = f.as_attribute();
        let typed = parse_typed(&field, raw).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("additional field \"{}\": {e}", f.marker))
        })?;
        out.push(json!({
            "marker": f.marker,
            "type": f.kind.as_str(),
            "value": typed_json(project, &field, &typed, lang, shape)?,
            "position": j + 1,
            "isIcon": false,
            "isProductPreview": false,
            "additionalFields": [],
        }));
    }
    Ok(out)
}

/// The browser link of a stored media file (an image value, a locale's flag): absolute, from
/// the configured public URL (`OPENENTRY_PUBLIC_URL`) or the listening address. The media
/// store decides where files live; callers only ever get links from here.
pub(crate) fn media_link(project: &Project, key: &str) -> String {
    format!("{}/media/{key}", project.media_base)
}

/// A picture named by a store key (a product's `preview_image`, kept on order lines) as the
/// SDK's `IPicture`: `{filename, downloadLink, previewLink}`. A line stored before media were
/// stored by key holds a link, which is passed through.
pub(crate) fn picture(project: &Project, key: &str) -> Value {
    if openentry_domain::project::media::check_key(key).is_err() {
        return json!({ "filename": "", "downloadLink": key, "previewLink": key });
    }
    json!({
        "filename": openentry_domain::project::media::name_of_key(key),
        "downloadLink": media_link(project, key),
        "previewLink": preview_link(project, key),
    })
}

/// The link of an image's resized preview (`?w=640`; the widths are in `media::preview`).
pub(crate) fn preview_link(project: &Project, key: &str) -> String {
    format!("{}?w={LINK_WIDTH}", media_link(project, key))
}

#[cfg(test)]
#[path = "attributes_tests.rs"]
mod tests;

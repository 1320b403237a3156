//! Attribute values of content entities (pages, blocks, templates) on the wire.
//!
//! One renderer for every entity, so a value type means the same thing everywhere. Wire quirk:
//! an `image` value is an object on products but an array of objects on pages and blocks (the
//! real platform answers so and storefronts read it so), hence [`ImageShape`].

use std::collections::BTreeMap;

use openentry_domain::project::{AttrValue, LocalizedValues, Values};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::project::Project;

/// How `image` values are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImageShape {
    /// One object (products).
    Object,
    /// An array of objects (pages, blocks, templates).
    Array,
}

/// The attribute values of an entity in `lang`: the entity's values with the ones of `lang`
/// (else of the default locale) laid over them, each as `{type, value, position, …}` keyed by
/// marker, in the order of the attribute set.
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
                "type": a.kind,
                "value": value_json(&a.kind, v, shape)?,
                "position": i + 1,
                "isIcon": false,
                "additionalFields": {},
            }),
        );
    }
    Ok(out)
}

fn value_json(kind: &str, v: &AttrValue, shape: ImageShape) -> ApiResult<Value> {
    let to_json = |v: &AttrValue| serde_json::to_value(v).map_err(|e| ApiError::Internal(e.into()));
    Ok(match (kind, v) {
        ("image", AttrValue::Text(url)) => {
            let one = json!({ "downloadLink": url, "previewLink": url });
            match shape {
                ImageShape::Object => one,
                ImageShape::Array => Value::Array(vec![one]),
            }
        }
        _ => to_json(v)?,
    })
}

/// The browser link of a stored media file (a locale's flag, an image value). The media store
/// decides where files live and how they are served; callers only ever get links from here.
pub(crate) fn media_link(path: &str) -> String {
    format!("/media/{path}")
}

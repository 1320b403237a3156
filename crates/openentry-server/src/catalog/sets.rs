//! Product statuses (docs/wire.md §6.6) and attribute sets (§6.11).
//!
//! Statuses and sets have no stored identity: their ids and positions are their 1-based
//! places in the definition and their version is 0.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::project::{AttributeDef, AttributeSetDef, ProductStatusDef};
use openentry_types::catalog::{
    Attribute, AttributeSet, AttributeSetList, AttributeSetType, MarkerValidation, ProductStatus,
};
use serde::Deserialize;
use serde_json::Value;

use super::lang_or_default;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use crate::wire::localize;
use openentry_types::paging::Paging;

/// The only attribute set type: every set describes products.
const PRODUCT_SET_TYPE: (i64, &str) = (1, "product");

fn place(i: usize) -> i64 {
    i64::try_from(i + 1).unwrap_or(i64::MAX)
}

fn status(project: &Project, i: usize, s: &ProductStatusDef) -> ProductStatus {
    ProductStatus {
        id: place(i),
        identifier: s.identifier.clone(),
        localize_infos: localize(&s.title, project, &s.identifier),
        is_default: s.default,
        version: 0,
        position: place(i),
    }
}

/// `getProductStatuses`: every status in definition order.
pub(crate) fn statuses(project: &Project) -> Vec<ProductStatus> {
    let list = &project.def.product_statuses;
    list.iter()
        .enumerate()
        .map(|(i, s)| status(project, i, s))
        .collect()
}

/// `getProductsByStatusMarker`: one status.
pub(crate) fn status_by_marker(project: &Project, marker: &str) -> ApiResult<ProductStatus> {
    project
        .def
        .product_statuses
        .iter()
        .enumerate()
        .find(|(_, s)| s.identifier == marker)
        .map(|(i, s)| status(project, i, s))
        .ok_or_else(|| ApiError::NotFound(format!("Product status \"{marker}\" not found")))
}

/// `validateMarker`: `valid` is whether a status with this marker exists.
pub(crate) fn validate_marker(project: &Project, marker: &str) -> MarkerValidation {
    MarkerValidation {
        valid: project.def.product_status(marker).is_some(),
    }
}

/// Query keys of `getAttributes`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetQuery {
    /// Language of `title`.
    pub(crate) lang_code: Option<String>,
    /// Items to skip.
    pub(crate) offset: Option<usize>,
    /// Items to return (default 30, at most 1000).
    pub(crate) limit: Option<usize>,
    /// Only sets of this type (`1`: product).
    pub(crate) type_id: Option<i64>,
    /// `id` (default), `position`, `identifier` or `title`; ascending.
    pub(crate) sort_by: Option<String>,
}

fn attribute_wire(project: &Project, i: usize, a: &AttributeDef, lang: &str) -> Attribute {
    Attribute {
        kind: a.kind.as_str().to_owned(),
        initial_value: Value::Null,
        value: crate::content::schedule::schedule_json(&a.schedule),
        marker: a.marker.clone(),
        position: place(i),
        list_titles: list_titles(project, a, lang),
        validators: BTreeMap::new(),
        localize_infos: localize(&a.title, project, &a.marker),
        additional_fields: a
            .additional_fields
            .iter()
            .enumerate()
            .map(|(j, f)| {
                serde_json::json!({
                    "type": f.kind.as_str(),
                    "marker": f.marker,
                    "position": place(j),
                    "initialValue": null,
                    "localizeInfos": localize(&f.title, project, &f.marker),
                    "listTitles": [],
                    "validators": {},
                    "additionalFields": [],
                })
            })
            .collect(),
        is_price: a.price,
        is_currency: a.currency,
    }
}

/// `listTitles` of a list or radio button: `{title, value, position, extended}` per item,
/// titles in `lang`.
fn list_titles(project: &Project, a: &AttributeDef, lang: &str) -> Vec<Value> {
    a.list_items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let value = item.value.text();
            serde_json::json!({
                "title": project.text_in(&item.title, lang).unwrap_or(&value),
                "value": crate::content::item_value(&item.value),
                "position": place(k),
                "extended": crate::content::extended_json(project, item.extended.as_ref()),
            })
        })
        .collect()
}

fn set_wire(project: &Project, i: usize, set: &AttributeSetDef, lang: &str) -> AttributeSet {
    let epoch = Timestamp(0).to_rfc3339();
    let (type_id, type_name) = PRODUCT_SET_TYPE;
    AttributeSet {
        id: place(i),
        created_date: epoch.clone(),
        updated_date: epoch,
        version: 0,
        identifier: set.identifier.clone(),
        type_id,
        title: project
            .text_in(&set.title, lang)
            .unwrap_or(&set.identifier)
            .to_owned(),
        schema: set
            .attributes
            .iter()
            .enumerate()
            .map(|(j, a)| (a.marker.clone(), attribute_wire(project, j, a, lang)))
            .collect(),
        is_visible: true,
        properties: BTreeMap::new(),
        kind: AttributeSetType {
            id: type_id,
            kind: type_name.to_owned(),
        },
        position: place(i),
        localize_infos: localize(&set.title, project, &set.identifier),
    }
}

fn find_set<'a>(project: &'a Project, marker: &str) -> ApiResult<(usize, &'a AttributeSetDef)> {
    project
        .def
        .attribute_sets
        .iter()
        .enumerate()
        .find(|(_, s)| s.identifier == marker)
        .ok_or_else(|| ApiError::NotFound(format!("Attribute set \"{marker}\" not found")))
}

/// `getAttributes`: `{total, items}`.
pub(crate) fn attribute_sets(project: &Project, q: &SetQuery) -> ApiResult<AttributeSetList> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    let mut items: Vec<AttributeSet> = project
        .def
        .attribute_sets
        .iter()
        .enumerate()
        .filter(|_| q.type_id.is_none_or(|t| t == PRODUCT_SET_TYPE.0))
        .map(|(i, s)| set_wire(project, i, s, lang))
        .collect();
    match super::filter::given(q.sort_by.as_deref()) {
        None | Some("id" | "position") => {}
        Some("identifier") => items.sort_by(|a, b| a.identifier.cmp(&b.identifier)),
        Some("title") => items.sort_by_key(|s| s.title.to_lowercase()),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "Unknown sortBy \"{other}\"; use id, position, identifier or title"
            )));
        }
    }
    let total = items.len();
    Ok(AttributeSetList {
        total,
        items: Paging::from_unsigned_query(q.offset, q.limit).slice(items),
    })
}

/// `getAttributeSetByMarker`.
pub(crate) fn attribute_set(
    project: &Project,
    marker: &str,
    lang: Option<&str>,
) -> ApiResult<AttributeSet> {
    let lang = lang_or_default(lang, project)?;
    let (i, set) = find_set(project, marker)?;
    Ok(set_wire(project, i, set, lang))
}

/// `getAttributesByMarker`: the set's attributes in order.
pub(crate) fn attributes(
    project: &Project,
    marker: &str,
    lang: Option<&str>,
) -> ApiResult<Vec<Attribute>> {
    let lang = lang_or_default(lang, project)?;
    let (_, set) = find_set(project, marker)?;
    Ok(set
        .attributes
        .iter()
        .enumerate()
        .map(|(i, a)| attribute_wire(project, i, a, lang))
        .collect())
}

/// `getSingleAttributeByMarkerSet`.
pub(crate) fn attribute(
    project: &Project,
    set: &str,
    marker: &str,
    lang: Option<&str>,
) -> ApiResult<Attribute> {
    let lang = lang_or_default(lang, project)?;
    let (_, s) = find_set(project, set)?;
    s.attributes
        .iter()
        .enumerate()
        .find(|(_, a)| a.marker == marker)
        .map(|(i, a)| attribute_wire(project, i, a, lang))
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "Attribute \"{marker}\" not found in attribute set \"{set}\""
            ))
        })
}

//! Admins' public profiles (`Admins.getAdminsInfo`, docs/wire.md §6.19), read from the project.
//!
//! Only the attributes a profile lists in `public` are rendered, and only they can be
//! filtered on: a filter on any other attribute sees no value, as if the profile had none, so
//! a filter can never tell what a private value is (docs/decisions.md, "Admins").

use std::collections::BTreeMap;

use openentry_domain::project::{AdminDef, AttrValue};
use openentry_types::admins::AdminEntity;
use openentry_types::catalog::ProductFilter;
use openentry_types::paging::Paging;
use serde::Deserialize;

use super::attributes::{self, ImageShape};
use crate::catalog::{AttributeCondition, lang_or_default};
use crate::error::ApiResult;
use crate::project::{Entity, Project};

/// Query keys of `getAdminsInfo`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AdminsQuery {
    /// Language of the answer; the project's default when absent.
    pub(crate) lang_code: Option<String>,
    /// Items to skip (default 0).
    pub(crate) offset: Option<usize>,
    /// Items to return (default 30, at most 1000).
    pub(crate) limit: Option<usize>,
}

/// The visible profiles that pass every filter item, in list order, paged.
pub(crate) fn list(
    project: &Project,
    filters: &[ProductFilter],
    q: &AdminsQuery,
) -> ApiResult<Vec<AdminEntity>> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    let mut conditions = Vec::new();
    for f in filters {
        conditions.extend(AttributeCondition::compile(f)?);
    }
    let passing: Vec<&Entity<AdminDef>> = project
        .admins
        .iter()
        .filter(|a| a.def.visible)
        .filter(|a| {
            conditions
                .iter()
                .all(|c| c.holds(public_value(project, &a.def, c.marker(), lang)))
        })
        .collect();
    Paging::from_unsigned_query(q.offset, q.limit)
        .slice(passing)
        .into_iter()
        .map(|a| wire(project, a, lang))
        .collect()
}

/// The value of a public attribute in `lang` (the locale's own, else the default locale's,
/// else the shared one: what the renderer shows); `None` for a private attribute.
fn public_value<'a>(
    project: &Project,
    a: &'a AdminDef,
    marker: &str,
    lang: &str,
) -> Option<&'a AttrValue> {
    if !a.is_public(marker) {
        return None;
    }
    a.localized_values
        .get(lang)
        .or_else(|| a.localized_values.get(project.default_locale()))
        .and_then(|v| v.get(marker))
        .or_else(|| a.values.get(marker))
}

fn wire(project: &Project, e: &Entity<AdminDef>, lang: &str) -> ApiResult<AdminEntity> {
    let d = &e.def;
    let mut values = attributes::render(
        project,
        d.attribute_set.as_deref(),
        &d.values,
        &d.localized_values,
        lang,
        ImageShape::Array,
    )?;
    values.retain(|marker, _| d.is_public(marker));
    let attribute_set_id = d.attribute_set.as_ref().and_then(|s| {
        let at = project
            .def
            .attribute_sets
            .iter()
            .position(|x| &x.identifier == s)?;
        i64::try_from(at + 1).ok()
    });
    Ok(AdminEntity {
        id: e.id,
        attribute_set_id,
        identifier: d.identifier.clone(),
        attribute_set_identifier: d.attribute_set.clone(),
        position: Some(e.position),
        is_sync: false,
        attribute_values: BTreeMap::from([(lang.to_owned(), values)]),
    })
}

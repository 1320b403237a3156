//! The reads: `getICollections`, `getICollectionById`, `validateICollectionMarker`, and the rows
//! (`getICollectionRowsById`, `getICollectionRowsByMarker`, `getICollectionRowByMarkerAndId`).

use openentry_domain::collections::{Scope, entity_id, entity_type, read_scope};
use openentry_domain::form_data::Viewer;
use openentry_store::collections::{Langs, RowQuery, RowRecord};
use openentry_types::collections::{
    Collection as WireCollection, CollectionMarkerValidation, CollectionRow, CollectionRows,
};
use openentry_types::paging::Paging;
use serde::Deserialize;
use serde_json::Value;

use super::{Collection, by_marker, by_stored_id, row_not_found, wire};
use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use crate::state::AppState;

/// Query keys of the lists (`getICollections`, `getICollectionRowsById`; `getICollectionRowsByMarker`
/// sends only `langCode`).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// The language asked for (one of the project's; the default locale when absent).
    #[serde(rename = "langCode")]
    pub(crate) lang_code: Option<String>,
    /// Items to skip.
    pub(crate) offset: Option<i64>,
    /// Items to return (30 when absent, at most 1000).
    pub(crate) limit: Option<i64>,
    /// Only rows about this kind of entity.
    #[serde(rename = "entityType")]
    pub(crate) entity_type: Option<String>,
    /// Only rows about this entity.
    #[serde(rename = "entityId")]
    pub(crate) entity_id: Option<String>,
}

fn langs<'a>(project: &'a Project, given: Option<&str>) -> ApiResult<Langs<'a>> {
    Ok(Langs {
        lang: crate::catalog::lang(project, given)?,
        default: project.default_locale(),
    })
}

/// Every collection, paged (the SDK's answer is a bare list). Collections are part of the
/// project's definition and public, like forms; their rows are what `read` guards.
pub(crate) fn list(state: &AppState, query: &ListQuery) -> ApiResult<Vec<WireCollection>> {
    let project = state.project();
    crate::catalog::lang(&project, query.lang_code.as_deref())?;
    let page = Paging::from_query(query.offset, query.limit);
    let all: Vec<_> = project
        .collections
        .iter()
        .map(|c| wire::collection(&project, c))
        .collect();
    Ok(page.slice(all))
}

/// One collection by id.
pub(crate) fn by_id(state: &AppState, id: i64, lang: Option<&str>) -> ApiResult<WireCollection> {
    let project = state.project();
    crate::catalog::lang(&project, lang)?;
    Ok(wire::collection(&project, by_stored_id(&project, id)?))
}

/// Whether a marker names a collection (a marker that cannot name one is simply not valid).
pub(crate) fn validate(state: &AppState, marker: &str) -> CollectionMarkerValidation {
    CollectionMarkerValidation {
        valid: state.project().collections.by_marker(marker).is_some(),
    }
}

/// The rows of the collection with this id the caller may read.
pub(crate) async fn rows_by_id(
    state: &AppState,
    viewer: Viewer,
    id: i64,
    query: &ListQuery,
) -> ApiResult<CollectionRows> {
    let project = state.project();
    let c = by_stored_id(&project, id)?;
    rows(state, &project, c, viewer, query).await
}

/// The rows of the collection with this marker the caller may read.
pub(crate) async fn rows_by_marker(
    state: &AppState,
    viewer: Viewer,
    marker: &str,
    query: &ListQuery,
) -> ApiResult<CollectionRows> {
    let project = state.project();
    let c = by_marker(&project, marker)?;
    rows(state, &project, c, viewer, query).await
}

async fn rows(
    state: &AppState,
    project: &Project,
    c: &Collection,
    viewer: Viewer,
    query: &ListQuery,
) -> ApiResult<CollectionRows> {
    let (found, total, langs) =
        page(state, project, c, read_scope(c.def.read, viewer), query).await?;
    Ok(CollectionRows {
        items: found
            .into_iter()
            .map(|r| wire::row(r, langs.lang))
            .collect(),
        total,
    })
}

/// The rows in `scope` that match the query's filters, the page asked for, how many match, and
/// the languages they were read in.
pub(super) async fn page<'a>(
    state: &AppState,
    project: &'a Project,
    c: &Collection,
    scope: Scope,
    query: &ListQuery,
) -> ApiResult<(Vec<RowRecord>, i64, Langs<'a>)> {
    let langs = langs(project, query.lang_code.as_deref())?;
    let bad = |e: openentry_domain::form_data::Refusal| ApiError::BadRequest(e.message);
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    let kind = entity_type(&text(&query.entity_type)).map_err(bad)?;
    let entity = entity_id(&text(&query.entity_id)).map_err(bad)?;
    let paging = Paging::from_query(query.offset, query.limit);
    if scope == Scope::Nothing {
        return Ok((Vec::new(), 0, langs));
    }
    let q = RowQuery {
        collection_id: c.id,
        entity_type: kind.as_deref(),
        entity_id: entity,
        scope,
    };
    let found = openentry_store::collections::list_visible(&state.db, &q, langs, paging).await?;
    let total = openentry_store::collections::count_visible(&state.db, &q).await?;
    Ok((found, total, langs))
}

/// One row the caller may read; any other id is a 404.
pub(crate) async fn row(
    state: &AppState,
    viewer: Viewer,
    marker: &str,
    id: i64,
    lang: Option<&str>,
) -> ApiResult<CollectionRow> {
    let project = state.project();
    let c = by_marker(&project, marker)?;
    let langs = langs(&project, lang)?;
    let scope = read_scope(c.def.read, viewer);
    let found = openentry_store::collections::get(&state.db, c.id, id, scope, langs).await?;
    found
        .map(|r| wire::row(r, langs.lang))
        .ok_or_else(|| row_not_found(id))
}

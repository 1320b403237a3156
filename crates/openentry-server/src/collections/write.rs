//! The writes: `createICollectionRow`, `updateICollectionRow`,
//! `deleteICollectionRowByMarkerAndId`. Every write is owned: a user changes only their own
//! rows, and another user's row answers exactly like a missing one.

use openentry_domain::collections::{
    Scope, change_scope, check_row, entity_id, entity_type, may_create,
};
use openentry_domain::form_data::{Refusal, Viewer};
use openentry_store::collections::{Langs, NewRow};
use openentry_types::collections::{CollectionRow, CollectionRowRequest};
use openentry_types::form_data::{FormDataItem, read_form_data};
use serde_json::Value;

use super::{by_marker, denied, form_of, row_not_found, wire};
use crate::auth::limits;
use crate::error::{ApiError, ApiResult};
use crate::extract::Client;
use crate::project::{Form, Project};
use crate::state::AppState;

fn bad(e: Refusal) -> ApiError {
    ApiError::BadRequest(e.message)
}

/// The values of a body by language, checked: `formData` keyed by locales (one or several)
/// gives each language its values; a bare list (or one item) is in `langCode`, else the default
/// locale. `formIdentifier`, when given, names the collection's form.
fn values<'a>(
    project: &'a Project,
    form: &Form,
    body: &CollectionRowRequest,
    query: Option<&str>,
) -> ApiResult<Vec<(&'a str, Vec<FormDataItem>)>> {
    check_form_identifier(form, &body.form_identifier)?;
    let given: Vec<(&'a str, &Value)> = match &body.form_data {
        Value::Object(m) if !m.is_empty() && !m.contains_key("marker") => m
            .iter()
            .map(|(lang, v)| Ok((crate::catalog::lang(project, Some(lang))?, v)))
            .collect::<ApiResult<_>>()?,
        other => vec![(crate::catalog::lang(project, query)?, other)],
    };
    given
        .into_iter()
        .map(|(lang, v)| {
            let items = read_form_data(v, lang).map_err(|e| ApiError::BadRequest(e.0))?;
            let items = check_row(&form.def, items).map_err(bad)?;
            limits::check_form_size(&items)?;
            Ok((lang, items))
        })
        .collect()
}

fn check_form_identifier(form: &Form, given: &Value) -> ApiResult<()> {
    match given {
        Value::Null => Ok(()),
        Value::String(s) if s.trim().is_empty() || s.trim() == form.def.identifier => Ok(()),
        Value::String(_) => Err(ApiError::BadRequest(format!(
            "formIdentifier must be \"{}\", the form of this collection",
            form.def.identifier
        ))),
        _ => Err(ApiError::BadRequest(
            "formIdentifier must be text".to_owned(),
        )),
    }
}

/// Adds a row, owned by its writer, and answers it in the language asked for.
pub(crate) async fn create(
    state: &AppState,
    viewer: Viewer,
    client: &Client,
    marker: &str,
    query_lang: Option<&str>,
    body: CollectionRowRequest,
) -> ApiResult<CollectionRow> {
    let project = state.project();
    let c = by_marker(&project, marker)?;
    may_create(c.def.write, viewer).map_err(|d| denied(d, c))?;
    let form = form_of(&project, c)?;
    // Spent before the body is checked, like a form submission: garbage costs budget too.
    crate::form_data::throttle(state, viewer, client).await?;
    let read_lang = crate::catalog::lang(&project, query_lang)?;
    let values = values(&project, form, &body, query_lang)?;
    let kind = entity_type(&body.entity_type).map_err(bad)?;
    let entity = entity_id(&body.entity_id).map_err(bad)?;
    let new = NewRow {
        collection_id: c.id,
        user_id: match viewer {
            Viewer::User(id) => Some(id),
            _ => None,
        },
        by_operator: viewer == Viewer::Operator,
        entity_type: kind.as_deref(),
        entity_id: entity,
        values: &values,
    };
    let id = openentry_store::collections::insert(&state.db, &new, state.now()).await?;
    answer(state, &project, c.id, id, read_lang).await
}

/// Replaces the values of one of the caller's rows in the languages given (the others stay).
pub(crate) async fn update(
    state: &AppState,
    viewer: Viewer,
    client: &Client,
    (marker, id): (&str, i64),
    query_lang: Option<&str>,
    body: CollectionRowRequest,
) -> ApiResult<CollectionRow> {
    let project = state.project();
    let c = by_marker(&project, marker)?;
    let scope = change_scope(c.def.write, viewer).map_err(|d| denied(d, c))?;
    let form = form_of(&project, c)?;
    crate::form_data::throttle(state, viewer, client).await?;
    let read_lang = crate::catalog::lang(&project, query_lang)?;
    let values = values(&project, form, &body, query_lang)?;
    let row = (c.id, id);
    let changed =
        openentry_store::collections::update(&state.db, row, scope, &values, state.now()).await?;
    if !changed {
        return Err(row_not_found(id));
    }
    answer(state, &project, c.id, id, read_lang).await
}

/// Deletes one of the caller's rows.
pub(crate) async fn delete(
    state: &AppState,
    viewer: Viewer,
    marker: &str,
    id: i64,
) -> ApiResult<bool> {
    let project = state.project();
    let c = by_marker(&project, marker)?;
    let scope = change_scope(c.def.write, viewer).map_err(|d| denied(d, c))?;
    if openentry_store::collections::delete(&state.db, c.id, id, scope).await? {
        Ok(true)
    } else {
        Err(row_not_found(id))
    }
}

/// The row just written, as its writer sees it (whatever the collection lets them read).
async fn answer(
    state: &AppState,
    project: &Project,
    collection_id: i64,
    id: i64,
    lang: &str,
) -> ApiResult<CollectionRow> {
    let langs = Langs {
        lang,
        default: project.default_locale(),
    };
    openentry_store::collections::get(&state.db, collection_id, id, Scope::All, langs)
        .await?
        .map(|r| wire::row(r, lang))
        .ok_or_else(|| row_not_found(id))
}

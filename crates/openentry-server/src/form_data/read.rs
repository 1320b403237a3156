//! `getFormsDataByMarker`: a form's submissions the caller may read, filtered and paged.

use openentry_domain::form_data::{Viewer, date_bound, status_filter, token, visibility};
use openentry_domain::login;
use openentry_store::form_data::SubmissionQuery;
use openentry_types::form_data::{FormDataFilter, FormDataList};
use openentry_types::paging::Paging;
use serde::Deserialize;
use serde_json::Value;

use super::{bad, data_form, wire};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query keys of `getFormsDataByMarker` (`isExtended` is accepted and changes nothing: the
/// answer always carries `parentId` and `depth`, so a client builds the tree itself).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// Only submissions of this module configuration; `0`, empty or `undefined` for any.
    #[serde(rename = "formModuleConfigId")]
    pub(crate) form_module_config_id: Option<String>,
    /// The language asked for (must be one of the project's).
    #[serde(rename = "langCode")]
    pub(crate) lang_code: Option<String>,
    /// Items to skip.
    pub(crate) offset: Option<i64>,
    /// Items to return (30 when absent, at most 1000).
    pub(crate) limit: Option<i64>,
}

/// Wire quirk: the SDK writes `formModuleConfigId=${id}` into the URL, so a caller that passes
/// none sends the text `undefined`; that, an empty value and 0 all mean "any".
fn module_filter(given: Option<&str>) -> ApiResult<Option<i64>> {
    match given.map(str::trim) {
        None | Some("" | "undefined" | "null" | "0") => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or_else(|| {
                ApiError::BadRequest("formModuleConfigId must be a whole number".to_owned())
            }),
    }
}

/// The page of submissions and how many match.
pub(crate) async fn list(
    state: &AppState,
    viewer: Viewer,
    marker: &str,
    query: &ListQuery,
    filter: &FormDataFilter,
) -> ApiResult<FormDataList> {
    let project = state.project();
    let form = data_form(&project, marker)?;
    crate::catalog::lang(&project, query.lang_code.as_deref())?;
    let module_config_id = module_filter(query.form_module_config_id.as_deref())?;
    let entity = token(&filter.entity_identifier, "entityIdentifier").map_err(bad)?;
    let statuses = status_filter(&filter.status).map_err(bad)?;
    let from = date_bound(&filter.date_from, "dateFrom", false).map_err(bad)?;
    let before = date_bound(&filter.date_to, "dateTo", true).map_err(bad)?;
    let page = Paging::from_query(query.offset, query.limit);
    let empty = FormDataList {
        items: Vec::new(),
        total: 0,
    };
    let Some(user_login) = author_filter(state, viewer, &filter.user_identifier).await? else {
        return Ok(empty);
    };
    let seen = visibility(form.def.read, viewer);
    if !seen.all && !seen.approved && seen.own.is_none() {
        return Ok(empty);
    }
    let q = SubmissionQuery {
        form_id: form.id,
        module_config_id,
        entity_identifier: (!entity.is_empty()).then_some(entity.as_str()),
        user_login: user_login.as_deref(),
        statuses: statuses.as_deref(),
        from,
        before,
        visibility: seen,
    };
    let rows = openentry_store::form_data::list_visible(&state.db, &q, page).await?;
    let total = openentry_store::form_data::count_visible(&state.db, &q).await?;
    Ok(FormDataList {
        items: rows
            .into_iter()
            .map(|r| wire::entry(&project, r, &seen))
            .collect(),
        total,
    })
}

/// The `userIdentifier` filter as a login key: `Some(None)` for no filter, `Some(Some(key))` to
/// filter, `None` when nothing can match. Only operators filter by another user's login: for
/// anyone else that would tell which public reviews a given e-mail address wrote, so it
/// matches nothing.
async fn author_filter(
    state: &AppState,
    viewer: Viewer,
    given: &Value,
) -> ApiResult<Option<Option<String>>> {
    let login = match given {
        Value::Null => return Ok(Some(None)),
        Value::String(s) if s.trim().is_empty() => return Ok(Some(None)),
        Value::String(s) if login::check(s.trim()).is_ok() => login::normalize(s),
        _ => {
            return Err(ApiError::BadRequest(
                "userIdentifier must be a login".to_owned(),
            ));
        }
    };
    match viewer {
        Viewer::Operator => Ok(Some(Some(login))),
        Viewer::User(id) => {
            let me = openentry_store::users::get(&state.db, id).await?;
            Ok(me
                .filter(|u| login::normalize(&u.identifier) == login)
                .map(|_| Some(login)))
        }
        Viewer::Anonymous => Ok(None),
    }
}

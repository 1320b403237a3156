//! `/api/content/templates` and `/api/content/template-previews` (docs/wire.md §6.15).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::templates::{Template, TemplatePreview};
use serde::Deserialize;

use crate::catalog::lang_or_default;
use crate::content::templates;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::LangQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(by_type))
        .route("/all", get(all))
        .route("/marker/{marker}", get(by_marker))
}

pub(super) fn previews_router() -> Router<AppState> {
    Router::new()
        .route("/", get(previews))
        .route("/marker/{marker}", get(preview_by_marker))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TypeQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/content/templates/all",
    params(LangQuery),
    responses((status = 200, description = "OK", body = BTreeMap<String, Vec<Template>>)),
)]
async fn all(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<Json<BTreeMap<String, Vec<Template>>>> {
    let project = state.project();
    let lang = lang_or_default(q.lang_code.as_deref(), &project)?;
    Ok(Json(templates::all(&project, lang)?))
}

#[utoipa::path(
    get,
    path = "/api/content/templates",
    params(TypeQuery),
    responses((status = 200, description = "OK", body = Vec<Template>)),
)]
async fn by_type(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<TypeQuery>,
) -> ApiResult<Json<Vec<Template>>> {
    let project = state.project();
    let lang = lang_or_default(q.lang_code.as_deref(), &project)?;
    let kind = q
        .kind
        .ok_or_else(|| ApiError::BadRequest("The query parameter type is required".to_owned()))?;
    Ok(Json(templates::by_type(&project, &kind, lang)?))
}

#[utoipa::path(
    get,
    path = "/api/content/templates/marker/{marker}",
    params(("marker" = String, Path), LangQuery),
    responses((status = 200, description = "OK", body = Template)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<Json<Template>> {
    let project = state.project();
    let lang = lang_or_default(q.lang_code.as_deref(), &project)?;
    Ok(Json(templates::by_marker(&project, &marker, lang)?))
}

#[utoipa::path(
    get,
    path = "/api/content/template-previews",
    params(LangQuery),
    responses((status = 200, description = "OK", body = Vec<TemplatePreview>)),
)]
async fn previews(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<Json<Vec<TemplatePreview>>> {
    let project = state.project();
    let lang = lang_or_default(q.lang_code.as_deref(), &project)?;
    Ok(Json(templates::previews(&project, lang)?))
}

#[utoipa::path(
    get,
    path = "/api/content/template-previews/marker/{marker}",
    params(("marker" = String, Path), LangQuery),
    responses((status = 200, description = "OK", body = TemplatePreview)),
)]
async fn preview_by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<Json<TemplatePreview>> {
    let project = state.project();
    let lang = lang_or_default(q.lang_code.as_deref(), &project)?;
    Ok(Json(templates::preview_by_marker(&project, &marker, lang)?))
}

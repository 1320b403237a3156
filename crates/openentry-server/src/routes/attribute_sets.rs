//! `/api/content/attributes-sets` (docs/wire.md §6.11).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::catalog::{Attribute, AttributeSet, AttributeSetList};
use serde::Deserialize;

use crate::catalog::{self, SetQuery};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/marker/{marker}", get(by_marker))
        .route("/{marker}/attributes", get(attributes))
        .route("/{marker}/attributes/{attribute}", get(attribute))
}

/// `langCode` of the single-set routes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Lang {
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/content/attributes-sets",
    params(SetQuery),
    responses((status = 200, description = "OK", body = AttributeSetList)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SetQuery>,
) -> ApiResult<Json<AttributeSetList>> {
    Ok(Json(catalog::attribute_sets(&state.project(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/attributes-sets/marker/{marker}",
    params(("marker" = String, Path), Lang),
    responses((status = 200, description = "OK", body = AttributeSet)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<Lang>,
) -> ApiResult<Json<AttributeSet>> {
    Ok(Json(catalog::attribute_set(
        &state.project(),
        &marker,
        q.lang_code.as_deref(),
    )?))
}

#[utoipa::path(
    get,
    path = "/api/content/attributes-sets/{marker}/attributes",
    params(("marker" = String, Path), Lang),
    responses((status = 200, description = "OK", body = Vec<Attribute>)),
)]
async fn attributes(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<Lang>,
) -> ApiResult<Json<Vec<Attribute>>> {
    Ok(Json(catalog::attributes(
        &state.project(),
        &marker,
        q.lang_code.as_deref(),
    )?))
}

#[utoipa::path(
    get,
    path = "/api/content/attributes-sets/{marker}/attributes/{attribute}",
    params(("marker" = String, Path), ("attribute" = String, Path), Lang),
    responses((status = 200, description = "OK", body = Attribute)),
)]
async fn attribute(
    State(state): State<AppState>,
    ApiPath((set, marker)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<Lang>,
) -> ApiResult<Json<Attribute>> {
    Ok(Json(catalog::attribute(
        &state.project(),
        &set,
        &marker,
        q.lang_code.as_deref(),
    )?))
}

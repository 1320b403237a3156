//! `/api/content/product-statuses` (docs/wire.md §6.6). Wire quirk: the SDK never sends a
//! `langCode` here; localized maps go out whole and the SDK picks the language.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::catalog::{MarkerValidation, ProductStatus};

use crate::catalog;
use crate::error::ApiResult;
use crate::extract::ApiPath;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/marker/{marker}", get(by_marker))
        .route("/marker-validation/{marker}", get(validate))
}

#[utoipa::path(
    get,
    path = "/api/content/product-statuses",
    responses((status = 200, description = "OK", body = Vec<ProductStatus>)),
)]
async fn list(State(state): State<AppState>) -> Json<Vec<ProductStatus>> {
    Json(catalog::statuses(&state.project()))
}

#[utoipa::path(
    get,
    path = "/api/content/product-statuses/marker/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = ProductStatus)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<ProductStatus>> {
    Ok(Json(catalog::status_by_marker(&state.project(), &marker)?))
}

/// Wire quirk: `{"valid": bool}`, not a bare boolean (the SDK returns `.valid`).
#[utoipa::path(
    get,
    path = "/api/content/product-statuses/marker-validation/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = MarkerValidation)),
)]
async fn validate(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> Json<MarkerValidation> {
    Json(catalog::validate_marker(&state.project(), &marker))
}

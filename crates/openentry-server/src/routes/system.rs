//! `/api/content/system` (docs/wire.md §6.17): the platform's test routes and this node's
//! request statistics. Behind the app token like the rest of the Content API.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::system::ApiStat;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/test404", get(test404))
        .route("/test500", get(test500))
        .route("/api-stat", get(api_stat))
}

/// Always 404 with the SDK's error body, so a storefront can try its error handling.
#[utoipa::path(
    get,
    path = "/api/content/system/test404",
    responses((status = 404, description = "Always: a sample error", body = openentry_types::ErrorBody)),
)]
async fn test404() -> ApiResult<Json<()>> {
    Err(ApiError::NotFound(
        "Not found (System.test404 always answers 404)".to_owned(),
    ))
}

/// Always 500 with the SDK's error body; logged as intended, not as a failure.
#[utoipa::path(
    get,
    path = "/api/content/system/test500",
    responses((status = 500, description = "Always: a sample error", body = openentry_types::ErrorBody)),
)]
async fn test500() -> ApiResult<Json<()>> {
    Err(ApiError::Intended500(
        "Internal server error (System.test500 always answers 500, on purpose)".to_owned(),
    ))
}

/// Requests this node answered since it started (docs/decisions.md, "System").
#[utoipa::path(
    get,
    path = "/api/content/system/api-stat",
    responses((status = 200, description = "OK", body = ApiStat)),
)]
async fn api_stat(State(state): State<AppState>) -> Json<ApiStat> {
    Json(state.stats.snapshot(state.now()))
}

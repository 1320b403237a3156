//! `/api/content/forms` (docs/wire.md §6.7).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::forms::{Form, FormList};

use crate::catalog::{self, FormQuery};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/marker/{marker}", get(by_marker))
}

/// Wire quirk: an envelope `{total, items}`, not an array.
#[utoipa::path(
    get,
    path = "/api/content/forms",
    params(FormQuery),
    responses((status = 200, description = "OK", body = FormList)),
)]
async fn list(State(state): State<AppState>, ApiQuery(q): ApiQuery<FormQuery>) -> Json<FormList> {
    Json(catalog::forms(&state.project(), &q))
}

#[utoipa::path(
    get,
    path = "/api/content/forms/marker/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = Form)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<Form>> {
    Ok(Json(catalog::form_by_marker(&state.project(), &marker)?))
}

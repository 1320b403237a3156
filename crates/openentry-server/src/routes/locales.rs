//! `/api/content/locales` and `/api/content/general-types` (docs/wire.md §6.12).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::content::{GeneralTypeEntity, Locale};

use crate::content::locales;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/active/all", get(active))
}

pub(super) fn general_types_router() -> Router<AppState> {
    Router::new().route("/", get(general_types))
}

#[utoipa::path(
    get,
    path = "/api/content/locales/active/all",
    responses((status = 200, description = "OK", body = Vec<Locale>)),
)]
async fn active(State(state): State<AppState>) -> Json<Vec<Locale>> {
    Json(locales::active(&state.project()))
}

#[utoipa::path(
    get,
    path = "/api/content/general-types",
    responses((status = 200, description = "OK", body = Vec<GeneralTypeEntity>)),
)]
async fn general_types() -> Json<Vec<GeneralTypeEntity>> {
    Json(locales::general_types())
}

//! `/api/content/sitemap` (docs/wire.md §6.16) and the sitemap files under `/sitemaps`.
//!
//! Wire quirk: the SDK calls the prefix with a trailing slash (`/api/content/sitemap/`).
//! `updateSitemap` needs the install's admin token as its Bearer (an operator's script calls
//! `Sitemap.setAccessToken(adminToken)` first): the app token is public in every storefront,
//! and the sitemap's addresses are what search engines read.

use axum::extract::State;
use axum::http::header;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_types::templates::SitemapQuery;

use crate::content::sitemap;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath};
use crate::operators::guard::require_operator;
use crate::state::AppState;

/// The API routes, inside the app-token guard.
pub(super) fn router(state: &AppState) -> Router<AppState> {
    let update = || post(update).route_layer(from_fn_with_state(state.clone(), require_operator));
    Router::new()
        .route("/sitemap", get(list).merge(update()))
        .route("/sitemap/", get(list).merge(update()))
}

/// The files, public: crawlers send no app token, and they list only what is public anyway.
pub(super) fn files_router() -> Router<AppState> {
    Router::new().route(&format!("{}/{{file}}", sitemap::FILES), get(file))
}

#[utoipa::path(
    get,
    path = "/api/content/sitemap",
    responses((status = 200, description = "OK", body = Vec<String>)),
)]
async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(sitemap::list(&state.db, &state.project()).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/sitemap",
    request_body = SitemapQuery,
    responses((status = 200, description = "OK", body = Vec<String>)),
    security(("app_token" = [], "admin_token" = [])),
)]
async fn update(
    State(state): State<AppState>,
    op: crate::operators::Operator,
    ApiJson(body): ApiJson<SitemapQuery>,
) -> ApiResult<Json<Vec<String>>> {
    let files = sitemap::update(&state.db, &state.project(), body).await?;
    let resource = openentry_domain::operators::Resource::Content;
    let change = crate::audit::after("update", resource, "sitemap".to_owned(), &files);
    crate::audit::record(&state, &op, change).await?;
    Ok(Json(files))
}

#[utoipa::path(
    get,
    path = "/sitemaps/{file}",
    params(("file" = String, Path)),
    responses((status = 200, description = "A sitemap file", body = String, content_type = "application/xml")),
)]
async fn file(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let xml = sitemap::file(&state.db, &state.project(), &name).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    ))
}

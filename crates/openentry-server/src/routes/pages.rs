//! `/api/content/pages` (docs/wire.md §6.13). Wire quirk: every route below the prefix names
//! its first segment `{url}` (axum allows one name per position), so `getPageById` reads its
//! id from `{url}`. `/{url}/blocks` belongs to the blocks module and is merged in beside these.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::content::{Page, PageConfig, PageSearchHit};

use crate::content::pages::{self, PageQuery, SearchQuery};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(all))
        .route("/root", get(roots))
        .route("/quick/search", get(search))
        .route("/url/{url}", get(by_url))
        .route("/{url}", get(by_id))
        .route("/{url}/children", get(children))
        .route("/{url}/config", get(config))
}

#[utoipa::path(
    get,
    path = "/api/content/pages",
    params(PageQuery),
    responses((status = 200, description = "OK", body = Vec<Page>)),
)]
async fn all(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Vec<Page>>> {
    Ok(Json(pages::all(&state.project(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/root",
    params(PageQuery),
    responses((status = 200, description = "OK", body = Vec<Page>)),
)]
async fn roots(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Vec<Page>>> {
    Ok(Json(pages::roots(&state.project(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/quick/search",
    params(SearchQuery),
    responses((status = 200, description = "OK", body = Vec<PageSearchHit>)),
)]
async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Vec<PageSearchHit>>> {
    Ok(Json(pages::search(&state.project(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/url/{url}",
    params(("url" = String, Path), PageQuery),
    responses((status = 200, description = "OK", body = Page)),
)]
async fn by_url(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page>> {
    Ok(Json(pages::by_url(&state.project(), &url, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/{url}",
    params(("url" = String, Path), PageQuery),
    responses((status = 200, description = "OK", body = Page)),
)]
async fn by_id(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page>> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("Invalid path: \"{id}\" is not a page id")))?;
    Ok(Json(pages::by_id(&state.project(), id, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/{url}/children",
    params(("url" = String, Path), PageQuery),
    responses((status = 200, description = "OK", body = Vec<Page>)),
)]
async fn children(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Vec<Page>>> {
    Ok(Json(pages::children_of(&state.project(), &url, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/{url}/config",
    params(("url" = String, Path)),
    responses((status = 200, description = "OK", body = PageConfig)),
)]
async fn config(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
) -> ApiResult<Json<PageConfig>> {
    Ok(Json(pages::config_of(&state.project(), &url)?))
}

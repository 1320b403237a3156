//! `/api/content/blocks` and `GET /api/content/pages/{url}/blocks`: blocks and their product
//! lists, read from the project (frequently ordered products from the stored orders).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_types::blocks::{Block, BlockHit, BlockList};
use openentry_types::catalog::ProductList;

use crate::catalog::ProductQuery;
use crate::content::blocks::{self, BlockQuery};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        // Wire quirk: `getBlocks` is a POST without a body; its parameters are in the query.
        .route("/", post(list))
        .route("/marker/{marker}", get(by_marker))
        .route("/quick/search", get(search))
        .route("/{marker}/products", get(products))
        .route("/{marker}/similar-products", get(similar))
}

/// Frequently ordered products: read from the stored orders, so apart from the project-only
/// reads above (which are kept per revision, see `answer_cache`).
pub(super) fn ordered_router() -> Router<AppState> {
    Router::new().route(
        "/{marker}/products/{id}/frequently-ordered",
        get(frequently_ordered),
    )
}

/// The blocks of a page, nested under `/pages` (the parameter is `{url}` like every page
/// route, since one position takes one name).
pub(super) fn page_blocks_router() -> Router<AppState> {
    Router::new().route("/{url}/blocks", get(of_page))
}

#[utoipa::path(
    post,
    path = "/api/content/blocks",
    params(BlockQuery),
    responses((status = 200, description = "OK", body = BlockList)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BlockQuery>,
) -> ApiResult<Json<BlockList>> {
    Ok(Json(blocks::list(&state.project(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/blocks/marker/{marker}",
    params(("marker" = String, Path), BlockQuery),
    responses((status = 200, description = "OK", body = Block)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<BlockQuery>,
) -> ApiResult<Json<Block>> {
    Ok(Json(blocks::by_marker(&state.project(), &marker, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/blocks/quick/search",
    params(BlockQuery),
    responses((status = 200, description = "OK", body = Vec<BlockHit>)),
)]
async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BlockQuery>,
) -> ApiResult<Json<Vec<BlockHit>>> {
    Ok(Json(blocks::search(&state.project(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/blocks/{marker}/products",
    params(("marker" = String, Path), ProductQuery),
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn products(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductList>> {
    Ok(Json(blocks::products(&state.project(), &marker, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/blocks/{marker}/similar-products",
    params(("marker" = String, Path), ProductQuery),
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn similar(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductList>> {
    Ok(Json(blocks::similar(&state.project(), &marker, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/blocks/{marker}/products/{id}/frequently-ordered",
    params(("marker" = String, Path), ("id" = i64, Path), ProductQuery),
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn frequently_ordered(
    State(state): State<AppState>,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let list = blocks::frequently_ordered(&state.db, &project, &marker, id, &q).await?;
    Ok(Json(list))
}

#[utoipa::path(
    get,
    path = "/api/content/pages/{url}/blocks",
    params(("url" = String, Path), BlockQuery),
    responses((status = 200, description = "OK", body = Vec<Block>)),
)]
async fn of_page(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiQuery(q): ApiQuery<BlockQuery>,
) -> ApiResult<Json<Vec<Block>>> {
    Ok(Json(blocks::of_page(&state.project(), &url, &q)?))
}

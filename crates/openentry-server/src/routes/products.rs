//! `/api/content/products` (docs/wire.md §6.5): the catalog's products, read-only.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_types::catalog::{
    Product, ProductCounts, ProductFilterBody, ProductGroup, ProductList, ProductPriceList,
    SearchHit,
};
use serde_json::Value;

use crate::catalog::{Catalog, ProductQuery, Scope};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    // Wire quirk: `/page/{page}` takes a page id (POST) or a page URL (`…/prices`), so both
    // share one parameter name.
    Router::new()
        .route("/all", post(all))
        .route("/all/counts", post(count_all))
        .route("/empty-page", post(empty_page))
        .route("/ids", get(by_ids))
        .route("/quick/search", get(search))
        .route("/page/url/{url}", post(by_page_url))
        .route("/page/url/{url}/counts", post(count_by_page_url))
        .route("/page/{page}", post(by_page_id))
        .route("/page/{page}/counts", post(count_by_page_id))
        .route("/page/{page}/prices", get(prices_by_page_url))
        .route("/{id}", get(by_id))
        .route("/{id}/related", get(related))
        .route("/{id}/blocks", get(blocks))
}

#[utoipa::path(
    post,
    path = "/api/content/products/all",
    params(ProductQuery),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn all(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.list(Scope::All, body.items(), &q)?))
}

#[utoipa::path(
    post,
    path = "/api/content/products/empty-page",
    params(ProductQuery),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = Vec<ProductGroup>)),
)]
async fn empty_page(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<Vec<ProductGroup>>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.empty_page(body.items(), &q)?))
}

#[utoipa::path(
    post,
    path = "/api/content/products/page/{page}",
    params(("page" = i64, Path), ProductQuery),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn by_page_id(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProductQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.list(Scope::PageId(id), body.items(), &q)?))
}

#[utoipa::path(
    post,
    path = "/api/content/products/page/url/{url}",
    params(("url" = String, Path), ProductQuery),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn by_page_url(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiQuery(q): ApiQuery<ProductQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.list(Scope::PageUrl(&url), body.items(), &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/products/page/{page}/prices",
    params(("page" = String, Path), ProductQuery),
    responses((status = 200, description = "OK", body = ProductPriceList)),
)]
async fn prices_by_page_url(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductPriceList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.prices(&url, &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/products/{id}/related",
    params(("id" = i64, Path), ProductQuery),
    responses((status = 200, description = "OK", body = ProductList)),
)]
async fn related(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.list(Scope::Related(id), &[], &q)?))
}

#[utoipa::path(
    get,
    path = "/api/content/products/ids",
    params(ProductQuery),
    responses((status = 200, description = "OK", body = Vec<Product>)),
)]
async fn by_ids(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Vec<Product>>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.by_ids(q.ids.as_deref().unwrap_or_default())?))
}

#[utoipa::path(
    get,
    path = "/api/content/products/{id}",
    params(("id" = i64, Path), ProductQuery),
    responses((status = 200, description = "OK", body = Product)),
)]
async fn by_id(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Product>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, q.lang_code.as_deref())?.product(id)?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/content/products/{id}/blocks",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = Vec<Value>)),
)]
async fn blocks(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Value>>> {
    let project = state.project();
    Ok(Json(Catalog::new(&project, None)?.blocks(id)?))
}

#[utoipa::path(
    get,
    path = "/api/content/products/quick/search",
    params(ProductQuery),
    responses((status = 200, description = "OK", body = Vec<SearchHit>)),
)]
async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Vec<SearchHit>>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, q.lang_code.as_deref())?.search(q.name.as_deref()),
    ))
}

#[utoipa::path(
    post,
    path = "/api/content/products/all/counts",
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = ProductCounts)),
)]
async fn count_all(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductCounts>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, None)?.counts(Scope::All, body.items())?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/content/products/page/{page}/counts",
    params(("page" = i64, Path)),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = ProductCounts)),
)]
async fn count_by_page_id(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductCounts>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, None)?.counts(Scope::PageId(id), body.items())?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/content/products/page/url/{url}/counts",
    params(("url" = String, Path)),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = ProductCounts)),
)]
async fn count_by_page_url(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductCounts>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, None)?.counts(Scope::PageUrl(&url), body.items())?,
    ))
}

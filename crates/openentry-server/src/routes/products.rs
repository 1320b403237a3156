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

async fn all(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.list(Scope::All, body.items(), &q)?))
}

async fn empty_page(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<Vec<ProductGroup>>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.empty_page(body.items(), &q)?))
}

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

async fn prices_by_page_url(
    State(state): State<AppState>,
    ApiPath(url): ApiPath<String>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductPriceList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.prices(&url, &q)?))
}

async fn related(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<ProductList>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.list(Scope::Related(id), &[], &q)?))
}

async fn by_ids(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Vec<Product>>> {
    let project = state.project();
    let cat = Catalog::new(&project, q.lang_code.as_deref())?;
    Ok(Json(cat.by_ids(q.ids.as_deref().unwrap_or_default())?))
}

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

async fn blocks(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Value>>> {
    let project = state.project();
    Ok(Json(Catalog::new(&project, None)?.blocks(id)?))
}

async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Vec<SearchHit>>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, q.lang_code.as_deref())?.search(q.name.as_deref()),
    ))
}

async fn count_all(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<ProductCounts>> {
    let project = state.project();
    Ok(Json(
        Catalog::new(&project, None)?.counts(Scope::All, body.items())?,
    ))
}

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

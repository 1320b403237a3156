//! `/api/content/orders-storage` (docs/wire.md §6.2).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_types::orders::{
    Order, OrderCreated, OrderList, OrderPreview, OrderStatus, OrderStorage, PreviewRequest,
};
use openentry_types::paging::Paging;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CurrentUser, MaybeUser};
use crate::orders::{create, preview, read, update};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(storages))
        .route("/orders/preview", post(preview_order))
        .route("/marker/{marker}", get(storage))
        .route("/marker/{marker}/order-statuses", get(statuses))
        .route("/marker/{marker}/orders", get(list).post(create_order))
        .route(
            "/marker/{marker}/orders/{id}",
            get(get_order).put(update_order),
        )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
}

impl Page {
    fn paging(&self) -> Paging {
        Paging::from_query(self.offset, self.limit)
    }
}

#[utoipa::path(
    get,
    path = "/api/content/orders-storage",
    params(Page),
    responses((status = 200, description = "OK", body = Vec<OrderStorage>)),
)]
async fn storages(
    State(state): State<AppState>,
    ApiQuery(page): ApiQuery<Page>,
) -> Json<Vec<OrderStorage>> {
    Json(page.paging().slice(read::storages(&state)))
}

#[utoipa::path(
    get,
    path = "/api/content/orders-storage/marker/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = OrderStorage)),
)]
async fn storage(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<OrderStorage>> {
    Ok(Json(read::storage_by_marker(&state, &marker)?))
}

#[utoipa::path(
    get,
    path = "/api/content/orders-storage/marker/{marker}/order-statuses",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = Vec<OrderStatus>)),
)]
async fn statuses(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<Vec<OrderStatus>>> {
    Ok(Json(read::statuses(&state, &marker).await?))
}

#[utoipa::path(
    get,
    path = "/api/content/orders-storage/marker/{marker}/orders",
    params(("marker" = String, Path), Page),
    responses((status = 200, description = "OK", body = OrderList)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<OrderList>> {
    Ok(Json(read::list(&state, &me, &marker, page.paging()).await?))
}

#[utoipa::path(
    get,
    path = "/api/content/orders-storage/marker/{marker}/orders/{id}",
    params(("marker" = String, Path), ("id" = i64, Path)),
    responses((status = 200, description = "OK", body = Order)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn get_order(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
) -> ApiResult<Json<Order>> {
    Ok(Json(read::get(&state, &me, &marker, id).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/orders-storage/marker/{marker}/orders",
    params(("marker" = String, Path)),
    request_body = openentry_types::orders::OrderRequest,
    responses((status = 201, description = "Created (or the stored answer replayed for an `Idempotency-Key` seen before)", body = OrderCreated)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn create_order(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(marker): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    let key = crate::idempotency::key(&headers)?;
    let stored = create::create(&state, &me, &marker, body, key).await?;
    Ok(stored.into_response())
}

#[utoipa::path(
    put,
    path = "/api/content/orders-storage/marker/{marker}/orders/{id}",
    params(("marker" = String, Path), ("id" = i64, Path)),
    request_body = openentry_types::orders::OrderRequest,
    responses((status = 200, description = "OK", body = OrderCreated)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn update_order(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<OrderCreated>> {
    Ok(Json(update::update(&state, &me, &marker, id, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/orders-storage/orders/preview",
    params(Page),
    request_body = PreviewRequest,
    responses((status = 200, description = "OK", body = OrderPreview)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [])),
)]
async fn preview_order(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    ApiQuery(page): ApiQuery<Page>,
    ApiJson(body): ApiJson<PreviewRequest>,
) -> ApiResult<Json<OrderPreview>> {
    let user = me.map(|m| m.user_id);
    Ok(Json(
        preview::preview(&state, user, &body, page.lang_code.as_deref()).await?,
    ))
}

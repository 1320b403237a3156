//! `/api/content/orders/{id}/refund` (docs/wire.md §6.2).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::orders::{RefundRequest, RefundRequestBody};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentUser};
use crate::orders::refunds;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/{id}/refund", get(list).post(create).delete(cancel))
}

#[utoipa::path(
    get,
    path = "/api/content/orders/{id}/refund",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = Vec<RefundRequest>)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RefundRequest>>> {
    Ok(Json(refunds::list(&state, &me, id).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/orders/{id}/refund",
    params(("id" = i64, Path)),
    request_body = RefundRequestBody,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RefundRequestBody>,
) -> ApiResult<Json<bool>> {
    Ok(Json(refunds::create(&state, &me, id, body).await?))
}

#[utoipa::path(
    delete,
    path = "/api/content/orders/{id}/refund",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn cancel(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<bool>> {
    Ok(Json(refunds::cancel(&state, &me, id).await?))
}

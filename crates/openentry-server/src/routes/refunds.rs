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

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<RefundRequest>>> {
    Ok(Json(refunds::list(&state, &me, id).await?))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RefundRequestBody>,
) -> ApiResult<Json<bool>> {
    Ok(Json(refunds::create(&state, &me, id, body).await?))
}

async fn cancel(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<bool>> {
    Ok(Json(refunds::cancel(&state, &me, id).await?))
}

//! `/api/admin/orders`: every order, an order's history, and the operator's status change.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use openentry_types::admin::{AdminOrders, HistoryEntry, StatusChange};
use openentry_types::orders::Order;

use super::Page;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/orders/{id}/status", put(set_status))
        .route("/orders/{id}/history", get(history))
        .route("/orders", get(orders))
}

async fn orders(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<AdminOrders>> {
    Ok(Json(
        crate::orders::admin::list_all(&state, p.paging()).await?,
    ))
}

async fn set_status(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusChange>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        crate::orders::update::set_status(&state, id, &body.status_identifier).await?,
    ))
}

async fn history(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    Ok(Json(crate::orders::admin::history(&state, id).await?))
}

//! `/api/admin/orders`: every order, an order's history, the operator's status change and
//! refund decisions.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use openentry_types::admin::{AdminOrders, HistoryEntry, StatusChange};
use openentry_types::orders::{Order, RefundRequest, RefundStatus};
use serde::Deserialize;

use super::Page;
use openentry_domain::operators::Resource;

use crate::audit;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::operators::Operator;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/orders/{id}/status", put(set_status))
        .route("/orders/{id}/history", get(history))
        .route("/orders/{id}/refund", put(decide_refund))
        .route("/orders", get(orders))
}

#[utoipa::path(
    get,
    path = "/api/admin/orders",
    params(Page),
    responses((status = 200, description = "OK", body = AdminOrders)),
)]
async fn orders(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<AdminOrders>> {
    Ok(Json(
        crate::orders::admin::list_all(&state, p.paging()).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/admin/orders/{id}/status",
    params(("id" = i64, Path)),
    request_body = StatusChange,
    responses((status = 200, description = "OK", body = Order)),
)]
async fn set_status(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusChange>,
) -> ApiResult<Json<Order>> {
    let order = crate::orders::update::set_status(&state, id, &body.status_identifier).await?;
    let change = audit::after("status", Resource::Orders, format!("orders/{id}"), &order);
    audit::record(&state, &op, change).await?;
    Ok(Json(order))
}

#[utoipa::path(
    get,
    path = "/api/admin/orders/{id}/history",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = Vec<HistoryEntry>)),
)]
async fn history(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    Ok(Json(crate::orders::admin::history(&state, id).await?))
}

/// `{"status": "approved" | "rejected"}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RefundDecision {
    status: RefundStatus,
}

/// Decides the order's open refund request (docs/decisions.md, "Discounts, second part").
#[utoipa::path(
    put,
    path = "/api/admin/orders/{id}/refund",
    params(("id" = i64, Path)),
    request_body = RefundDecision,
    responses((status = 200, description = "OK", body = RefundRequest)),
)]
async fn decide_refund(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RefundDecision>,
) -> ApiResult<Json<RefundRequest>> {
    let refund = crate::orders::refund_admin::decide(&state, id, body.status).await?;
    let change = audit::after("refund", Resource::Refunds, format!("orders/{id}"), &refund);
    audit::record(&state, &op, change).await?;
    Ok(Json(refund))
}

//! `/api/admin/orders`: every order, an order's history, the operator's status change and
//! refund decisions.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_types::admin::{AdminOrders, HistoryEntry, StatusChange};
use openentry_types::orders::{Order, RefundRequest, RefundStatus};
use openentry_types::paging::Paging;
use serde::Deserialize;

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

/// `?offset=&limit=&storage=&status=`: a page of orders, optionally of one storage and one
/// status (by marker).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OrdersQuery {
    offset: Option<i64>,
    limit: Option<i64>,
    /// Only orders in this storage (marker).
    storage: Option<String>,
    /// Only orders in this status (marker).
    status: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/admin/orders",
    params(OrdersQuery),
    responses((status = 200, description = "OK", body = AdminOrders)),
)]
async fn orders(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OrdersQuery>,
) -> ApiResult<Json<AdminOrders>> {
    let filter = crate::orders::admin::Filter {
        storage: q.storage,
        status: q.status,
    };
    let page = Paging::from_query(q.offset, q.limit);
    Ok(Json(
        crate::orders::admin::list_all(&state, &filter, page).await?,
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

//! `GET /api/admin/refunds?status=`: every order's refund requests (the decision is
//! `PUT /api/admin/orders/{id}/refund`).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::admin_data::AdminRefunds;
use openentry_types::paging::Paging;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/refunds", get(list))
}

/// `?status=pending&offset=&limit=` (`status`: `pending`, `canceled`, `approved`,
/// `rejected`; any when absent).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct RefundQuery {
    status: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/admin/refunds",
    params(RefundQuery),
    responses((status = 200, description = "OK", body = AdminRefunds)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<RefundQuery>,
) -> ApiResult<Json<AdminRefunds>> {
    let page = Paging::from_query(p.offset, p.limit);
    Ok(Json(
        crate::orders::refund_admin::list(&state, p.status.as_deref(), page).await?,
    ))
}

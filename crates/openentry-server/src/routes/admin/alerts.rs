//! `GET /api/admin/payments/alerts`: payments an operator must look at (an amount or currency
//! that differs from its session's, a payment for a closed order), newest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::admin::Alert;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/payments/alerts", get(alerts))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Limit {
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/admin/payments/alerts",
    params(Limit),
    responses((status = 200, description = "OK", body = Vec<Alert>)),
)]
async fn alerts(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Limit>,
) -> ApiResult<Json<Vec<Alert>>> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    Ok(Json(crate::payments::admin::alerts(&state, limit).await?))
}

//! `/api/admin/payments/sessions`: every payment session, and the operator's completion or
//! cancellation of one (offline accounts: the cash was received, or never will be).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_domain::payments::SessionStatus;
use openentry_types::payments::{PaymentSession, PaymentSessionList};

use super::Page;
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/payments/sessions", get(sessions))
        .route("/payments/sessions/{id}/complete", post(complete))
        .route("/payments/sessions/{id}/cancel", post(cancel))
}

#[utoipa::path(
    get,
    path = "/api/admin/payments/sessions",
    params(Page),
    responses((status = 200, description = "OK", body = PaymentSessionList)),
)]
async fn sessions(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<PaymentSessionList>> {
    Ok(Json(
        crate::payments::admin::sessions(&state, p.paging()).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/admin/payments/sessions/{id}/complete",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = PaymentSession)),
)]
async fn complete(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    Ok(Json(
        crate::payments::admin::operator_set(&state, id, SessionStatus::Completed).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/admin/payments/sessions/{id}/cancel",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = PaymentSession)),
)]
async fn cancel(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    Ok(Json(
        crate::payments::admin::operator_set(&state, id, SessionStatus::Canceled).await?,
    ))
}

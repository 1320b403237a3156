//! `/api/admin/payments/sessions`: every payment session, and the operator's completion or
//! cancellation of one (offline accounts: the cash was received, or never will be).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_domain::payments::SessionStatus;
use openentry_types::payments::{PaymentSession, PaymentSessionList};

use super::Page;
use openentry_domain::operators::Resource;

use crate::audit::{self, Change};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::operators::Operator;
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
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    settle(&state, &op, id, SessionStatus::Completed, "settle").await
}

/// Moves an offline session as the operator says, and records who did.
async fn settle(
    state: &AppState,
    op: &Operator,
    id: i64,
    to: SessionStatus,
    action: &'static str,
) -> ApiResult<Json<PaymentSession>> {
    let session = crate::payments::admin::operator_set(state, id, to).await?;
    let change: Change = audit::after(
        action,
        Resource::Payments,
        format!("payments/sessions/{id}"),
        &session,
    );
    audit::record(state, op, change).await?;
    Ok(Json(session))
}

#[utoipa::path(
    post,
    path = "/api/admin/payments/sessions/{id}/cancel",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = PaymentSession)),
)]
async fn cancel(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    settle(&state, &op, id, SessionStatus::Canceled, "cancel").await
}

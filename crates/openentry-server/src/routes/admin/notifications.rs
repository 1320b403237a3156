//! `GET /api/admin/notifications`: stored messages (one-time codes until e-mail delivery
//! exists), newest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::admin::Notification;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/notifications", get(notifications))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Filter {
    recipient: Option<String>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/admin/notifications",
    params(Filter),
    responses((status = 200, description = "OK", body = Vec<Notification>)),
)]
async fn notifications(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<Filter>,
) -> ApiResult<Json<Vec<Notification>>> {
    let limit = f.limit.unwrap_or(50).clamp(1, 500);
    Ok(Json(
        crate::notify::stored(&state, f.recipient.as_deref(), limit).await?,
    ))
}

//! `POST /api/admin/discounts/bonus-balance/adjust {userId, delta, reason}`: an operator adds
//! points (`ACCRUAL`) or takes them (`REDUCE`, never below a zero balance).

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Number, Value};

use crate::bonus_admin;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/discounts/bonus-balance/adjust", post(adjust))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Adjust {
    user_id: i64,
    #[schema(value_type = f64)]
    delta: Number,
    reason: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/admin/discounts/bonus-balance/adjust",
    request_body = Adjust,
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn adjust(
    State(state): State<AppState>,
    op: crate::operators::Operator,
    ApiJson(a): ApiJson<Adjust>,
) -> ApiResult<Json<Value>> {
    let delta =
        bonus_admin::parse_delta(&a.delta.to_string()).ok_or_else(bonus_admin::bad_delta)?;
    let change = bonus_admin::adjust(&state, a.user_id, delta, a.reason.as_deref()).await?;
    let after = change.after.clone().unwrap_or_default();
    crate::audit::record(&state, &op, change).await?;
    Ok(Json(after))
}

//! `POST /api/admin/discounts/bonus-balance/adjust {userId, delta, reason}`: an operator adds
//! points (`ACCRUAL`) or takes them (`REDUCE`, never below a zero balance).

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use openentry_store::bonus::{self, NewEntry};
use serde::Deserialize;
use serde_json::{Number, Value, json};

use crate::error::{ApiError, ApiResult};
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

/// A signed decimal with at most two decimals as hundredths.
fn hundredths(n: &Number) -> Option<i64> {
    let t = n.to_string();
    let (neg, digits) = t
        .strip_prefix('-')
        .map_or((false, t.as_str()), |d| (true, d));
    let v = openentry_domain::money::parse(digits, 2).ok()?;
    Some(if neg { -v } else { v })
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
    let delta = hundredths(&a.delta).filter(|d| *d != 0).ok_or_else(|| {
        ApiError::BadRequest(
            "delta is a non-zero number of points with at most two decimals".to_owned(),
        )
    })?;
    let mut tx = state.db.begin().await?;
    if !bonus::lock_user(&mut tx, a.user_id).await? {
        return Err(ApiError::NotFound(format!(
            "User {} does not exist",
            a.user_id
        )));
    }
    let before = bonus::balance(&mut tx, a.user_id).await?;
    if before.saturating_add(delta) < 0 {
        return Err(ApiError::Conflict(format!(
            "The balance is {}: it cannot go below zero",
            super::super::bonus::points(before)
        )));
    }
    let entry = NewEntry {
        user_id: a.user_id,
        amount: delta,
        kind: if delta > 0 { "ACCRUAL" } else { "REDUCE" },
        discount: "",
        order_id: None,
        comment: a.reason.as_deref(),
        by_admin: true,
        expires_at: None,
        refund_id: 0,
    };
    bonus::add(&mut tx, &entry, state.now()).await?;
    tx.commit().await?;
    let after = json!({ "balance": super::super::bonus::points(before + delta) });
    let change = crate::audit::Change {
        action: "adjust",
        resource: openentry_domain::operators::Resource::Discounts,
        target: format!("bonus/users/{}", a.user_id),
        before: Some(json!({ "balance": super::super::bonus::points(before) })),
        after: Some(after.clone()),
    };
    crate::audit::record(&state, &op, change).await?;
    Ok(Json(after))
}

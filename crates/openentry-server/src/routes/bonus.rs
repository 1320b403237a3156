//! `/api/content/discounts/bonus-balance` (docs/wire.md §6.9): the signed-in user's bonus
//! balance and its history, read from the ledger (hundredths of a point served as numbers).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiResult;
use crate::extract::{ApiQuery, CurrentUser};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/bonus-balance", get(balance))
        .route("/bonus-balance/history", get(history))
}

/// Hundredths of a point as a wire number (`1050` → `10.5`).
pub(crate) fn points(hundredths: i64) -> Value {
    openentry_domain::money::format_short(hundredths, 2)
        .parse::<serde_json::Number>()
        .map_or(Value::Null, Value::Number)
}

async fn balance(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<Value>> {
    let b = crate::orders::bonus::balance(&state, me.user_id).await?;
    Ok(Json(json!({ "balance": points(b) })))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    date_from: Option<String>,
    date_to: Option<String>,
    is_admin: Option<String>,
    discount_id: Option<String>,
    module_id: Option<String>,
}

/// Entries oldest first, filtered by type, time (`dateFrom` inclusive, `dateTo` exclusive,
/// RFC 3339) and `isAdmin`; `discountId` and `moduleId` match nothing but their own entries.
async fn history(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> ApiResult<Json<Value>> {
    crate::orders::bonus::balance(&state, me.user_id).await?;
    let all = openentry_store::bonus::history(&state.db, me.user_id).await?;
    let from = q.date_from.as_deref().and_then(Timestamp::parse_rfc3339);
    let to = q.date_to.as_deref().and_then(Timestamp::parse_rfc3339);
    let admin = q.is_admin.as_deref().map(|v| v == "true");
    let by_discount = q.discount_id.is_some() || q.module_id.is_some();
    let items: Vec<Value> = all
        .into_iter()
        .filter(|e| q.kind.as_deref().is_none_or(|k| k == e.kind))
        .filter(|e| from.is_none_or(|f| e.created_at >= f.0))
        .filter(|e| to.is_none_or(|t| e.created_at < t.0))
        .filter(|e| admin.is_none_or(|a| a == e.by_admin))
        .filter(|_| !by_discount)
        .map(|e| {
            let mut v = json!({
                "balanceId": me.user_id,
                "amount": points(e.amount),
                "type": e.kind,
                "isAdmin": e.by_admin,
                "triggerType": "EVENT",
                "createdAt": Timestamp(e.created_at).to_rfc3339(),
            });
            if let Some(o) = e.order_id {
                v["entityIdentifier"] = json!(o.to_string());
            }
            if let Some(c) = e.comment {
                v["comment"] = json!(c);
            }
            v
        })
        .collect();
    Ok(Json(Value::Array(items)))
}

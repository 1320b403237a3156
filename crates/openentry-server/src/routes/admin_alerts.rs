//! `GET /api/admin/payments/alerts`: payments an operator must look at (an amount or currency
//! that differs from its session's, a payment for a closed order), newest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/payments/alerts", get(alerts))
}

#[derive(Debug, Deserialize)]
struct Limit {
    limit: Option<i64>,
}

/// An alert as operators read it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    id: i64,
    session_id: Option<i64>,
    event_id: String,
    kind: String,
    detail: serde_json::Value,
    created_at: String,
}

async fn alerts(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Limit>,
) -> ApiResult<Json<Vec<Alert>>> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let rows = openentry_store::payments::list_alerts(&state.db, limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| Alert {
                id: a.id,
                session_id: a.session_id,
                event_id: a.event_id,
                kind: a.kind,
                detail: a.detail,
                created_at: Timestamp(a.created_at).to_rfc3339(),
            })
            .collect(),
    ))
}

//! `/api/admin`: operator surface, behind the admin token.

use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use openentry_types::orders::Order;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications))
        .route("/orders/{id}/status", put(set_status))
        .route("/orders/{id}/history", get(history))
}

#[derive(Debug, Deserialize)]
struct Filter {
    recipient: Option<String>,
    limit: Option<i64>,
}

/// A stored message (one-time codes until e-mail delivery exists).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    id: i64,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    created_at: String,
}

async fn notifications(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<Filter>,
) -> ApiResult<Json<Vec<Notification>>> {
    let limit = f.limit.unwrap_or(50).clamp(1, 500);
    let rows =
        openentry_store::notifications::list(&state.db, f.recipient.as_deref(), limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|n| Notification {
                id: n.id,
                channel: n.channel,
                recipient: n.recipient,
                subject: n.subject,
                body: n.body,
                created_at: Timestamp(n.created_at).to_rfc3339(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusChange {
    status_identifier: String,
}

async fn set_status(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusChange>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        crate::orders::update::set_status(&state, id, &body.status_identifier).await?,
    ))
}

/// One change of an order.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryEntry {
    at: String,
    actor: String,
    kind: String,
    detail: serde_json::Value,
}

async fn history(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    if openentry_store::orders::find(&state.db, id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound(format!("Order {id} does not exist")));
    }
    let rows = openentry_store::orders::history(&state.db, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|h| HistoryEntry {
                at: Timestamp(h.at).to_rfc3339(),
                actor: h.actor,
                kind: h.kind,
                detail: serde_json::from_str(&h.detail).unwrap_or_default(),
            })
            .collect(),
    ))
}

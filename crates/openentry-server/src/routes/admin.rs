//! `/api/admin`: operator surface, behind the admin token.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/notifications", get(notifications))
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

//! `/api/admin`: operator surface, behind the admin token.

use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use openentry_domain::payments::SessionStatus;
use openentry_types::orders::Order;
use openentry_types::paging::Paging;
use openentry_types::payments::{PaymentSession, PaymentSessionList};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(notifications))
        .route("/orders/{id}/status", put(set_status))
        .route("/orders/{id}/history", get(history))
        .route("/orders", get(orders))
        .route("/payments/sessions", get(sessions))
        .route("/payments/sessions/{id}/complete", post(complete))
        .route("/payments/sessions/{id}/cancel", post(cancel))
        .route("/outbox", get(outbox))
}

#[derive(Debug, Deserialize)]
struct Aggregate {
    aggregate: String,
    id: i64,
}

/// An event of the outbox.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OutboxEvent {
    id: i64,
    kind: String,
    payload: serde_json::Value,
    created_at: String,
}

async fn outbox(
    State(state): State<AppState>,
    ApiQuery(a): ApiQuery<Aggregate>,
) -> ApiResult<Json<Vec<OutboxEvent>>> {
    let rows = openentry_store::outbox::list_for_aggregate(&state.db, &a.aggregate, a.id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|e| OutboxEvent {
                id: e.id,
                kind: e.kind,
                payload: e.payload,
                created_at: Timestamp(e.created_at).to_rfc3339(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize)]
struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
}

impl Page {
    fn paging(&self) -> Paging {
        Paging::from_query(self.offset, self.limit)
    }
}

/// All orders, newest first, with their owners.
#[derive(Debug, Serialize)]
struct AdminOrders {
    items: Vec<AdminOrder>,
    total: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AdminOrder {
    user_id: Option<i64>,
    #[serde(flatten)]
    order: Order,
}

async fn orders(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<AdminOrders>> {
    let (rows, total) = openentry_store::orders::list_all(&state.db, p.paging()).await?;
    let project = state.project();
    let mut items = Vec::with_capacity(rows.len());
    for o in rows {
        let lines = openentry_store::orders::list_lines(&state.db, o.id).await?;
        items.push(AdminOrder {
            user_id: o.user_id,
            order: crate::orders::wire::stored(&project, &o, &lines)?,
        });
    }
    Ok(Json(AdminOrders { items, total }))
}

async fn sessions(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<PaymentSessionList>> {
    crate::payments::lifecycle::expire_due(&state, None).await?;
    let (rows, total) = openentry_store::payments::list_all(&state.db, p.paging()).await?;
    let project = state.project();
    Ok(Json(PaymentSessionList {
        items: rows
            .iter()
            .map(|s| crate::payments::wire::session(&project, s))
            .collect(),
        total,
    }))
}

async fn complete(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    Ok(Json(
        crate::payments::sessions::operator_set(&state, id, SessionStatus::Completed).await?,
    ))
}

async fn cancel(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    Ok(Json(
        crate::payments::sessions::operator_set(&state, id, SessionStatus::Canceled).await?,
    ))
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
    if openentry_store::orders::get(&state.db, id).await?.is_none() {
        return Err(ApiError::NotFound(format!("Order {id} does not exist")));
    }
    let rows = openentry_store::orders::list_history(&state.db, id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|h| HistoryEntry {
                at: Timestamp(h.at).to_rfc3339(),
                actor: h.actor,
                kind: h.kind,
                detail: h.detail,
            })
            .collect(),
    ))
}

//! The operator's view of deliveries: the log (sent, failed, pending, dead, with the last
//! error) per event, per user, per endpoint, a page at a time; replay of a dead delivery.

use std::str::FromStr;

use openentry_domain::project::Channel;
use openentry_store::deliveries::{self, DeliveryRecord, LogFilter};
use openentry_types::paging::Paging;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A delivery as `/api/admin/deliveries` shows it (never the receiver's response body: none
/// is stored).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    /// Stable id (`webhook-id`).
    pub id: String,
    /// The outbox row.
    pub outbox_id: i64,
    /// Event marker.
    pub event: String,
    /// Channel.
    pub channel: String,
    /// Endpoint or user.
    pub target: String,
    /// The user it concerns, if any.
    pub user_id: Option<i64>,
    /// `pending`, `sending`, `sent`, `dead`.
    pub state: String,
    /// Attempts started.
    pub attempts: i64,
    /// Next attempt or end of the lease.
    pub due_at: String,
    /// Last HTTP status.
    pub last_status: Option<i64>,
    /// Last attempt's duration.
    pub last_latency_ms: Option<i64>,
    /// Last error.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: String,
    /// Last change.
    pub updated_at: String,
}

fn view(d: DeliveryRecord) -> DeliveryView {
    DeliveryView {
        due_at: super::rfc3339(d.due_at),
        created_at: super::rfc3339(d.created_at),
        updated_at: super::rfc3339(d.updated_at),
        id: d.id,
        outbox_id: d.outbox_id,
        event: d.event,
        channel: d.channel,
        target: d.target,
        user_id: d.user_id,
        state: d.state,
        attempts: d.attempts,
        last_status: d.last_status,
        last_latency_ms: d.last_latency_ms,
        last_error: d.last_error,
    }
}

/// The states a filter may name: the stored ones, and `failed` (pending after a failed
/// attempt, waiting for its retry).
const STATES: [&str; 5] = ["pending", "sending", "sent", "dead", "failed"];

/// A page of the log with the number of entries the filter matches.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryPage {
    /// This page, newest first.
    pub items: Vec<DeliveryView>,
    /// Entries in all.
    pub total: i64,
}

/// The log, newest first, filtered (state, event, channel, target, user, outbox row), a page.
pub(crate) async fn log(
    state: &AppState,
    filter: &LogFilter,
    page: Paging,
) -> ApiResult<DeliveryPage> {
    if let Some(s) = filter.state.as_deref().filter(|s| !STATES.contains(s)) {
        return Err(ApiError::BadRequest(format!(
            "state \"{s}\" is not one of {}",
            STATES.join(", ")
        )));
    }
    if let Some(c) = filter
        .channel
        .as_deref()
        .filter(|c| Channel::from_str(c).is_err())
    {
        return Err(ApiError::BadRequest(format!(
            "channel \"{c}\" is not one of email, websocket, webhook, push"
        )));
    }
    let rows = deliveries::list(&state.db, filter, page).await?;
    let total = deliveries::count(&state.db, filter).await?;
    Ok(DeliveryPage {
        items: rows.into_iter().map(view).collect(),
        total,
    })
}

/// Puts a dead delivery back in line (attempts reset, due now).
pub(crate) async fn replay(state: &AppState, id: &str) -> ApiResult<DeliveryView> {
    let Some(d) = deliveries::get(&state.db, id).await? else {
        return Err(ApiError::NotFound(format!("delivery {id} not found")));
    };
    if !deliveries::replay(&state.db, id, state.now()).await? {
        return Err(ApiError::Conflict(format!(
            "delivery {id} is {}, not dead",
            d.state
        )));
    }
    deliveries::get(&state.db, id)
        .await?
        .map(view)
        .ok_or_else(|| ApiError::NotFound(format!("delivery {id} not found")))
}

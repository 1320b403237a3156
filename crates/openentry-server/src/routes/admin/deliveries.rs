//! `/api/admin/deliveries`: the event delivery log, replay of dead deliveries, and
//! `POST /api/admin/relay/run`, one relay pass now (operators after an outage; tests, which
//! turn the background pass off and drive the clock).

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use openentry_store::deliveries::LogFilter;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::relay::PassReport;
use crate::relay::admin::DeliveryView;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/deliveries", get(list))
        .route("/deliveries/{id}/replay", post(replay))
        .route("/relay/run", post(run))
}

/// `?state=&event=&target=&outboxId=&limit=`: the log per state, per event, per endpoint or
/// user, per outbox row.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    state: Option<String>,
    event: Option<String>,
    target: Option<String>,
    outbox_id: Option<i64>,
    limit: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<Filter>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    let limit = f.limit.unwrap_or(100);
    let filter = LogFilter {
        state: f.state,
        event: f.event,
        target: f.target,
        outbox_id: f.outbox_id,
    };
    Ok(Json(
        crate::relay::admin::log(&state, &filter, limit).await?,
    ))
}

async fn replay(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<DeliveryView>> {
    Ok(Json(crate::relay::admin::replay(&state, &id).await?))
}

async fn run(State(state): State<AppState>) -> ApiResult<Json<PassReport>> {
    Ok(Json(crate::relay::run_once(&state).await?))
}

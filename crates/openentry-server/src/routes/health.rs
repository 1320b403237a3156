//! Probes and metrics: `GET /healthz` (the process answers: liveness), `GET /readyz` (the
//! database answers and the project is loaded: readiness; migrations ran before the listener
//! opened) and `GET /metrics` (Prometheus, behind the admin token: counts of orders and
//! deliveries are the shop's business).

use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use crate::error::{ApiError, ApiResult};
use crate::metrics::Snapshot;
use crate::state::AppState;

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);
/// "Expiring soon" for the sessions gauge.
const SESSION_HORIZON_MS: i64 = 3_600_000;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// `/metrics`, to be guarded by the admin token.
pub(super) fn metrics_router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

#[utoipa::path(
    get,
    path = "/healthz",
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

#[utoipa::path(
    get,
    path = "/readyz",
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn readyz(State(state): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    match tokio::time::timeout(READY_TIMEOUT, openentry_store::health::ping(&state.db)).await {
        Ok(Ok(())) => Ok(Json(serde_json::json!({
            "status": "ready",
            "database": match state.db.backend() {
                openentry_store::Backend::Sqlite => "sqlite",
                openentry_store::Backend::Postgres => "postgres",
            },
            "projectRevision": state.project().revision,
        }))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: the database did not answer");
            Err(ApiError::Unavailable(
                "Not ready: the database does not answer".to_owned(),
            ))
        }
        Err(_) => Err(ApiError::Unavailable(
            "Not ready: the database did not answer within 2 s".to_owned(),
        )),
    }
}

#[utoipa::path(
    get,
    path = "/metrics",
    responses((status = 200, description = "Prometheus metrics (OpenMetrics text)", body = String, content_type = "application/openmetrics-text")),
)]
async fn metrics(State(state): State<AppState>) -> ApiResult<impl IntoResponse> {
    let now = state.now();
    let backlog = match openentry_store::health::backlog(&state.db, now, SESSION_HORIZON_MS).await {
        Ok(b) => Some(b),
        Err(e) => {
            // The request metrics are still worth having when the database is down.
            tracing::warn!(error = %e, "metrics: could not read the backlog");
            None
        }
    };
    let snapshot = Snapshot {
        now_ms: now.0,
        pools: state.db.pool_stats(),
        hashing_queued: u64::try_from(state.passwords.queued()).unwrap_or(u64::MAX),
        backlog,
    };
    let text = state
        .metrics
        .render(snapshot)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("could not encode the metrics: {e}")))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    ))
}

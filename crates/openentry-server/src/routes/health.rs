//! `GET /healthz`: 200 once the server is ready (the database answered at start).

use axum::routing::get;
use axum::{Json, Router};

use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

//! Provider webhooks. They carry no `x-app-token` (Stripe cannot send one): the signature of
//! each delivery is its authentication, so this router is mounted outside the app-token guard.

use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::payments::webhook;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/content/payments/webhook/stripe", post(stripe))
}

/// `POST /api/content/payments/webhook/stripe`: the raw bytes are verified before any
/// parsing (re-serialized JSON would not match the signature).
#[utoipa::path(
    post,
    path = "/api/content/payments/webhook/stripe",
    request_body(content = Object, description = "A Stripe event, signed in the `Stripe-Signature` header"),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn stripe(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Value>> {
    let body = body.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(state.config.body_limit)
        } else {
            ApiError::BadRequest(format!(
                "Could not read the request body: {}",
                rej.body_text()
            ))
        }
    })?;
    // A header that is not visible ASCII reads as empty, which the verifier calls malformed.
    let signature = headers
        .get("stripe-signature")
        .map(|v| v.to_str().unwrap_or_default());
    webhook::receive(&state, signature, &body).await?;
    // Stripe only looks at the status; any 2xx ends its retries.
    Ok(Json(json!({"received": true})))
}

//! `POST /api/admin/sign-in`: outside the operator guard (it is how an operator gets past it).

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use openentry_types::operators::{SessionView, SignInBody};

use crate::error::ApiResult;
use crate::extract::{ApiJson, Client};
use crate::operators::sessions;
use crate::state::AppState;

/// The public route (mounted beside the guarded admin routes).
pub(in crate::routes) fn router() -> Router<AppState> {
    Router::new().route("/api/admin/sign-in", post(sign_in))
}

/// Signs an operator in: the session travels in an HttpOnly cookie, and the answer carries the
/// CSRF token every change made with that cookie must echo in `X-CSRF-Token`.
#[utoipa::path(
    post,
    path = "/api/admin/sign-in",
    request_body = SignInBody,
    responses((status = 200, description = "Signed in; `Set-Cookie` carries the session", body = SessionView)),
)]
pub(super) async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    ApiJson(body): ApiJson<SignInBody>,
) -> ApiResult<impl IntoResponse> {
    let opened = sessions::sign_in(&state, &client, body).await?;
    tracing::info!(actor = %opened.operator.actor, "operator signed in");
    let view = SessionView {
        operator: opened.view,
        csrf_token: opened.csrf,
        expires_at: opened.expires_at.to_rfc3339(),
    };
    Ok(([(SET_COOKIE, opened.set_cookie)], Json(view)))
}

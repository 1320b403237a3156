//! `/api/admin/me` and `/api/admin/session`: the operator's own credential, password, second
//! factor and sessions.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::SET_COOKIE;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_types::operators::{MeView, PasswordChange, TotpConfirm, TotpEnrolment};

use crate::audit::{self, Change};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::operators::{Operator, account_flows, sessions};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/password", put(password))
        .route("/me/totp", post(enrol).put(confirm).delete(remove_totp))
        .route("/session", axum::routing::delete(sign_out))
        .route("/session/everywhere", post(everywhere))
}

#[utoipa::path(get, path = "/api/admin/me",
    responses((status = 200, description = "Who the credential acts as", body = MeView)))]
pub(super) async fn me(State(state): State<AppState>, op: Operator) -> ApiResult<Json<MeView>> {
    Ok(Json(account_flows::me(&state, &op).await?))
}

#[utoipa::path(put, path = "/api/admin/me/password", request_body = PasswordChange,
    responses((status = 200, description = "Changed; every other session ended", body = MeView)))]
pub(super) async fn password(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<Json<MeView>> {
    account_flows::change_own_password(&state, &op, body).await?;
    audit::record(&state, &op, own_change(&op, "password")).await?;
    Ok(Json(account_flows::me(&state, &op).await?))
}

#[utoipa::path(post, path = "/api/admin/me/totp",
    responses((status = 200, description = "A secret to enrol; not active until confirmed", body = TotpEnrolment)))]
pub(super) async fn enrol(
    State(state): State<AppState>,
    op: Operator,
) -> ApiResult<Json<TotpEnrolment>> {
    Ok(Json(account_flows::enrol_totp(&state, &op).await?))
}

#[utoipa::path(put, path = "/api/admin/me/totp", request_body = TotpConfirm,
    responses((status = 200, description = "The second factor is on", body = MeView)))]
pub(super) async fn confirm(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(body): ApiJson<TotpConfirm>,
) -> ApiResult<Json<MeView>> {
    account_flows::confirm_totp(&state, &op, &body).await?;
    audit::record(&state, &op, own_change(&op, "totp-on")).await?;
    Ok(Json(account_flows::me(&state, &op).await?))
}

#[utoipa::path(delete, path = "/api/admin/me/totp",
    responses((status = 200, description = "The second factor is off", body = MeView)))]
pub(super) async fn remove_totp(
    State(state): State<AppState>,
    op: Operator,
) -> ApiResult<Json<MeView>> {
    let id = account_flows::own_account(&op)?;
    openentry_store::operators::set_totp(&state.db, id, None, state.now()).await?;
    audit::record(&state, &op, own_change(&op, "totp-off")).await?;
    Ok(Json(account_flows::me(&state, &op).await?))
}

#[utoipa::path(delete, path = "/api/admin/session",
    responses((status = 204, description = "Signed out; `Set-Cookie` clears the cookie")))]
pub(super) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    let current = sessions::current(&state, &headers).await?.ok_or_else(|| {
        ApiError::BadRequest("Only a console session (the cookie) can sign out".to_owned())
    })?;
    let clear = sessions::sign_out(&state, &current).await?;
    Ok((http::StatusCode::NO_CONTENT, [(SET_COOKIE, clear)]))
}

#[utoipa::path(post, path = "/api/admin/session/everywhere",
    responses((status = 204, description = "Every session of the account ended")))]
pub(super) async fn everywhere(
    State(state): State<AppState>,
    op: Operator,
) -> ApiResult<http::StatusCode> {
    let id = account_flows::own_account(&op)?;
    sessions::sign_out_everywhere(&state, id).await?;
    audit::record(&state, &op, own_change(&op, "sign-out-everywhere")).await?;
    Ok(http::StatusCode::NO_CONTENT)
}

fn own_change(op: &Operator, action: &'static str) -> Change {
    Change {
        action,
        resource: Resource::Admins,
        target: format!("operators/{}", op.account.unwrap_or_default()),
        before: None,
        after: None,
    }
}

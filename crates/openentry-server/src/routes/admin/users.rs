//! `/api/admin/users`: the users, one user with form data and bonus balance, blocking, a
//! password-reset code sent to the user, and the bonus ledger.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_types::admin_data::{
    AdminUser, AdminUserDetail, AdminUsers, BonusLedger, ResetSent, UserChange,
};
use openentry_types::paging::Paging;
use serde::Deserialize;

use crate::audit::{self, Change};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::operators::Operator;
use crate::state::AppState;
use crate::user_admin;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/{id}", get(one).patch(change))
        .route("/users/{id}/reset", post(reset))
        .route("/users/{id}/bonus", get(bonus))
}

/// `?offset=&limit=&q=`: `q` matches inside the login, case-insensitively.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct UserQuery {
    offset: Option<i64>,
    limit: Option<i64>,
    q: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/admin/users",
    params(UserQuery),
    responses((status = 200, description = "OK", body = AdminUsers)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<UserQuery>,
) -> ApiResult<Json<AdminUsers>> {
    let page = Paging::from_query(p.offset, p.limit);
    Ok(Json(user_admin::list(&state, p.q.as_deref(), page).await?))
}

#[utoipa::path(
    get,
    path = "/api/admin/users/{id}",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = AdminUserDetail)),
)]
async fn one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AdminUserDetail>> {
    Ok(Json(user_admin::get(&state, id).await?))
}

/// Blocks (every session ends; sign-in, refresh and access tokens are refused) or unblocks.
#[utoipa::path(
    patch,
    path = "/api/admin/users/{id}",
    params(("id" = i64, Path)),
    request_body = UserChange,
    responses((status = 200, description = "OK", body = AdminUser)),
)]
async fn change(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UserChange>,
) -> ApiResult<Json<AdminUser>> {
    let (before, after) = user_admin::set_blocked(&state, id, body.blocked).await?;
    let change = Change {
        action: if body.blocked { "block" } else { "unblock" },
        resource: Resource::Users,
        target: format!("users/{id}"),
        before: serde_json::to_value(&before).ok(),
        after: serde_json::to_value(&after).ok(),
    };
    audit::record(&state, &op, change).await?;
    Ok(Json(after))
}

/// Sends the user a one-time code with which they set a new password (`changePassword` with
/// the answered `eventIdentifier`). The operator never sees the code nor the password.
#[utoipa::path(
    post,
    path = "/api/admin/users/{id}/reset",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = ResetSent)),
)]
async fn reset(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ResetSent>> {
    let sent = user_admin::reset(&state, id).await?;
    let change = audit::after("reset", Resource::Users, format!("users/{id}"), &sent);
    audit::record(&state, &op, change).await?;
    Ok(Json(sent))
}

#[utoipa::path(
    get,
    path = "/api/admin/users/{id}/bonus",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = BonusLedger)),
)]
async fn bonus(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<BonusLedger>> {
    Ok(Json(user_admin::bonus(&state, id).await?))
}

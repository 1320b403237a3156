//! `/api/content/users/me` (docs/wire.md §6.4).

use axum::extract::State;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use openentry_types::users::{UpdateUserRequest, User};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentUser};
use crate::state::AppState;
use crate::users;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(me).put(update).delete(archive))
        .route("/me/account", delete(delete_account))
        .route("/me/fcm-token/{token}", post(add_fcm).delete(delete_fcm))
}

#[utoipa::path(
    get,
    path = "/api/content/users/me",
    responses((status = 200, description = "OK", body = User)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn me(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<User>> {
    Ok(Json(users::get(&state, &me).await?))
}

#[utoipa::path(
    put,
    path = "/api/content/users/me",
    request_body = UpdateUserRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(body): ApiJson<UpdateUserRequest>,
) -> ApiResult<Json<bool>> {
    Ok(Json(users::update(&state, &me, body).await?))
}

#[utoipa::path(
    delete,
    path = "/api/content/users/me",
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn archive(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<bool>> {
    Ok(Json(users::archive(&state, &me).await?))
}

#[utoipa::path(
    delete,
    path = "/api/content/users/me/account",
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn delete_account(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<bool>> {
    Ok(Json(users::delete(&state, &me).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users/me/fcm-token/{token}",
    params(("token" = String, Path)),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn add_fcm(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<Json<bool>> {
    Ok(Json(users::add_fcm(&state, &me, &token).await?))
}

#[utoipa::path(
    delete,
    path = "/api/content/users/me/fcm-token/{token}",
    params(("token" = String, Path)),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn delete_fcm(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<Json<bool>> {
    Ok(Json(users::delete_fcm(&state, &me, &token).await?))
}

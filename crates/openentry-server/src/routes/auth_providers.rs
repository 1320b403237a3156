//! `/api/content/users-auth-providers` (docs/wire.md §6.1).

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_types::auth::{
    ActivateRequest, ActiveSession, AuthProvider, AuthRequest, AuthResponse, ChangePasswordRequest,
    CheckCodeRequest, GenerateCodeRequest, RefreshRequest, SignUpRequest, SignUpResponse,
};
use openentry_types::paging::Paging;
use serde::Deserialize;

use crate::auth::{codes, limits, signin, signup};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Client, CurrentUser};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/marker/{marker}", get(by_marker))
        .route("/marker/{marker}/users/sign-up", post(sign_up))
        .route("/marker/{marker}/users/auth", post(auth))
        .route("/marker/{marker}/users/refresh", post(refresh))
        .route("/marker/{marker}/users/logout", post(logout))
        .route("/marker/{marker}/users/logout-all", post(logout_all))
        .route("/marker/{marker}/users/sessions", get(sessions))
        .route("/marker/{marker}/users/generate-code", post(generate_code))
        .route("/marker/{marker}/users/check-code", post(check_code))
        .route("/marker/{marker}/users/activate", post(activate))
        .route(
            "/marker/{marker}/users/change-password",
            post(change_password),
        )
        .route("/marker/{marker}/oauth", post(oauth))
}

/// `offset`/`limit` of list routes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Page {
    #[serde(default)]
    offset: Option<usize>,
    #[serde(default)]
    limit: Option<usize>,
}

impl Page {
    pub(crate) fn apply<T>(&self, items: Vec<T>) -> Vec<T> {
        Paging::from_unsigned_query(self.offset, self.limit).slice(items)
    }
}

#[utoipa::path(
    get,
    path = "/api/content/users-auth-providers",
    params(Page),
    responses((status = 200, description = "OK", body = Vec<AuthProvider>)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(page): ApiQuery<Page>,
) -> Json<Vec<AuthProvider>> {
    let project = state.project();
    let all = project
        .providers
        .iter()
        .map(|p| crate::wire::provider(p, &project))
        .collect();
    Json(page.apply(all))
}

#[utoipa::path(
    get,
    path = "/api/content/users-auth-providers/marker/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = AuthProvider)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<AuthProvider>> {
    let project = state.project();
    let p = crate::auth::provider::find_provider(&project, &marker)?;
    Ok(Json(crate::wire::provider(p, &project)))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/sign-up",
    params(("marker" = String, Path)),
    request_body = SignUpRequest,
    responses((status = 201, description = "Signed up", body = SignUpResponse)),
)]
async fn sign_up(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<SignUpRequest>,
) -> ApiResult<(http::StatusCode, Json<SignUpResponse>)> {
    limits::anonymous_write(&state, &client, "signUp").await?;
    Ok((
        http::StatusCode::CREATED,
        Json(signup::sign_up(&state, &marker, body).await?),
    ))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/auth",
    params(("marker" = String, Path)),
    request_body = AuthRequest,
    responses((status = 200, description = "OK", body = AuthResponse)),
)]
async fn auth(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<AuthRequest>,
) -> ApiResult<Json<AuthResponse>> {
    // The anonymous budget is reserved by the sign-in itself, with its failure budgets.
    Ok(Json(signin::auth(&state, &marker, body, client).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/refresh",
    params(("marker" = String, Path)),
    request_body = RefreshRequest,
    responses((status = 200, description = "OK", body = AuthResponse)),
)]
async fn refresh(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<Json<AuthResponse>> {
    limits::anonymous_write(&state, &client, "refresh").await?;
    Ok(Json(signin::refresh(&state, &marker, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/logout",
    request_body = RefreshRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn logout(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> ApiResult<Json<bool>> {
    Ok(Json(signin::logout(&state, &me, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/logout-all",
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn logout_all(State(state): State<AppState>, me: CurrentUser) -> ApiResult<Json<bool>> {
    Ok(Json(signin::logout_all(&state, &me).await?))
}

#[utoipa::path(
    get,
    path = "/api/content/users-auth-providers/marker/{marker}/users/sessions",
    responses((status = 200, description = "OK", body = Vec<ActiveSession>)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn sessions(
    State(state): State<AppState>,
    me: CurrentUser,
) -> ApiResult<Json<Vec<ActiveSession>>> {
    Ok(Json(signin::sessions(&state, &me).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/generate-code",
    params(("marker" = String, Path)),
    request_body = GenerateCodeRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
)]
async fn generate_code(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<GenerateCodeRequest>,
) -> ApiResult<Json<bool>> {
    limits::anonymous_write(&state, &client, "generateCode").await?;
    Ok(Json(codes::generate(&state, &marker, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/check-code",
    params(("marker" = String, Path)),
    request_body = CheckCodeRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
)]
async fn check_code(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<CheckCodeRequest>,
) -> ApiResult<Json<bool>> {
    limits::anonymous_write(&state, &client, "checkCode").await?;
    Ok(Json(codes::check(&state, &marker, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/activate",
    params(("marker" = String, Path)),
    request_body = ActivateRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
)]
async fn activate(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<ActivateRequest>,
) -> ApiResult<Json<bool>> {
    limits::anonymous_write(&state, &client, "activateUser").await?;
    Ok(Json(codes::activate(&state, &marker, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/users/change-password",
    params(("marker" = String, Path)),
    request_body = ChangePasswordRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
)]
async fn change_password(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    client: Client,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> ApiResult<Json<bool>> {
    limits::anonymous_write(&state, &client, "changePassword").await?;
    Ok(Json(codes::change_password(&state, &marker, body).await?))
}

/// OAuth needs an external identity provider, which no project can configure yet.
#[utoipa::path(
    post,
    path = "/api/content/users-auth-providers/marker/{marker}/oauth",
    responses((status = 400, description = "Always: OAuth sign-in is not supported", body = openentry_types::ErrorBody)),
)]
async fn oauth(State(state): State<AppState>, ApiPath(marker): ApiPath<String>) -> ApiError {
    let project = state.project();
    match crate::auth::provider::find_provider(&project, &marker) {
        Err(e) => e,
        Ok(_) => ApiError::BadRequest(format!(
            "Auth provider \"{marker}\" signs in with a login and password; OAuth sign-in is not supported"
        )),
    }
}

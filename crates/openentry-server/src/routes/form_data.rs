//! `/api/content/form-data` (docs/wire.md §6.8).

use axum::extract::State;
use axum::routing::{post, put};
use axum::{Json, Router};
use openentry_types::form_data::{
    FormDataFilter, FormDataList, PostFormDataRequest, PostedFormData, UpdateFormDataRequest,
    UpdateStatusRequest, UpdatedFormData,
};

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Client, CurrentUser};
use crate::form_data::{self, Caller, ListQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", post(create))
        .route("/marker/{marker}", post(list))
        .route("/{id}", put(update).delete(delete))
        .route("/{id}/update-status", put(set_status))
}

#[utoipa::path(
    post,
    path = "/api/content/form-data",
    request_body = PostFormDataRequest,
    responses((status = 200, description = "OK", body = PostedFormData)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn create(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    client: Client,
    ApiJson(body): ApiJson<PostFormDataRequest>,
) -> ApiResult<Json<PostedFormData>> {
    Ok(Json(form_data::post(&state, viewer, &client, body).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/form-data/marker/{marker}",
    params(("marker" = String, Path), ListQuery),
    request_body = FormDataFilter,
    responses((status = 200, description = "OK", body = FormDataList)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn list(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
    ApiJson(filter): ApiJson<FormDataFilter>,
) -> ApiResult<Json<FormDataList>> {
    Ok(Json(
        form_data::list(&state, viewer, &marker, &query, &filter).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/content/form-data/{id}",
    params(("id" = i64, Path)),
    request_body = UpdateFormDataRequest,
    responses((status = 200, description = "OK", body = UpdatedFormData)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    client: Client,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateFormDataRequest>,
) -> ApiResult<Json<UpdatedFormData>> {
    Ok(Json(
        form_data::update(&state, &me, &client, id, body).await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/api/content/form-data/{id}",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn delete(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<bool>> {
    Ok(Json(form_data::delete(&state, &me, id).await?))
}

#[utoipa::path(
    put,
    path = "/api/content/form-data/{id}/update-status",
    params(("id" = i64, Path)),
    request_body = UpdateStatusRequest,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "admin_token" = [])),
)]
async fn set_status(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateStatusRequest>,
) -> ApiResult<Json<bool>> {
    Ok(Json(
        form_data::set_status(&state, viewer, id, &body).await?,
    ))
}

//! `/api/content/files` (docs/wire.md §6.8): FileUploading's `upload` (POST), `getFile` (GET)
//! and `delete` (DELETE). `createFileFromUrl` runs in the client alone.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::files::UploadedFile;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::files::{self, Caller, FileQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/", get(get_file).post(upload).delete(delete))
}

#[utoipa::path(
    post,
    path = "/api/content/files",
    params(FileQuery),
    request_body(content_type = "multipart/form-data", content = Object, description = "The file in the `file` part"),
    responses((status = 200, description = "OK", body = Vec<UploadedFile>)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [])),
)]
async fn upload(
    State(state): State<AppState>,
    Caller(owner): Caller,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Json<Vec<UploadedFile>>> {
    Ok(Json(files::upload(&state, &owner, &headers, body).await?))
}

#[utoipa::path(
    get,
    path = "/api/content/files",
    params(FileQuery),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream")),
    security(("app_token" = [], "user_token" = []), ("app_token" = [])),
)]
async fn get_file(
    State(state): State<AppState>,
    Caller(owner): Caller,
    ApiQuery(query): ApiQuery<FileQuery>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    files::get(&state, &owner, &query, &method, &headers).await
}

#[utoipa::path(
    delete,
    path = "/api/content/files",
    params(FileQuery),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = []), ("app_token" = [])),
)]
async fn delete(
    State(state): State<AppState>,
    Caller(owner): Caller,
    ApiQuery(query): ApiQuery<FileQuery>,
) -> ApiResult<Json<bool>> {
    Ok(Json(files::delete(&state, &owner, &query).await?))
}

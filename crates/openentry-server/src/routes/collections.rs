//! `/api/content/integration-collections` (docs/wire.md §6.18).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::collections::{
    Collection, CollectionMarkerValidation, CollectionRow, CollectionRowRequest, CollectionRows,
};

use super::LangQuery;
use crate::collections::{self, ListQuery};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Client};
use crate::form_data::Caller;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/{id}", get(by_id))
        .route("/{id}/rows", get(rows_by_id))
        .route("/marker-validation/{marker}", get(validate))
        .route("/marker/{marker}/rows", get(rows_by_marker).post(create))
        .route(
            "/marker/{marker}/rows/{id}",
            get(row).put(update).delete(delete),
        )
}

#[utoipa::path(
    get,
    path = "/api/content/integration-collections",
    params(ListQuery),
    responses((status = 200, description = "OK", body = Vec<Collection>)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<Collection>>> {
    Ok(Json(collections::list(&state, &query)?))
}

#[utoipa::path(
    get,
    path = "/api/content/integration-collections/{id}",
    params(("id" = i64, Path), LangQuery),
    responses((status = 200, description = "OK", body = Collection)),
)]
async fn by_id(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<LangQuery>,
) -> ApiResult<Json<Collection>> {
    Ok(Json(collections::by_id(
        &state,
        id,
        query.lang_code.as_deref(),
    )?))
}

#[utoipa::path(
    get,
    path = "/api/content/integration-collections/{id}/rows",
    params(("id" = i64, Path), ListQuery),
    responses((status = 200, description = "OK", body = CollectionRows)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn rows_by_id(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<CollectionRows>> {
    Ok(Json(
        collections::rows_by_id(&state, viewer, id, &query).await?,
    ))
}

/// Wire quirk: `{"valid": bool}`, not a bare boolean (the SDK returns the object).
#[utoipa::path(
    get,
    path = "/api/content/integration-collections/marker-validation/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = CollectionMarkerValidation)),
)]
async fn validate(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> Json<CollectionMarkerValidation> {
    Json(collections::validate(&state, &marker))
}

#[utoipa::path(
    get,
    path = "/api/content/integration-collections/marker/{marker}/rows",
    params(("marker" = String, Path), ListQuery),
    responses((status = 200, description = "OK", body = CollectionRows)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn rows_by_marker(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<CollectionRows>> {
    Ok(Json(
        collections::rows_by_marker(&state, viewer, &marker, &query).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/content/integration-collections/marker/{marker}/rows/{id}",
    params(("marker" = String, Path), ("id" = i64, Path), LangQuery),
    responses((status = 200, description = "OK", body = CollectionRow)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn row(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
    ApiQuery(query): ApiQuery<LangQuery>,
) -> ApiResult<Json<CollectionRow>> {
    Ok(Json(
        collections::row(&state, viewer, &marker, id, query.lang_code.as_deref()).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/content/integration-collections/marker/{marker}/rows",
    params(("marker" = String, Path), LangQuery),
    request_body = CollectionRowRequest,
    responses((status = 200, description = "OK", body = CollectionRow)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn create(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    client: Client,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(query): ApiQuery<LangQuery>,
    ApiJson(body): ApiJson<CollectionRowRequest>,
) -> ApiResult<Json<CollectionRow>> {
    let lang = query.lang_code.as_deref();
    Ok(Json(
        collections::create(&state, viewer, &client, &marker, lang, body).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/content/integration-collections/marker/{marker}/rows/{id}",
    params(("marker" = String, Path), ("id" = i64, Path), LangQuery),
    request_body = CollectionRowRequest,
    responses((status = 200, description = "OK", body = CollectionRow)),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn update(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    client: Client,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
    ApiQuery(query): ApiQuery<LangQuery>,
    ApiJson(body): ApiJson<CollectionRowRequest>,
) -> ApiResult<Json<CollectionRow>> {
    let lang = query.lang_code.as_deref();
    Ok(Json(
        collections::update(&state, viewer, &client, (&marker, id), lang, body).await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/api/content/integration-collections/marker/{marker}/rows/{id}",
    params(("marker" = String, Path), ("id" = i64, Path)),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = []), ("app_token" = [], "admin_token" = []), ("app_token" = [])),
)]
async fn delete(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
) -> ApiResult<Json<bool>> {
    Ok(Json(
        collections::delete(&state, viewer, &marker, id).await?,
    ))
}

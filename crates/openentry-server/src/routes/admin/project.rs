//! `/api/admin/project`: the project definition through the management API (docs/decisions.md,
//! "Project management API").
//!
//! - `GET /project`: the whole definition as JSON (the file's shape), secrets write-only
//! - `GET /project/settings`, `PUT /project/settings` (`If-Match`)
//! - for each section of `project::sections::SECTIONS` (`products`, `pages`, …):
//!   `GET /project/{section}`, `POST /project/{section}` (201; 409 when the key is taken),
//!   `GET /project/{section}/{key}` (with an `ETag`), `PUT` and `DELETE /project/{section}/{key}`
//!   (`If-Match` required: 428 without, 412 when stale)
//!
//! Each section is its own route (not one `/{section}` route) because the operator guard
//! grants by route template, and sections belong to different resources.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::operators::Operator;
use crate::project::manage::{self, Versioned};
use crate::project::sections::{SECTIONS, Section};
use crate::project::settings as project_settings;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route("/project", get(whole))
        .route("/project/settings", get(settings).put(replace_settings));
    for s in SECTIONS {
        router = router
            .route(
                &format!("/project/{}", s.path),
                get(move |State(st): State<AppState>| list(st, s)).post(
                    move |State(st): State<AppState>,
                          op: Operator,
                          ApiJson(body): ApiJson<Value>| {
                        create(st, s, op, body)
                    },
                ),
            )
            .route(
                &format!("/project/{}/{{key}}", s.path),
                get(
                    move |State(st): State<AppState>, ApiPath(key): ApiPath<String>| {
                        one(st, s, key)
                    },
                )
                .put(
                    move |State(st): State<AppState>,
                          op: Operator,
                          ApiPath(key): ApiPath<String>,
                          headers: HeaderMap,
                          ApiJson(body): ApiJson<Value>| {
                        replace(st, s, op, key, headers, body)
                    },
                )
                .delete(
                    move |State(st): State<AppState>,
                          op: Operator,
                          ApiPath(key): ApiPath<String>,
                          headers: HeaderMap| {
                        remove(st, s, op, key, headers)
                    },
                ),
            );
    }
    router
}

fn answer(status: StatusCode, v: Versioned) -> Response {
    (status, [(header::ETAG, v.etag)], Json(v.body)).into_response()
}

fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok())
}

/// `?format=` of the whole definition.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Export {
    /// `json` (the default: media keys as stored) or `toml` (the file `openentry project
    /// export` writes: media as `media/<key>` paths).
    format: Option<String>,
}

/// The whole definition, as `openentry project export` writes it (JSON by default), with
/// every write-only value replaced by `<write-only>`.
#[utoipa::path(
    get,
    path = "/api/admin/project",
    params(Export),
    responses((status = 200, description = "The project definition (docs/project.md) as JSON, or as TOML with `format=toml`", body = serde_json::Value)),
)]
async fn whole(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Export>,
) -> ApiResult<Response> {
    let def = manage::whole(&state).await?;
    match q.format.as_deref() {
        None | Some("json") => Ok(Json(def).into_response()),
        Some("toml") => {
            let text = manage::as_file(&state, def).await?;
            Ok(([(header::CONTENT_TYPE, "application/toml")], text).into_response())
        }
        Some(other) => Err(ApiError::BadRequest(format!(
            "format \"{other}\" is not known: json or toml"
        ))),
    }
}

/// `{project, discount_settings, bonus_settings}` with their `ETag`.
#[utoipa::path(
    get,
    path = "/api/admin/project/settings",
    responses((status = 200, description = "The project-wide settings; `ETag` names their version", body = serde_json::Value)),
)]
async fn settings(State(state): State<AppState>) -> ApiResult<Response> {
    Ok(answer(
        StatusCode::OK,
        project_settings::settings(&state).await?,
    ))
}

/// Replaces the project-wide settings (`If-Match`: the `ETag` of the read the edit was made
/// from).
#[utoipa::path(
    put,
    path = "/api/admin/project/settings",
    params(("If-Match" = String, Header, description = "The ETag of the settings as read")),
    request_body(content = Object, description = "`{project, discount_settings, bonus_settings}` as in the project definition"),
    responses(
        (status = 200, description = "The settings as stored, with their new ETag", body = serde_json::Value),
        (status = 412, description = "The settings changed since the read named by If-Match"),
        (status = 428, description = "If-Match is missing"),
    ),
)]
async fn replace_settings(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    let (v, change) = project_settings::replace_settings(&state, if_match(&headers), body).await?;
    audit::project_edit(&state, &operator, None, change).await?;
    Ok(answer(StatusCode::OK, v))
}

async fn list(state: AppState, s: &'static Section) -> ApiResult<Json<Value>> {
    Ok(Json(manage::list(&state, s).await?))
}

async fn one(state: AppState, s: &'static Section, key: String) -> ApiResult<Response> {
    Ok(answer(StatusCode::OK, manage::read(&state, s, &key).await?))
}

async fn create(
    state: AppState,
    s: &'static Section,
    operator: Operator,
    body: Value,
) -> ApiResult<Response> {
    let (v, change) = manage::create(&state, s, body).await?;
    audit::project_edit(&state, &operator, Some(s), change).await?;
    Ok(answer(StatusCode::CREATED, v))
}

async fn replace(
    state: AppState,
    s: &'static Section,
    operator: Operator,
    key: String,
    headers: HeaderMap,
    body: Value,
) -> ApiResult<Response> {
    let (v, change) = manage::replace(&state, s, &key, if_match(&headers), body).await?;
    audit::project_edit(&state, &operator, Some(s), change).await?;
    Ok(answer(StatusCode::OK, v))
}

async fn remove(
    state: AppState,
    s: &'static Section,
    operator: Operator,
    key: String,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let change = manage::remove(&state, s, &key, if_match(&headers)).await?;
    audit::project_edit(&state, &operator, Some(s), change).await?;
    Ok(Json(json!(true)))
}

//! `/api/content/events` (docs/wire.md §6.10): product subscriptions, Bearer only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use openentry_types::paging::Paging;
use openentry_types::subscriptions::{SubscribeBody, Subscriptions};
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CurrentUser};
use crate::state::AppState;
use crate::subscriptions;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/subscriptions", get(list))
        .route("/subscribe/marker/{marker}", post(subscribe))
        .route("/unsubscribe/marker/{marker}", delete(unsubscribe))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/content/events/subscriptions",
    params(Page),
    responses((status = 200, description = "OK", body = Subscriptions)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<Subscriptions>> {
    let page = Paging::from_query(p.offset, p.limit);
    Ok(Json(subscriptions::list(&state, &me, page).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/events/subscribe/marker/{marker}",
    params(("marker" = String, Path)),
    request_body = SubscribeBody,
    responses((status = 201, description = "Subscribed", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn subscribe(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(marker): ApiPath<String>,
    ApiJson(body): ApiJson<SubscribeBody>,
) -> ApiResult<(StatusCode, Json<bool>)> {
    let done = subscriptions::subscribe(&state, &me, &marker, &body).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

#[utoipa::path(
    delete,
    path = "/api/content/events/unsubscribe/marker/{marker}",
    params(("marker" = String, Path)),
    request_body = SubscribeBody,
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
    security(("app_token" = [], "user_token" = [])),
)]
async fn unsubscribe(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(marker): ApiPath<String>,
    ApiJson(body): ApiJson<SubscribeBody>,
) -> ApiResult<Json<bool>> {
    Ok(Json(
        subscriptions::unsubscribe(&state, &me, &marker, &body).await?,
    ))
}

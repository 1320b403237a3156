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

#[derive(Debug, Deserialize)]
struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<Subscriptions>> {
    let page = Paging::from_query(p.offset, p.limit);
    Ok(Json(subscriptions::list(&state, &me, page).await?))
}

async fn subscribe(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(marker): ApiPath<String>,
    ApiJson(body): ApiJson<SubscribeBody>,
) -> ApiResult<(StatusCode, Json<bool>)> {
    let done = subscriptions::subscribe(&state, &me, &marker, &body).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

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

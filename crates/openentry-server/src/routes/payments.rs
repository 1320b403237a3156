//! `/api/content/payments` (docs/wire.md §6.3).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::paging::Paging;
use openentry_types::payments::{PaymentAccount, PaymentSession, PaymentSessionList};
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CurrentUser};
use crate::payments::{accounts, sessions};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        // Wire quirk: getSessions asks for `/sessions/?offset=…` with a trailing slash.
        .route("/sessions", get(list).post(create))
        .route("/sessions/", get(list))
        .route("/sessions/{id}", get(by_id))
        .route("/sessions/order/{order_id}", get(by_order))
        .route("/accounts", get(account_list))
        .route("/accounts/{id}", get(account))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/content/payments/sessions",
    params(Page),
    responses((status = 200, description = "OK", body = PaymentSessionList)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<PaymentSessionList>> {
    let page = Paging::from_query(p.offset, p.limit);
    Ok(Json(sessions::list(&state, &me, page).await?))
}

#[utoipa::path(
    post,
    path = "/api/content/payments/sessions",
    request_body = openentry_types::payments::CreateSessionRequest,
    responses((status = 201, description = "Created (or the stored answer replayed for an `Idempotency-Key` seen before)", body = PaymentSession)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    let key = crate::idempotency::key(&headers)?;
    let stored = sessions::create(&state, &me, body, key).await?;
    Ok(stored.into_response())
}

#[utoipa::path(
    get,
    path = "/api/content/payments/sessions/{id}",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = PaymentSession)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn by_id(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentSession>> {
    Ok(Json(sessions::get(&state, &me, id).await?))
}

#[utoipa::path(
    get,
    path = "/api/content/payments/sessions/order/{order_id}",
    params(("order_id" = i64, Path)),
    responses((status = 200, description = "OK", body = Vec<PaymentSession>)),
    security(("app_token" = [], "user_token" = [])),
)]
async fn by_order(
    State(state): State<AppState>,
    me: CurrentUser,
    ApiPath(order_id): ApiPath<i64>,
) -> ApiResult<Json<Vec<PaymentSession>>> {
    Ok(Json(sessions::for_order(&state, &me, order_id).await?))
}

#[utoipa::path(
    get,
    path = "/api/content/payments/accounts",
    responses((status = 200, description = "OK", body = Vec<PaymentAccount>)),
)]
async fn account_list(State(state): State<AppState>) -> Json<Vec<PaymentAccount>> {
    Json(accounts::list(&state))
}

#[utoipa::path(
    get,
    path = "/api/content/payments/accounts/{id}",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = PaymentAccount)),
)]
async fn account(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PaymentAccount>> {
    Ok(Json(accounts::get(&state, id)?))
}

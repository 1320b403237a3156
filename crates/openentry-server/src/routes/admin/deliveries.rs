//! `/api/admin/deliveries`: the event delivery log, replay of dead deliveries, and
//! `POST /api/admin/relay/run`, one relay pass now (operators after an outage; tests, which
//! turn the background pass off and drive the clock). The log per event and per user
//! (`/api/admin/events/{marker}/deliveries`, `/api/admin/users/{id}/deliveries`) answers a
//! page with its total.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use openentry_types::paging::Paging;
use serde::Deserialize;

use openentry_store::deliveries::LogFilter;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::relay::PassReport;
use crate::relay::admin::{DeliveryPage, DeliveryView};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/deliveries", get(list))
        .route("/deliveries/{id}/replay", post(replay))
        .route("/events/{marker}/deliveries", get(of_event))
        .route("/users/{id}/deliveries", get(of_user))
        .route("/relay/run", post(run))
}

/// `?state=&event=&channel=&target=&user=&outboxId=&offset=&limit=`: the log per state
/// (`failed`: waiting for a retry), per event, per channel, per endpoint, per user, per
/// outbox row.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
struct Filter {
    state: Option<String>,
    event: Option<String>,
    channel: Option<String>,
    target: Option<String>,
    user: Option<i64>,
    outbox_id: Option<i64>,
    offset: Option<i64>,
    limit: Option<i64>,
}

impl Filter {
    fn split(self) -> (LogFilter, Paging) {
        let page = Paging::from_query(self.offset, Some(self.limit.unwrap_or(100)));
        let filter = LogFilter {
            state: self.state,
            event: self.event,
            channel: self.channel,
            target: self.target,
            user_id: self.user,
            outbox_id: self.outbox_id,
        };
        (filter, page)
    }
}

/// The log as a list (no total; the per-event and per-user routes give one).
#[utoipa::path(
    get,
    path = "/api/admin/deliveries",
    params(Filter),
    responses((status = 200, description = "OK", body = Vec<serde_json::Value>)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<Filter>,
) -> ApiResult<Json<Vec<DeliveryView>>> {
    let (filter, page) = f.split();
    Ok(Json(
        crate::relay::admin::log(&state, &filter, page).await?.items,
    ))
}

/// The deliveries of one event of the project (404 for a marker the project lacks).
#[utoipa::path(
    get,
    path = "/api/admin/events/{marker}/deliveries",
    params(("marker" = String, Path), Filter),
    responses((status = 200, description = "A page of deliveries", body = serde_json::Value)),
)]
async fn of_event(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(f): ApiQuery<Filter>,
) -> ApiResult<Json<DeliveryPage>> {
    if state.project().def.event(&marker).is_none() {
        return Err(ApiError::NotFound(format!("Event \"{marker}\" not found")));
    }
    let (mut filter, page) = f.split();
    filter.event = Some(marker);
    Ok(Json(crate::relay::admin::log(&state, &filter, page).await?))
}

/// The deliveries that concern one user.
#[utoipa::path(
    get,
    path = "/api/admin/users/{id}/deliveries",
    params(("id" = i64, Path), Filter),
    responses((status = 200, description = "A page of deliveries", body = serde_json::Value)),
)]
async fn of_user(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(f): ApiQuery<Filter>,
) -> ApiResult<Json<DeliveryPage>> {
    let (mut filter, page) = f.split();
    filter.user_id = Some(id);
    Ok(Json(crate::relay::admin::log(&state, &filter, page).await?))
}

#[utoipa::path(
    post,
    path = "/api/admin/deliveries/{id}/replay",
    params(("id" = String, Path)),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn replay(
    State(state): State<AppState>,
    op: crate::operators::Operator,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeliveryView>> {
    let view = crate::relay::admin::replay(&state, &id).await?;
    let resource = openentry_domain::operators::Resource::Events;
    let change = crate::audit::after("replay", resource, format!("deliveries/{id}"), &view);
    crate::audit::record(&state, &op, change).await?;
    Ok(Json(view))
}

#[utoipa::path(
    post,
    path = "/api/admin/relay/run",
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn run(State(state): State<AppState>) -> ApiResult<Json<PassReport>> {
    Ok(Json(crate::relay::run_once(&state).await?))
}

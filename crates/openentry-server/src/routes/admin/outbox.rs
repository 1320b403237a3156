//! `GET /api/admin/outbox?aggregate=…&id=…`: the events of one order or payment session.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::admin::OutboxEvent;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::ApiQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/outbox", get(outbox))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Aggregate {
    aggregate: String,
    id: i64,
}

#[utoipa::path(
    get,
    path = "/api/admin/outbox",
    params(Aggregate),
    responses((status = 200, description = "OK", body = Vec<OutboxEvent>)),
)]
async fn outbox(
    State(state): State<AppState>,
    ApiQuery(a): ApiQuery<Aggregate>,
) -> ApiResult<Json<Vec<OutboxEvent>>> {
    Ok(Json(
        crate::outbox::events_of(&state, &a.aggregate, a.id).await?,
    ))
}

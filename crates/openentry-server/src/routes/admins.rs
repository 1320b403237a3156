//! `POST /api/content/admins/all` (docs/wire.md §6.19): admins' public profiles, read from the
//! project.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use openentry_types::admins::AdminEntity;
use openentry_types::catalog::ProductFilterBody;

use crate::content::admins::{self, AdminsQuery};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/all", post(all))
}

/// Wire quirk: the SDK sends the filter items as the bare body array (`[]` by default), not
/// wrapped in `{"filter": …}` as the product lists do; both are read.
#[utoipa::path(
    post,
    path = "/api/content/admins/all",
    params(AdminsQuery),
    request_body = ProductFilterBody,
    responses((status = 200, description = "OK", body = Vec<AdminEntity>)),
)]
async fn all(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AdminsQuery>,
    ApiJson(body): ApiJson<ProductFilterBody>,
) -> ApiResult<Json<Vec<AdminEntity>>> {
    Ok(Json(admins::list(&state.project(), body.items(), &q)?))
}

//! `/api/admin/files`: every upload with its owner, size and type, and deletion (the media
//! object goes too).

use axum::extract::State;
use axum::routing::{delete, get};
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_types::admin_data::{AdminFile, AdminFiles};

use super::Page;
use crate::audit::{self, Change};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::files::admin;
use crate::operators::Operator;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/files", get(list))
        .route("/files/{id}", delete(remove))
}

#[utoipa::path(
    get,
    path = "/api/admin/files",
    params(Page),
    responses((status = 200, description = "OK", body = AdminFiles)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<Page>,
) -> ApiResult<Json<AdminFiles>> {
    Ok(Json(admin::list(&state, p.paging()).await?))
}

#[utoipa::path(
    delete,
    path = "/api/admin/files/{id}",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = AdminFile)),
)]
async fn remove(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AdminFile>> {
    let gone = admin::delete(&state, id).await?;
    let change = Change {
        action: "delete",
        resource: Resource::Files,
        target: format!("files/{id}"),
        before: serde_json::to_value(&gone).ok(),
        after: None,
    };
    audit::record(&state, &op, change).await?;
    Ok(Json(gone))
}

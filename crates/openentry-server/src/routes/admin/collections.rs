//! `/api/admin/collections/{marker}/rows`: every row of a collection with who wrote it, and
//! deleting any row.

use axum::extract::State;
use axum::routing::{delete, get};
use axum::{Json, Router};
use openentry_types::collections::AdminCollectionRows;

use crate::collections::{ListQuery, admin};
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/collections/{marker}/rows", get(list))
        .route("/collections/{marker}/rows/{id}", delete(remove))
}

#[utoipa::path(
    get,
    path = "/api/admin/collections/{marker}/rows",
    params(("marker" = String, Path), ListQuery),
    responses((status = 200, description = "OK", body = AdminCollectionRows)),
)]
async fn list(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<AdminCollectionRows>> {
    Ok(Json(admin::list(&state, &marker, &query).await?))
}

#[utoipa::path(
    delete,
    path = "/api/admin/collections/{marker}/rows/{id}",
    params(("marker" = String, Path), ("id" = i64, Path)),
    responses((status = 200, description = "OK", body = bool, content_type = "application/json")),
)]
async fn remove(
    State(state): State<AppState>,
    op: crate::operators::Operator,
    ApiPath((marker, id)): ApiPath<(String, i64)>,
) -> ApiResult<Json<bool>> {
    let deleted = admin::delete(&state, &marker, id).await?;
    if deleted {
        let target = format!("collections/{marker}/rows/{id}");
        let change = crate::audit::Change {
            action: "delete",
            resource: openentry_domain::operators::Resource::Content,
            target,
            before: None,
            after: None,
        };
        crate::audit::record(&state, &op, change).await?;
    }
    Ok(Json(deleted))
}

//! `/api/admin/form-data`: every submission, filtered by form and status; moderation (the
//! flow behind the SDK's `updateFormsDataStatusByid`) and deletion.

use axum::extract::State;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_types::admin_data::{AdminSubmission, AdminSubmissions};
use openentry_types::form_data::UpdateStatusRequest;
use openentry_types::paging::Paging;
use serde::Deserialize;

use crate::audit::{self, Change};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::form_data::admin;
use crate::operators::Operator;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/form-data", get(list))
        .route("/form-data/{id}", delete(remove))
        .route("/form-data/{id}/status", put(set_status))
}

/// `?form=&status=&offset=&limit=`: `form` is a data form's identifier, `status` one of
/// `new`, `approved`, `rejected`; any when absent.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SubmissionQuery {
    form: Option<String>,
    status: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/admin/form-data",
    params(SubmissionQuery),
    responses((status = 200, description = "OK", body = AdminSubmissions)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SubmissionQuery>,
) -> ApiResult<Json<AdminSubmissions>> {
    let page = Paging::from_query(p.offset, p.limit);
    Ok(Json(
        admin::list(&state, p.form.as_deref(), p.status.as_deref(), page).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/admin/form-data/{id}/status",
    params(("id" = i64, Path)),
    request_body = UpdateStatusRequest,
    responses((status = 200, description = "OK", body = AdminSubmission)),
)]
async fn set_status(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateStatusRequest>,
) -> ApiResult<Json<AdminSubmission>> {
    let (before, after) = admin::set_status(&state, id, &body).await?;
    let change = Change {
        action: "moderate",
        resource: Resource::Submissions,
        target: format!("form-data/{id}"),
        before: serde_json::to_value(&before).ok(),
        after: serde_json::to_value(&after).ok(),
    };
    audit::record(&state, &op, change).await?;
    Ok(Json(after))
}

/// Deletes a submission and the replies under it.
#[utoipa::path(
    delete,
    path = "/api/admin/form-data/{id}",
    params(("id" = i64, Path)),
    responses((status = 200, description = "OK", body = AdminSubmission)),
)]
async fn remove(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AdminSubmission>> {
    let gone = admin::delete(&state, id).await?;
    let change = Change {
        action: "delete",
        resource: Resource::Submissions,
        target: format!("form-data/{id}"),
        before: serde_json::to_value(&gone).ok(),
        after: None,
    };
    audit::record(&state, &op, change).await?;
    Ok(Json(gone))
}

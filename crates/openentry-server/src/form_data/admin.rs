//! What operators do with submissions under `/api/admin/form-data`: the list across forms,
//! moderation through the same flow as the SDK's `updateFormsDataStatusByid`, and deletion
//! (replies go with their parent).

use openentry_domain::clock::Timestamp;
use openentry_domain::form_data::Viewer;
use openentry_store::form_data::SubmissionRecord;
use openentry_types::admin_data::{AdminSubmission, AdminSubmissions};
use openentry_types::form_data::{SubmissionStatus, UpdateStatusRequest};
use openentry_types::paging::Paging;

use super::not_found;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use crate::state::AppState;

fn shown(project: &Project, r: SubmissionRecord) -> AdminSubmission {
    AdminSubmission {
        id: r.id,
        form_identifier: project
            .forms
            .by_id(r.form_id)
            .map(|f| f.def.identifier.clone())
            .unwrap_or_default(),
        status: r.status,
        user_id: r.user_id,
        user_identifier: r.user_identifier,
        is_user_admin: r.by_operator,
        entity_identifier: r.entity_identifier,
        parent_id: r.parent_id,
        lang: r.lang,
        form_data: r.form_data,
        created_at: Timestamp(r.created_at).to_rfc3339(),
    }
}

/// A page of submissions, newest first, of the form with identifier `form` (any form when
/// `None`; an unknown one is a 404) in `status` (any when `None`).
pub(crate) async fn list(
    state: &AppState,
    form: Option<&str>,
    status: Option<&str>,
    page: Paging,
) -> ApiResult<AdminSubmissions> {
    let project = state.project();
    let form_id = form
        .filter(|f| !f.is_empty())
        .map(|m| super::data_form(&project, m).map(|f| f.id))
        .transpose()?;
    let status = status
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<SubmissionStatus>().map_err(|_| {
                ApiError::BadRequest(format!(
                    "status must be one of {}",
                    SubmissionStatus::names()
                ))
            })
        })
        .transpose()?;
    let (rows, total) =
        openentry_store::form_data::list_all(&state.db, form_id, status, page).await?;
    let items = rows.into_iter().map(|r| shown(&project, r)).collect();
    Ok(AdminSubmissions { items, total })
}

/// One submission as operators see it.
pub(crate) async fn one(state: &AppState, id: i64) -> ApiResult<AdminSubmission> {
    let r = openentry_store::form_data::get(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(shown(&state.project(), r))
}

/// Moderates a submission with the SDK's flow; returns it before and after.
pub(crate) async fn set_status(
    state: &AppState,
    id: i64,
    body: &UpdateStatusRequest,
) -> ApiResult<(AdminSubmission, AdminSubmission)> {
    let before = one(state, id).await?;
    super::set_status(state, Viewer::Operator, id, body).await?;
    Ok((before, one(state, id).await?))
}

/// Deletes a submission and its replies; returns it as it was.
pub(crate) async fn delete(state: &AppState, id: i64) -> ApiResult<AdminSubmission> {
    let before = one(state, id).await?;
    if !openentry_store::form_data::delete(&state.db, id).await? {
        return Err(not_found(id));
    }
    Ok(before)
}

//! `updateFormsDataByid`, `deleteFormsDataByid` (the sender only) and
//! `updateFormsDataStatusByid` (operators only).

use openentry_domain::form_data::{Viewer, check_submission, status_after_edit};
use openentry_types::form_data::{
    SubmissionStatus, UpdateFormDataRequest, UpdateStatusRequest, UpdatedFormData, read_form_data,
};
use serde_json::Value;

use super::{bad, data_form, not_found, wire};
use crate::auth::limits;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Client, CurrentUser};
use crate::state::AppState;

/// Replaces the items of the caller's own submission (checked as a new one would be); a
/// moderated form checks it again. Another user's submission is a 404, like a missing one.
pub(crate) async fn update(
    state: &AppState,
    me: &CurrentUser,
    client: &Client,
    id: i64,
    body: UpdateFormDataRequest,
) -> ApiResult<UpdatedFormData> {
    let project = state.project();
    let record = openentry_store::form_data::get_own(&state.db, me.user_id, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let form = project
        .forms
        .by_id(record.form_id)
        .map(|f| f.def.identifier.as_str())
        .map(|m| data_form(&project, m))
        .ok_or_else(|| not_found(id))??;
    super::post::throttle(state, Viewer::User(me.user_id), client).await?;
    let items =
        read_form_data(&body.form_data, &record.lang).map_err(|e| ApiError::BadRequest(e.0))?;
    let items = check_submission(&form.def, items).map_err(bad)?;
    limits::check_form_size(&items)?;
    crate::files::check_form_files(state, &form.def, &items).await?;
    let status = status_after_edit(&form.def, record.status);
    let now = state.now();
    if !openentry_store::form_data::update_own(&state.db, me.user_id, id, &items, status, now)
        .await?
    {
        return Err(not_found(id));
    }
    let record = openentry_store::form_data::get_own(&state.db, me.user_id, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(wire::updated(&project, record))
}

/// Deletes the caller's own submission and the replies under it.
pub(crate) async fn delete(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<bool> {
    if openentry_store::form_data::delete_own(&state.db, me.user_id, id).await? {
        Ok(true)
    } else {
        Err(not_found(id))
    }
}

/// Sets a submission's moderation status. Operators only: a signed-in user is refused with 403
/// whatever the id (so the answer tells nothing about other users' submissions), anonymous
/// callers with 401.
pub(crate) async fn set_status(
    state: &AppState,
    viewer: Viewer,
    id: i64,
    body: &UpdateStatusRequest,
) -> ApiResult<bool> {
    match viewer {
        Viewer::Operator => {}
        Viewer::User(_) => {
            return Err(ApiError::Forbidden(
                "Only operators change the status of form data".to_owned(),
            ));
        }
        Viewer::Anonymous => return Err(ApiError::unauthorized()),
    }
    let status = match &body.status {
        Value::String(s) => s.trim().parse::<SubmissionStatus>().ok(),
        _ => None,
    }
    .ok_or_else(|| {
        ApiError::BadRequest(format!(
            "status must be one of {}",
            SubmissionStatus::names()
        ))
    })?;
    if openentry_store::form_data::set_status(&state.db, id, status, state.now()).await? {
        Ok(true)
    } else {
        Err(not_found(id))
    }
}

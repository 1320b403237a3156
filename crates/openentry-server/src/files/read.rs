//! `getFile` and `delete`: the owner's file by its `filename` (the store key `upload`
//! answered). Another owner's file answers exactly like a missing one. The other query keys
//! the SDK sends (`id`, `type`, `entity`, `template`: folders of OneEntry's bucket) are
//! accepted and ignored.

use axum::http::{HeaderMap, Method};
use axum::response::Response;
use openentry_domain::files::Owner;
use serde::Deserialize;

use super::not_found;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The query of `getFile` and `delete`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FileQuery {
    /// The store key, as `upload` answered it in `filename`.
    filename: Option<String>,
}

impl FileQuery {
    fn key(&self) -> ApiResult<&str> {
        self.filename
            .as_deref()
            .filter(|f| !f.is_empty())
            .ok_or_else(|| {
                ApiError::BadRequest(
                    "filename is required (the filename upload answered)".to_owned(),
                )
            })
    }
}

/// The owner's file, served like any media file (ranges, validators).
pub(crate) async fn get(
    state: &AppState,
    owner: &Owner,
    query: &FileQuery,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let key = query.key()?;
    let file = openentry_store::files::get_own(&state.db, &owner.key(), key)
        .await?
        .ok_or_else(not_found)?;
    crate::media::serve::answer(
        state.media.as_ref(),
        &file.object_key,
        None,
        method,
        headers,
    )
    .await
}

/// Deletes the owner's file: its row (and quota) first, then the object.
pub(crate) async fn delete(state: &AppState, owner: &Owner, query: &FileQuery) -> ApiResult<bool> {
    let key = query.key()?;
    let mut tx = state.db.begin().await?;
    let gone = openentry_store::files::delete_own(&mut tx, &owner.key(), key)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    super::remove_objects(state, &[gone.object_key]).await;
    Ok(true)
}

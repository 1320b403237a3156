//! The FileUploading module (docs/wire.md §6.8): visitors' files streamed into the media store
//! (`upload`), read back (`getFile`) and deleted by their owner, and the check that form values
//! name only files uploaded here. Ownership, types and keys are decided in
//! `openentry_domain::files`; the rules and their reasons are in docs/decisions.md
//! ("Uploaded files").

pub(crate) mod admin;
mod body;
mod links;
mod read;
mod upload;

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use openentry_domain::files::Owner;

use crate::error::ApiError;
use crate::extract::{Client, CurrentUser, bearer};
use crate::state::AppState;

pub(crate) use links::check_form_files;
pub(crate) use read::{FileQuery, delete, get};
pub(crate) use upload::upload;

/// The upload route (the request layer gives it its own body limit and timeout).
pub(crate) const UPLOAD_PATH: &str = "/api/content/files";

/// Whether a request is an upload: the visitors' route, or an operator's file
/// (`crate::media::upload`).
pub(crate) fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && (path == UPLOAD_PATH || crate::media::upload::takes_files(path))
}

/// Who owns the files a request touches: the signed-in user, else the visitor's address.
/// Wire quirk: the SDK attaches a stored Bearer to every call, so a stale or invalid one counts
/// as none, as on the FormData routes (docs/wire.md §6.8).
#[derive(Debug, Clone)]
pub(crate) struct Caller(pub(crate) Owner);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(token) = bearer(parts)
            && let Some(user) = CurrentUser::from_token(state, token).await?
        {
            return Ok(Self(Owner::User(user.user_id)));
        }
        let client = Client::from_request_parts(parts, state).await?;
        Ok(Self(Owner::Address(client.ip)))
    }
}

/// Removes objects whose rows are gone (a deleted account's files). A failure is logged: the
/// row, and so every way to reach the object through the API, is already gone.
pub(crate) async fn remove_objects(state: &AppState, keys: &[String]) {
    for key in keys {
        if let Err(e) = state.media.delete(key).await {
            tracing::warn!(%key, error = %e, "could not remove an uploaded file from the media store");
        }
    }
}

/// The 404 of a file the caller does not own, exactly as for a missing one.
pub(crate) fn not_found() -> ApiError {
    ApiError::NotFound("File not found".to_owned())
}

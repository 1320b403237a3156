//! The FormData module (docs/wire.md §6.8): what visitors and users send through the project's
//! data forms (reviews, contact messages), who reads it, and who changes it. The rules are in
//! `openentry_domain::form_data`; this module reads requests and the store and applies them.
//!
//! Callers: an operator (the admin token as Bearer), a signed-in user (a valid access token),
//! or anonymous. Wire quirk: the SDK attaches the user's Bearer to every call, so the public
//! routes (post, read) treat a stale or invalid token as no token; changing a submission needs
//! a signed-in user (401 otherwise).

pub(crate) mod admin;
mod change;
mod post;
mod read;
mod wire;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use openentry_domain::form_data::{Refusal, Viewer};
use openentry_domain::project::FormKind;

use crate::error::{ApiError, ApiResult};
use crate::extract::{CurrentUser, bearer};
use crate::project::{Form, Project};
use crate::state::AppState;

pub(crate) use change::{delete, set_status, update};
pub(crate) use post::{post, throttle};
pub(crate) use read::{ListQuery, list};

/// Who is calling a FormData route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller(pub(crate) Viewer);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = bearer(parts) else {
            return Ok(Self(Viewer::Anonymous));
        };
        if crate::middleware::is_admin_token(state, token) {
            return Ok(Self(Viewer::Operator));
        }
        Ok(Self(match CurrentUser::from_token(state, token).await? {
            Some(user) => Viewer::User(user.user_id),
            None => Viewer::Anonymous,
        }))
    }
}

/// The data form with this marker; any other marker (unknown, or a sign-up or order form,
/// which take no submissions) is a 404.
pub(crate) fn data_form<'a>(project: &'a Project, marker: &str) -> ApiResult<&'a Form> {
    project
        .forms
        .by_marker(marker)
        .filter(|f| f.def.kind == FormKind::Data)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "Form \"{}\" not found (or it takes no submissions)",
                crate::validate::shown(marker)
            ))
        })
}

/// A refused submission as the 400 that names the field.
pub(crate) fn bad(e: Refusal) -> ApiError {
    ApiError::BadRequest(e.message)
}

/// The 404 of a submission the caller has no access to, exactly as for a missing one.
pub(crate) fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("Form data {id} not found"))
}

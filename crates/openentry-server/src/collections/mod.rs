//! The IntegrationCollections module (docs/wire.md §6.18): the project's collections and their
//! rows, read and written per each collection's `read` and `write` (see
//! `openentry_domain::collections`, which decides; this module reads requests and the store).
//!
//! Callers are identified as for FormData ([`crate::form_data::Caller`]): an operator (the
//! admin token as Bearer), a signed-in user, or anonymous (a stale Bearer counts as none, since
//! the SDK attaches the user's token to every call).

pub(crate) mod admin;
mod read;
mod wire;
mod write;

use openentry_domain::collections::Denied;
use openentry_domain::project::CollectionDef;

use crate::error::{ApiError, ApiResult};
use crate::project::{Entity, Form, Project};

pub(crate) use read::{ListQuery, by_id, list, row, rows_by_id, rows_by_marker, validate};
pub(crate) use write::{create, delete, update};

/// A collection with its stored identity.
pub(crate) type Collection = Entity<CollectionDef>;

fn missing(what: &str) -> ApiError {
    ApiError::NotFound(format!("Collection {what} not found"))
}

/// The collection with this marker, else a 404.
pub(crate) fn by_marker<'a>(project: &'a Project, marker: &str) -> ApiResult<&'a Collection> {
    project
        .collections
        .by_marker(marker)
        .ok_or_else(|| missing(&format!("\"{}\"", crate::validate::shown(marker))))
}

/// The collection with this id, else a 404.
pub(crate) fn by_stored_id(project: &Project, id: i64) -> ApiResult<&Collection> {
    project
        .collections
        .by_id(id)
        .ok_or_else(|| missing(&id.to_string()))
}

/// The form whose fields are the collection's columns (the definition check guarantees it).
pub(crate) fn form_of<'a>(project: &'a Project, c: &Collection) -> ApiResult<&'a Form> {
    project.forms.by_marker(&c.def.form).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "collection {} has no form",
            c.def.identifier
        ))
    })
}

/// The 404 of a row the caller may not see or change, exactly as for a missing one.
pub(crate) fn row_not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("Collection row {id} not found"))
}

/// A refused write as its status: 401 when signing in would help, else 403.
pub(crate) fn denied(d: Denied, c: &Collection) -> ApiError {
    match d {
        Denied::SignIn => ApiError::unauthorized(),
        Denied::Operators => ApiError::Forbidden(format!(
            "Only operators write to collection \"{}\"",
            c.def.identifier
        )),
    }
}

//! Edits of the stored project through the admin API (docs/decisions.md, "Discounts, second
//! part"): the change is made on the definition this node serves, checked exactly as
//! `project check` checks a file, and imported over the revision it was made from, so a
//! concurrent edit or import is a 409 rather than lost. Other nodes reload on their next poll.

use std::sync::Arc;

use openentry_domain::project::{self, ProjectDefinition};
use openentry_store::StoreError;

use super::Project;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The stored project as it is now: operators read what the last edit on any node wrote, not
/// what this node loaded at its last poll.
pub(crate) async fn fresh(state: &AppState) -> ApiResult<Arc<Project>> {
    state
        .project
        .refresh(&state.db)
        .await
        .map_err(ApiError::Internal)?;
    Ok(state.project())
}

/// Applies `change` to the stored definition and imports the result.
pub(crate) async fn edit<T>(
    state: &AppState,
    change: impl FnOnce(&mut ProjectDefinition) -> ApiResult<T>,
) -> ApiResult<T> {
    // Another node may have imported since this one last looked.
    let current = fresh(state).await?;
    let mut def = current.def.clone();
    let out = change(&mut def)?;
    checked(&def)?;
    import_over(state, current.revision, &def).await?;
    Ok(out)
}

/// Checks a changed definition exactly as `project check` checks a file: a 400 naming every
/// problem and its place.
pub(crate) fn checked(def: &ProjectDefinition) -> ApiResult<()> {
    project::check(def).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        ApiError::BadRequest(format!("Not valid: {}", lines.join("; ")))
    })
}

/// Imports a checked definition over `revision` (the one it was made from: anything imported
/// since is a 409) and serves it on this node at once.
pub(crate) async fn import_over(
    state: &AppState,
    revision: i64,
    def: &ProjectDefinition,
) -> ApiResult<()> {
    openentry_store::project::import_over(&state.db, def, state.now(), Some(revision))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(m) | StoreError::InUse(m) => ApiError::Conflict(m),
            other => other.into(),
        })?;
    state
        .project
        .refresh(&state.db)
        .await
        .map_err(ApiError::Internal)?;
    Ok(())
}

//! Records management changes in the audit log: who, when, what, the thing before and after.

use openentry_domain::clock::Timestamp;
use openentry_domain::operators::Resource;
use openentry_store::audit::{AuditFilter, NewAudit};
use openentry_types::audit::AuditEntry;
use openentry_types::paging::Paging;
use serde_json::Value;

use crate::error::ApiResult;
use crate::operators::Operator;
use crate::operators::permissions::{self, Need};
use crate::project::sections::Section;
use crate::state::AppState;

/// One change to record.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// `create`, `update`, `delete`, or the resource's verb (`settle`, `refund`, `replay`).
    pub(crate) action: &'static str,
    /// The resource of the permission table.
    pub(crate) resource: Resource,
    /// What, in the resource's terms (`products/shirt`, `orders/12`).
    pub(crate) target: String,
    /// The thing before (`None` for a creation).
    pub(crate) before: Option<Value>,
    /// The thing after (`None` for a deletion).
    pub(crate) after: Option<Value>,
}

/// A change known by its result: the thing after it (orders, payment sessions, refunds and
/// deliveries keep their own history of earlier states, which the entry's target names).
pub(crate) fn after<T: serde::Serialize>(
    action: &'static str,
    resource: Resource,
    target: String,
    thing: &T,
) -> Change {
    Change {
        action,
        resource,
        target,
        before: None,
        after: serde_json::to_value(thing).ok(),
    }
}

/// Records an edit of the project definition (a `section`'s entry, or the project-wide
/// settings when `None`) under the resource the permission table gives its management route,
/// so the API and the console write the same entry for the same edit.
pub(crate) async fn project_edit(
    state: &AppState,
    by: &Operator,
    section: Option<&Section>,
    change: crate::project::manage::Change,
) -> ApiResult<()> {
    let action = match (&change.before, &change.after) {
        (None, _) => "create",
        (_, None) => "delete",
        _ => "update",
    };
    let route = section.map_or_else(
        || "/api/admin/project".to_owned(),
        |s| format!("/api/admin/project/{}", s.path),
    );
    let resource = match permissions::need(&route) {
        Some(Need::Grant(r)) => r,
        _ => Resource::Settings,
    };
    let change = Change {
        action,
        resource,
        target: change.target,
        before: change.before,
        after: change.after,
    };
    record(state, by, change).await
}

/// Writes the entry. Called after the change committed: a change whose entry fails to write is
/// logged at error level rather than undone (docs/decisions.md, "Operators").
pub(crate) async fn record(state: &AppState, by: &Operator, change: Change) -> ApiResult<()> {
    let before = change.before.as_ref().map(Value::to_string);
    let after = change.after.as_ref().map(Value::to_string);
    let row = NewAudit {
        actor: &by.actor,
        action: change.action,
        resource: change.resource.as_str(),
        target: &change.target,
        before_json: before.as_deref(),
        after_json: after.as_deref(),
    };
    if let Err(e) = openentry_store::audit::add(&state.db, &row, state.now()).await {
        tracing::error!(actor = %by.actor, target = %change.target, error = %e, "audit entry not written");
        return Err(e.into());
    }
    Ok(())
}

/// A page of the log, newest first (`GET /api/admin/audit` and the console's log).
pub(crate) async fn entries(
    state: &AppState,
    filter: &AuditFilter,
    page: Paging,
) -> ApiResult<Vec<AuditEntry>> {
    let rows = openentry_store::audit::list(&state.db, filter, page).await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: Timestamp(r.at).to_rfc3339(),
            actor: r.actor,
            action: r.action,
            resource: r.resource,
            target: r.target,
            before: r.before_json.and_then(|t| serde_json::from_str(&t).ok()),
            after: r.after_json.and_then(|t| serde_json::from_str(&t).ok()),
        })
        .collect())
}

/// How many entries match `filter`.
pub(crate) async fn count(state: &AppState, filter: &AuditFilter) -> ApiResult<i64> {
    Ok(openentry_store::audit::count(&state.db, filter).await?)
}

//! Records management changes in the audit log: who, when, what, the thing before and after.

use openentry_domain::operators::Resource;
use openentry_store::audit::NewAudit;
use serde_json::Value;

use crate::error::ApiResult;
use crate::operators::Operator;
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

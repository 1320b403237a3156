//! What operators read of payments: every session, and the alerts to look at.

use openentry_domain::clock::Timestamp;
use openentry_types::admin::Alert;
use openentry_types::payments::PaymentSessionList;

use crate::error::ApiResult;
use crate::state::AppState;

/// A page of all payment sessions, newest first; sessions past their time expire first, so
/// the list never shows a stale `waiting`.
pub(crate) async fn sessions(
    state: &AppState,
    offset: i64,
    limit: i64,
) -> ApiResult<PaymentSessionList> {
    super::lifecycle::expire_due(state, None).await?;
    let (rows, total) = openentry_store::payments::list_all(&state.db, limit, offset).await?;
    let project = state.project();
    Ok(PaymentSessionList {
        items: rows
            .iter()
            .map(|s| super::wire::session(&project, s))
            .collect::<ApiResult<_>>()?,
        total,
    })
}

/// The newest alerts.
pub(crate) async fn alerts(state: &AppState, limit: i64) -> ApiResult<Vec<Alert>> {
    let rows = openentry_store::payments::alerts(&state.db, limit).await?;
    Ok(rows
        .into_iter()
        .map(|a| Alert {
            id: a.id,
            session_id: a.session_id,
            event_id: a.event_id,
            kind: a.kind.as_str().to_owned(),
            detail: serde_json::from_str(&a.detail).unwrap_or_default(),
            created_at: Timestamp(a.created_at).to_rfc3339(),
        })
        .collect())
}

//! Reading the outbox: the events of one aggregate, as operators see them.

use openentry_domain::clock::Timestamp;
use openentry_types::admin::OutboxEvent;

use crate::error::ApiResult;
use crate::state::AppState;

/// The events of one aggregate (`order`, `payment_session`), oldest first.
pub(crate) async fn events_of(
    state: &AppState,
    aggregate: &str,
    id: i64,
) -> ApiResult<Vec<OutboxEvent>> {
    let rows = openentry_store::outbox::list_for_aggregate(&state.db, aggregate, id).await?;
    Ok(rows
        .into_iter()
        .map(|e| OutboxEvent {
            id: e.id,
            kind: e.kind.as_str().to_owned(),
            payload: e.payload,
            created_at: Timestamp(e.created_at).to_rfc3339(),
        })
        .collect())
}

//! Provider webhook events, recorded once each: the table that makes redeliveries harmless.

use openentry_domain::clock::Timestamp;

use crate::db::q;
use crate::{Exec, StoreError};

/// Records a provider event; false if it was recorded before (a redelivery).
pub async fn add_event(
    mut e: impl Exec,
    provider: &str,
    event_id: &str,
    kind: &str,
    outcome: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e.executor().exec(
            q("INSERT INTO webhook_events (provider, event_id, kind, outcome, received_at) VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (provider, event_id) DO NOTHING")
            .bind(provider)
            .bind(event_id)
            .bind(kind)
            .bind(outcome)
            .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

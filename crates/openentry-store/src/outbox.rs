//! The outbox: one row per domain event, written in the same transaction as the change it
//! describes, so an event exists exactly when its change was committed. Delivery (e-mail,
//! WebSocket, outgoing webhooks) reads it later.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::{Aggregate, DomainEvent, EventKind};
use serde_json::Value;

use crate::db::{Executor, Id, q};
use crate::json::JsonText;
use crate::{Exec, StoreError};

/// Adds an event (in the same transaction as the change it describes).
pub async fn add(mut e: impl Exec, event: &DomainEvent, now: Timestamp) -> Result<(), StoreError> {
    add_on(&mut e.executor(), event, now).await.map(|_| ())
}

/// Adds an event like [`add`] and returns its id (a one-time code's e-mail is a delivery of
/// its `user.code_requested` row, written in the same transaction).
pub async fn insert(
    mut e: impl Exec,
    event: &DomainEvent,
    now: Timestamp,
) -> Result<i64, StoreError> {
    add_on(&mut e.executor(), event, now).await
}

/// [`insert`] on an executor already open (the project import's transaction).
pub(crate) async fn add_on(
    t: &mut Executor<'_>,
    event: &DomainEvent,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let payload = serde_json::to_string(event).map_err(|e| StoreError::Encode(e.into()))?;
    let (aggregate, aggregate_id) = event.aggregate();
    let row: Id = t
        .one(
            q(
                "INSERT INTO outbox (kind, aggregate, aggregate_id, payload, created_at)
               VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(event.kind().as_str())
            .bind(aggregate.as_str())
            .bind(aggregate_id)
            .bind(payload)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct Event {
    /// Id (delivery order).
    pub id: i64,
    /// `order.created`, `payment.session.completed`, … An unknown stored kind is a decoding
    /// error.
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    /// `order`, `payment_session`. An unknown stored name is a decoding error.
    #[sqlx(try_from = "String")]
    pub aggregate: Aggregate,
    /// Id of the aggregate.
    pub aggregate_id: i64,
    /// Details (free-form JSON).
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub payload: Value,
    /// When.
    pub created_at: i64,
}

/// Events of one aggregate, oldest first.
pub async fn list_for_aggregate(
    mut e: impl Exec,
    aggregate: &str,
    id: i64,
) -> Result<Vec<Event>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT id, kind, aggregate, aggregate_id, payload, created_at FROM outbox
               WHERE aggregate = $1 AND aggregate_id = $2 ORDER BY id",
            )
            .bind(aggregate)
            .bind(id),
        )
        .await
}

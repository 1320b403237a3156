//! Orders' history: who changed what, written in the same transaction as the change.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::{Actor, HistoryKind, OrderEvent};
use serde_json::Value;

use crate::db::q;
use crate::json::JsonText;
use crate::{Exec, StoreError};

/// Records a change of an order (in the same transaction as the change).
pub async fn add_history(
    mut ex: impl Exec,
    e: &OrderEvent,
    now: Timestamp,
) -> Result<(), StoreError> {
    let detail = serde_json::to_string(&e.detail).map_err(|e| StoreError::Encode(e.into()))?;
    ex.executor().exec(
            q("INSERT INTO order_history (order_id, at, actor, kind, detail) VALUES ($1, $2, $3, $4, $5)")
                .bind(e.order_id)
                .bind(now.0)
                .bind(e.actor.to_string())
                .bind(e.detail.kind().as_str())
                .bind(detail),
        )
        .await?;
    Ok(())
}

/// One entry of an order's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize, serde::Serialize)]
pub struct HistoryRecord {
    /// When.
    pub at: i64,
    /// Who (`user:12`, `admin`). An unknown stored actor is a decoding error.
    #[sqlx(try_from = "String")]
    pub actor: Actor,
    /// What changed. An unknown stored kind is a decoding error.
    #[sqlx(try_from = "String")]
    pub kind: HistoryKind,
    /// Details (free-form JSON).
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub detail: Value,
}

/// An order's history, oldest first.
pub async fn list_history(
    mut e: impl Exec,
    order_id: i64,
) -> Result<Vec<HistoryRecord>, StoreError> {
    e.executor()
        .all(
            q("SELECT at, actor, kind, detail FROM order_history WHERE order_id = $1 ORDER BY id")
                .bind(order_id),
        )
        .await
}

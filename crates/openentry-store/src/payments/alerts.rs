//! Payment alerts: what an operator must look at (a payment that could not settle its order).

use openentry_domain::clock::Timestamp;
use openentry_domain::payments::AlertKind;
use serde_json::Value;

use crate::db::q;
use crate::json::JsonText;
use crate::{Exec, StoreError};

/// An alert for an operator (e.g. a payment whose amount differs from the session's).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct Alert {
    /// Id.
    pub id: i64,
    /// The session concerned.
    pub session_id: Option<i64>,
    /// The provider event.
    pub event_id: String,
    /// What is wrong (`amount_mismatch`). An unknown stored kind is a decoding error.
    #[sqlx(try_from = "String")]
    pub kind: AlertKind,
    /// Details (free-form JSON).
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub detail: Value,
    /// When.
    pub created_at: i64,
}

/// An alert to record: why a payment needs an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert<'a> {
    /// The session concerned.
    pub session_id: Option<i64>,
    /// The provider event that raised it, when a webhook did (stored as `""` otherwise).
    pub event_id: Option<&'a str>,
    /// What is wrong.
    pub kind: AlertKind,
    /// JSON details.
    pub detail: String,
}

/// Records an alert in the caller's transaction.
pub async fn add_alert(
    mut e: impl Exec,
    a: &NewAlert<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor().exec(
            q("INSERT INTO payment_alerts (session_id, event_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(a.session_id)
                .bind(a.event_id.unwrap_or_default())
                .bind(a.kind.as_str())
                .bind(a.detail.as_str())
                .bind(now.0),
        )
        .await?;
    Ok(())
}

/// The newest alerts.
pub async fn list_alerts(mut e: impl Exec, limit: i64) -> Result<Vec<Alert>, StoreError> {
    e.executor().all(q("SELECT id, session_id, event_id, kind, detail, created_at FROM payment_alerts ORDER BY id DESC LIMIT CAST($1 AS BIGINT)").bind(limit))
        .await
}

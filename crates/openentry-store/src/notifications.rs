//! Messages for users (one-time codes), kept where an operator can read them until real
//! delivery channels exist.

use openentry_domain::clock::Timestamp;

use crate::db::q;
use crate::{Exec, StoreError};

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize, serde::Serialize)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// `email`.
    pub channel: String,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// When it was written.
    pub created_at: i64,
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    /// `email`.
    pub channel: &'a str,
    /// The address.
    pub recipient: &'a str,
    /// Subject line.
    pub subject: &'a str,
    /// Text.
    pub body: &'a str,
}

/// Stores a message.
pub async fn insert(
    mut e: impl Exec,
    n: &NewNotification<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "INSERT INTO notifications (channel, recipient, subject, body, created_at)
               VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(n.channel)
            .bind(n.recipient)
            .bind(n.subject)
            .bind(n.body)
            .bind(now.0),
        )
        .await?;
    Ok(())
}

/// The newest messages, optionally for one recipient.
pub async fn list(
    mut e: impl Exec,
    recipient: Option<&str>,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let mut c = e.executor();
    c.all(
        q(
            "SELECT id, channel, recipient, subject, body, created_at FROM notifications
           WHERE ($1 IS NULL OR recipient = $1) ORDER BY id DESC LIMIT CAST($2 AS BIGINT)",
        )
        .bind(recipient.map(str::to_owned))
        .bind(limit),
    )
    .await
}

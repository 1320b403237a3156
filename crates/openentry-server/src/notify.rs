//! Delivering messages to users. The message row is written in the same transaction as the
//! change that caused it (an outbox an operator can read through the admin API); after commit
//! the [`Notifier`] hands it on. The default notifier writes it to the server log; e-mail
//! delivery plugs in here later.

use openentry_domain::clock::Timestamp;
use openentry_store::Tx;
use openentry_store::notifications::{self, NewNotification};

use crate::error::ApiResult;

/// A message for a user.
#[derive(Debug, Clone)]
pub struct Message {
    /// `email`.
    pub channel: &'static str,
    /// The address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Text.
    pub body: String,
    /// What it is (e.g. `code:reg`), for logs: never the content.
    pub kind: String,
}

/// Hands committed messages to a delivery channel.
pub trait Notifier: Send + Sync + std::fmt::Debug {
    /// Delivers a message whose row is already committed.
    fn deliver(&self, message: &Message);
}

/// Logs that a message was delivered: channel, recipient and kind, never its content (the
/// body carries one-time codes; logs are read by more people than the outbox).
#[derive(Debug, Default)]
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn deliver(&self, m: &Message) {
        tracing::info!(channel = m.channel, recipient = %m.recipient, kind = %m.kind, "notification queued for delivery");
    }
}

/// Stores a message in the caller's transaction; deliver it after commit.
pub(crate) async fn enqueue(tx: &mut Tx, m: &Message, now: Timestamp) -> ApiResult<()> {
    let row = NewNotification {
        channel: m.channel,
        recipient: &m.recipient,
        subject: &m.subject,
        body: &m.body,
    };
    notifications::insert(tx, &row, now).await?;
    Ok(())
}

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
    notifications::insert(&mut *tx, &row, now).await?;
    Ok(())
}

/// The newest stored messages, optionally for one recipient (operators read one-time codes
/// here until e-mail delivery exists).
pub(crate) async fn stored(
    state: &crate::state::AppState,
    recipient: Option<&str>,
    limit: i64,
) -> ApiResult<Vec<openentry_types::admin::Notification>> {
    let rows = notifications::list(&state.db, recipient, limit).await?;
    Ok(rows
        .into_iter()
        .map(|n| openentry_types::admin::Notification {
            id: n.id,
            channel: n.channel,
            recipient: n.recipient,
            subject: n.subject,
            body: n.body,
            created_at: Timestamp(n.created_at).to_rfc3339(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata};

    use super::*;

    /// Collects every field of every event as `name=value` text.
    struct Capture(Arc<Mutex<String>>);

    struct Fields<'a>(&'a mut String);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, "{}={value:?} ", field.name());
        }
    }

    impl tracing::Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            if let Ok(mut out) = self.0.lock() {
                event.record(&mut Fields(&mut out));
            }
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[test]
    fn the_log_names_the_delivery_not_the_code() {
        let logged = Arc::new(Mutex::new(String::new()));
        let message = Message {
            channel: "email",
            recipient: "ann@example.com".to_owned(),
            subject: "Your email code".to_owned(),
            body: "Your code is 493817. It is valid for 10 minutes. Event: reg.".to_owned(),
            kind: "code:reg".to_owned(),
        };
        tracing::subscriber::with_default(Capture(Arc::clone(&logged)), || {
            LogNotifier.deliver(&message);
        });
        let text = logged.lock().unwrap().clone();
        assert!(
            text.contains("ann@example.com") && text.contains("code:reg"),
            "{text}"
        );
        assert!(!text.contains("493817"), "{text}");
    }
}

//! One-time codes by e-mail. Making a code writes its `user.code_requested` outbox row (never
//! with the code: webhooks see that row as it is) and, when an SMTP server is configured, the
//! code's e-mail as a delivery of that row, in the same transaction: the mail exists exactly
//! when the code does, and goes through the relay like any other (retries, dead letters, the
//! delivery log, replay). Its text is the project's `code_request` e-mail event for the user,
//! in their locale, when there is one (`{{code}}`), else a built-in English text.

use openentry_domain::clock::Timestamp;
use openentry_domain::project::{Channel, Condition, MessageDef, Recipient};
use openentry_store::Tx;
use openentry_store::deliveries::{NewDelivery, delivery_id};
use openentry_types::events::{CodeRequested, DomainEvent};
use serde_json::{Value, json};

use super::context::{project_value, user_value};
use super::email::MailPayload;
use super::recipients::{Addressee, locale_of};
use crate::state::AppState;

/// The event marker of code mails when the project defines no `code_request` e-mail event.
const BUILT_IN: &str = "one_time_code";

/// A code to send (no `Debug`: it holds the code).
pub(crate) struct CodeMail<'a> {
    /// The user.
    pub(crate) user_id: i64,
    /// Their provider's marker.
    pub(crate) provider: &'a str,
    /// What it is for (`reg`).
    pub(crate) purpose: &'a str,
    /// The code.
    pub(crate) code: &'a str,
    /// Minutes it stays valid.
    pub(crate) minutes: i64,
    /// Where it goes.
    pub(crate) address: &'a str,
    /// The built-in subject.
    pub(crate) subject: &'a str,
    /// The built-in text.
    pub(crate) text: &'a str,
}

/// Writes the code's outbox row and, with SMTP configured, its e-mail (in `tx`).
pub(crate) async fn queue(
    state: &AppState,
    tx: &mut Tx,
    m: &CodeMail<'_>,
    now: Timestamp,
) -> anyhow::Result<()> {
    let event = DomainEvent::CodeRequested(CodeRequested {
        event: m.purpose.to_owned(),
        provider: m.provider.to_owned(),
        user_id: m.user_id,
    });
    let outbox_id = openentry_store::outbox::insert(&mut *tx, &event, now).await?;
    if state.mailer.is_none() || m.address.is_empty() {
        return Ok(());
    }
    let project = state.project();
    let default = project.default_locale().to_owned();
    let user = openentry_store::users::get(&mut *tx, m.user_id).await?;
    let locale = user
        .as_ref()
        .map_or_else(|| default.clone(), |u| locale_of(state, u));
    let defined = project.def.events.iter().find(|e| {
        e.condition == Condition::CodeRequest
            && e.has_channel(Channel::Email)
            && e.recipients.contains(&Recipient::User)
    });
    let built_in = MessageDef {
        subject: m.subject.to_owned(),
        text: m.text.to_owned(),
        html: String::new(),
    };
    let (identifier, message) = match defined.and_then(|e| Some((e, e.message(&locale, &default)?)))
    {
        Some((e, message)) => (e.identifier.as_str(), message),
        None => (BUILT_IN, &built_in),
    };
    let context = json!({
        "project": project_value(state, &locale),
        "event": {
            "identifier": identifier,
            "kind": "user.code_requested",
            "createdAt": super::rfc3339(now.0),
            "purpose": m.purpose,
            "validMinutes": m.minutes,
        },
        "user": user.as_ref().map_or(Value::Null, user_value),
        "code": m.code,
    });
    let rendered = match openentry_domain::notices::render_message(message, &context) {
        Ok(r) => r,
        // A template that fails at run time must not cost the user their code.
        Err(err) => {
            tracing::warn!(event = identifier, error = %err, "the code template failed; sending the built-in text");
            openentry_domain::notices::render_message(&built_in, &context)?
        }
    };
    let to = Addressee {
        address: m.address.to_owned(),
        locale,
        user_id: Some(m.user_id),
    };
    let target = to.address.to_lowercase();
    let delivery = NewDelivery {
        id: delivery_id(outbox_id, identifier, "email", &target),
        event: identifier.to_owned(),
        channel: "email".to_owned(),
        target,
        payload: MailPayload::new(&to, rendered).to_json(),
        user_id: to.user_id,
    };
    openentry_store::deliveries::add(&mut *tx, outbox_id, &delivery, now).await?;
    Ok(())
}

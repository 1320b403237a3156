//! `project check` for `[[events]]` and `[[webhooks]]`: each problem with its place
//! (`events[0].messages.en_US.html`).

use openentry_types::payments::SessionStatus;

use super::ProjectDefinition;
use super::check::{Problems, is_marker};
use super::events::{Channel, Condition, EventDef, Recipient};

/// Checks events and webhook endpoints.
pub(super) fn check_events(def: &ProjectDefinition, p: &mut Problems) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, e) in def.events.iter().enumerate() {
        let at = format!("events[{i}]");
        if !is_marker(&e.identifier) {
            p.add(
                format!("{at}.identifier"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if seen.contains(&e.identifier.as_str()) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", e.identifier),
            );
        }
        seen.push(&e.identifier);
        if e.condition.module() != e.module {
            p.add(
                format!("{at}.condition"),
                format!(
                    "\"{}\" belongs to module \"{}\", not \"{}\"",
                    e.condition.as_str(),
                    e.condition.module().as_str(),
                    e.module.as_str()
                ),
            );
        }
        check_condition(def, e, &at, p);
        check_audience(def, e, &at, p);
        check_messages(def, e, &at, p);
    }
    check_webhooks(def, p);
}

fn check_condition(def: &ProjectDefinition, e: &EventDef, at: &str, p: &mut Problems) {
    let storage = e.storage.as_deref().and_then(|s| def.order_storage(s));
    if let (Some(s), None) = (&e.storage, storage) {
        p.add(
            format!("{at}.storage"),
            format!("order storage \"{s}\" is not defined"),
        );
    }
    match e.condition {
        Condition::OrderStatus => match (&e.storage, &e.status) {
            (None, _) => p.add(format!("{at}.storage"), "order_status needs a storage"),
            (_, None) => p.add(format!("{at}.status"), "order_status needs a status"),
            (Some(_), Some(status)) => {
                if storage.is_some_and(|s| s.status(status).is_none()) {
                    p.add(
                        format!("{at}.status"),
                        format!("\"{status}\" is not a status of that storage"),
                    );
                }
            }
        },
        Condition::PaymentStatus => match &e.status {
            None => p.add(format!("{at}.status"), "payment_status needs a status"),
            Some(s) if s.parse::<SessionStatus>().is_err() => p.add(
                format!("{at}.status"),
                format!("\"{s}\" is not one of {}", SessionStatus::names()),
            ),
            Some(_) => {}
        },
        _ => {
            if e.status.is_some() {
                p.add(
                    format!("{at}.status"),
                    "only order_status and payment_status take a status",
                );
            }
        }
    }
    if e.storage.is_some()
        && !matches!(
            e.condition,
            Condition::OrderCreated | Condition::OrderStatus | Condition::Refund
        )
    {
        p.add(
            format!("{at}.storage"),
            "only order conditions take a storage",
        );
    }
    match (&e.form, e.condition) {
        (Some(f), Condition::FormSubmitted) if def.form(f).is_none() => {
            p.add(
                format!("{at}.form"),
                format!("form \"{f}\" is not defined in [[forms]]"),
            );
        }
        (Some(_), c) if c != Condition::FormSubmitted => {
            p.add(format!("{at}.form"), "only form_submitted takes a form");
        }
        _ => {}
    }
}

fn check_audience(def: &ProjectDefinition, e: &EventDef, at: &str, p: &mut Problems) {
    if e.channels.is_empty() {
        p.add(format!("{at}.channels"), "name at least one channel");
    }
    let personal = e.channels.iter().any(|c| *c != Channel::Webhook);
    if personal && e.recipients.is_empty() {
        p.add(
            format!("{at}.recipients"),
            "e-mail, websocket and push need recipients",
        );
    }
    let catalog = matches!(e.condition, Condition::PriceBelow | Condition::BackInStock);
    if e.recipients.contains(&Recipient::Subscribers) && !catalog {
        p.add(
            format!("{at}.recipients"),
            "only catalog conditions have subscribers",
        );
    }
    match (&e.group, e.recipients.contains(&Recipient::Group)) {
        (None, true) => p.add(
            format!("{at}.group"),
            "recipients = [\"group\"] needs a group",
        ),
        (Some(_), false) => p.add(
            format!("{at}.group"),
            "a group without the \"group\" recipient",
        ),
        (Some(g), true) if !def.auth_providers.iter().any(|a| &a.user_group == g) => p.add(
            format!("{at}.group"),
            format!("no auth provider puts users in group \"{g}\""),
        ),
        _ => {}
    }
    if e.has_channel(Channel::Webhook)
        && !def
            .webhooks
            .iter()
            .any(|w| w.events.contains(&e.identifier))
    {
        p.add(
            format!("{at}.channels"),
            "the webhook channel, but no [[webhooks]] lists the event",
        );
    }
}

fn check_messages(def: &ProjectDefinition, e: &EventDef, at: &str, p: &mut Problems) {
    let personal = e.channels.iter().any(|c| *c != Channel::Webhook);
    if personal && e.messages.is_empty() {
        p.add(
            format!("{at}.messages"),
            "e-mail, websocket and push need a message",
        );
    }
    let allowed = e.condition.placeholders();
    for (lang, m) in &e.messages {
        if !def.project.locales.contains(lang) {
            p.add(
                format!("{at}.messages.{lang}"),
                format!("\"{lang}\" is not one of project.locales"),
            );
        }
        for (part, text) in [
            ("subject", &m.subject),
            ("text", &m.text),
            ("html", &m.html),
        ] {
            let place = format!("{at}.messages.{lang}.{part}");
            match crate::notices::placeholders(text) {
                Err(err) => p.add(place, err.to_string()),
                Ok(names) => {
                    for n in names.iter().filter(|n| !allowed.contains(&n.as_str())) {
                        p.add(
                            place.clone(),
                            format!("{{{{{n}}}}} is not known here; use {}", allowed.join(", ")),
                        );
                    }
                }
            }
        }
    }
}

fn check_webhooks(def: &ProjectDefinition, p: &mut Problems) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, w) in def.webhooks.iter().enumerate() {
        let at = format!("webhooks[{i}]");
        if !is_marker(&w.identifier) {
            p.add(
                format!("{at}.identifier"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if seen.contains(&w.identifier.as_str()) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", w.identifier),
            );
        }
        seen.push(&w.identifier);
        if !(w.url.starts_with("https://") || w.url.starts_with("http://")) || w.url.len() > 2048 {
            p.add(format!("{at}.url"), "use an http:// or https:// URL");
        }
        if w.secret_env.is_empty() {
            p.add(
                format!("{at}.secret_env"),
                "name the environment variable holding the secret",
            );
        }
        if w.events.is_empty() {
            p.add(format!("{at}.events"), "list at least one event");
        }
        for (j, name) in w.events.iter().enumerate() {
            match def.event(name) {
                None => p.add(
                    format!("{at}.events[{j}]"),
                    format!("event \"{name}\" is not defined"),
                ),
                Some(e) if !e.has_channel(Channel::Webhook) => p.add(
                    format!("{at}.events[{j}]"),
                    format!("event \"{name}\" has no webhook channel"),
                ),
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
#[path = "events_tests.rs"]
mod tests;

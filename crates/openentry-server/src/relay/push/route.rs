//! Who an event's push goes to and the deliveries that follow: the user the row concerns
//! (`user`: an order's customer, a form's sender, the user of a user event), the subscribers a
//! catalog change reaches (`subscribers`, the rule of every channel) and the users of a group
//! (`group`). Operators are not users and have no devices. Each user's devices are the tokens
//! of `notificationData.phonePush` and of `POST /users/me/fcm-token`; one delivery per device,
//! its message rendered in the user's locale (a subscriber's: the subscription's) when the row
//! is routed. The delivery id names the device by a short hash: a token is a credential of
//! sorts, and ids are shown in logs and the admin API.

use std::collections::HashSet;

use openentry_domain::project::{Condition, EventDef, Recipient};
use openentry_store::deliveries::{NewDelivery, delivery_id};
use openentry_store::outbox::Event;
use openentry_store::users::UserRecord;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::CHANNEL;
use crate::relay::audience::{reaches, user_of};
use crate::relay::context::{Facts, user_value};
use crate::relay::recipients::{group_users, locale_of};
use crate::state::AppState;

/// Recipient users of `e` for `row`, each once, with the locale of their messages.
async fn recipients(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    facts: &Facts,
) -> anyhow::Result<Vec<(UserRecord, String)>> {
    let mut out = Vec::new();
    for r in &e.recipients {
        match r {
            // A one-time code is never in a row: it goes by e-mail only (relay::codes).
            Recipient::User if e.condition != Condition::CodeRequest => {
                let Some(id) = user_of(state, row).await? else {
                    continue;
                };
                let user = match &facts.user {
                    Some(u) if u.id == id => Some(u.clone()),
                    _ => openentry_store::users::get(&state.db, id).await?,
                };
                out.extend(user.map(|u| {
                    let locale = locale_of(state, &u);
                    (u, locale)
                }));
            }
            Recipient::Subscribers
                if matches!(e.condition, Condition::PriceBelow | Condition::BackInStock) =>
            {
                let subs = openentry_store::subscriptions::subscribers(
                    &state.db,
                    &e.identifier,
                    row.aggregate_id,
                )
                .await?;
                let to = row.payload.get("toMinor").and_then(Value::as_i64);
                for s in subs.into_iter().filter(|s| reaches(e.condition, s, to)) {
                    if let Some(u) = openentry_store::users::get(&state.db, s.user_id).await? {
                        let served = state.project().def.project.locales.contains(&s.locale);
                        let locale = if served {
                            s.locale
                        } else {
                            locale_of(state, &u)
                        };
                        out.push((u, locale));
                    }
                }
            }
            Recipient::Group => {
                if let Some(g) = &e.group {
                    for u in group_users(state, g).await? {
                        let locale = locale_of(state, &u);
                        out.push((u, locale));
                    }
                }
            }
            Recipient::User | Recipient::Subscribers | Recipient::Operators => {}
        }
    }
    let mut seen = HashSet::new();
    out.retain(|(u, _)| seen.insert(u.id));
    Ok(out)
}

/// A user's device tokens, each once, in the order they were registered.
async fn devices(state: &AppState, u: &UserRecord) -> anyhow::Result<Vec<String>> {
    let registered = openentry_store::users::list_fcm_tokens(&state.db, u.id).await?;
    let mut seen = HashSet::new();
    Ok(u.notification_data
        .phone_push
        .iter()
        .chain(&registered)
        .map(|t| t.trim())
        .filter(|t| !t.is_empty() && seen.insert(t.to_owned()))
        .map(str::to_owned)
        .collect())
}

/// The delivery target of a user's device: the user and a short hash of the token.
fn target(user: i64, token: &str) -> String {
    let hash = Sha256::digest(token.as_bytes());
    format!("{user}-{}", hex::encode(&hash[..8]))
}

/// The push deliveries of event `e` for outbox row `row`.
pub(in crate::relay) async fn deliveries(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    facts: &Facts,
) -> anyhow::Result<Vec<NewDelivery>> {
    let default = state.project().default_locale().to_owned();
    let mut out = Vec::new();
    for (user, locale) in recipients(state, e, row, facts).await? {
        let tokens = devices(state, &user).await?;
        if tokens.is_empty() {
            continue;
        }
        let Some(message) = e.message(&locale, &default) else {
            continue;
        };
        let mut context = facts.context(state, &e.identifier, &locale);
        // A catalog event is about a product, not a user: its `user` is the subscriber.
        if context["user"].is_null() {
            context["user"] = user_value(&user);
        }
        if let Some(p) = row.payload.get("productId").and_then(Value::as_i64) {
            context["product"] = json!({"id": p});
        }
        let rendered = match openentry_domain::notices::render_message(message, &context) {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!(event = %e.identifier, error = %err, "a push could not be rendered");
                continue;
            }
        };
        // FCM's `data` holds strings only.
        let mut data = Map::new();
        data.insert("event".to_owned(), json!(e.identifier));
        data.insert("kind".to_owned(), json!(row.kind.as_str()));
        data.insert("locale".to_owned(), json!(locale));
        data.insert(
            "timestamp".to_owned(),
            json!(crate::relay::rfc3339(row.created_at)),
        );
        for key in ["orderId", "productId"] {
            if let Some(id) = row.payload.get(key).and_then(Value::as_i64) {
                data.insert(key.to_owned(), json!(id.to_string()));
            }
        }
        for token in tokens {
            let target = target(user.id, &token);
            let id = delivery_id(row.id, &e.identifier, CHANNEL, &target);
            let mut data = data.clone();
            data.insert("id".to_owned(), json!(id));
            let message = json!({"message": {
                "token": token,
                "notification": {"title": rendered.subject, "body": rendered.text},
                "data": data,
            }});
            out.push(NewDelivery {
                id,
                event: e.identifier.clone(),
                channel: CHANNEL.to_owned(),
                target,
                payload: message.to_string(),
                user_id: Some(user.id),
            });
        }
    }
    Ok(out)
}

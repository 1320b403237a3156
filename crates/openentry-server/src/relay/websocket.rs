//! The `websocket` channel: one delivery per recipient user, holding the rendered
//! notification; sending it tells every node to hand it to that user's open sockets
//! ([`crate::ws`]). The WebSocket is a live channel, like a push to a closed app: a delivery
//! is `sent` once the nodes were told, whether or not the user had a socket open (nothing is
//! replayed at the next connection; e-mail and webhooks are the channels that wait).
//!
//! The notification (event `notification`):
//! `{id, event, title, message, locale, timestamp, order?, payment?, product?}` — `id` is the
//! delivery's stable id (a client deduplicates with it), `title` and `message` the event's
//! subject and text in the recipient's locale, and `order` (`{id, storage, status}`),
//! `payment` (the outbox event) or `product` (`{id}`) what it is about.

use std::time::Instant;

use openentry_domain::project::{Condition, EventDef, EventModule, Recipient};
use openentry_store::deliveries::{DeliveryRecord, NewDelivery, delivery_id};
use openentry_store::orders::OrderRecord;
use openentry_store::outbox::Event;
use serde_json::{Value, json};

use super::webhook::{Failure, Sent};
use crate::state::AppState;
use crate::ws::signal::{self, Signal};

/// The channel's name in deliveries.
pub(super) const CHANNEL: &str = "websocket";

/// The order an outbox row is about (order and payment events carry `orderId`).
async fn order_of(state: &AppState, row: &Event) -> anyhow::Result<Option<OrderRecord>> {
    let Some(id) = row.payload.get("orderId").and_then(Value::as_i64) else {
        return Ok(None);
    };
    Ok(openentry_store::orders::get(&state.db, id).await?)
}

/// Recipient users of `e` for `row`, each with the locale of their messages. Operators are
/// not users (they have no sockets) and groups are not resolved for this channel.
async fn recipients(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    order: Option<&OrderRecord>,
) -> anyhow::Result<Vec<(i64, String)>> {
    let mut out = Vec::new();
    if e.recipients.contains(&Recipient::User)
        && let Some(o) = order
        && let Some(user) = o.user_id
    {
        out.push((user, o.lang.clone()));
    }
    if e.recipients.contains(&Recipient::Subscribers)
        && e.module == EventModule::Catalog
        && let Some(product) = row.payload.get("productId").and_then(Value::as_i64)
    {
        let subs =
            openentry_store::subscriptions::subscribers(&state.db, &e.identifier, product).await?;
        // The same rule as every channel: `price_below` only under the subscriber's threshold.
        let to = row.payload.get("toMinor").and_then(Value::as_i64);
        out.extend(
            subs.into_iter()
                .filter(|s| super::audience::reaches(e.condition, s, to))
                .map(|s| (s.user_id, s.locale)),
        );
    }
    out.sort();
    out.dedup_by_key(|(user, _)| *user);
    Ok(out)
}

/// The deliveries of event `e` for outbox row `row` on this channel.
pub(super) async fn deliveries(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    storage: Option<&str>,
) -> anyhow::Result<Vec<NewDelivery>> {
    let project = state.project();
    let order = order_of(state, row).await?;
    let order_json = order.as_ref().map(|o| {
        let status = project
            .order_statuses
            .by_id(o.status_id)
            .map(|s| s.def.status.identifier.clone());
        json!({"id": o.id, "storage": storage, "status": status})
    });
    let product = row.payload.get("productId").and_then(Value::as_i64);
    let mut out = Vec::new();
    for (user, locale) in recipients(state, e, row, order.as_ref()).await? {
        let id = delivery_id(row.id, &e.identifier, CHANNEL, &user.to_string());
        let context = json!({
            "project": {"name": project.def.project.name},
            "event": {"identifier": e.identifier},
            "user": {"id": user},
            "order": order_json,
            "payment": (e.condition == Condition::PaymentStatus).then_some(&row.payload),
            "product": product.map(|p| json!({"id": p})),
        });
        let (title, message) = match e.message(&locale, project.default_locale()) {
            Some(m) => match openentry_domain::notices::render_message(m, &context) {
                Ok(r) => (r.subject, r.text),
                Err(err) => {
                    // `project check` parses templates; one failing here is reported, not sent.
                    tracing::warn!(event = %e.identifier, error = %err, "a message did not render");
                    (String::new(), String::new())
                }
            },
            None => (String::new(), String::new()),
        };
        let mut body = json!({
            "id": id,
            "event": e.identifier,
            "title": title,
            "message": message,
            "locale": locale,
            "timestamp": super::rfc3339(row.created_at),
        });
        for (key, value) in [
            ("order", context["order"].clone()),
            ("payment", context["payment"].clone()),
            ("product", context["product"].clone()),
        ] {
            if !value.is_null() {
                body[key] = value;
            }
        }
        out.push(NewDelivery {
            id,
            event: e.identifier.clone(),
            channel: CHANNEL.to_owned(),
            target: user.to_string(),
            payload: body.to_string(),
            user_id: Some(user),
        });
    }
    Ok(out)
}

/// Tells the nodes holding the user's sockets (see the module's note on `sent`).
pub(super) async fn send(state: &AppState, d: &DeliveryRecord) -> Result<Sent, Failure> {
    let started = Instant::now();
    let user = d
        .target
        .parse::<i64>()
        .map_err(|_| Failure::new(None, "the delivery's target is not a user id"))?;
    let signal = Signal::Notify {
        user,
        delivery: d.id.clone(),
    };
    signal::publish(state, &signal)
        .await
        .map_err(|e| Failure::new(None, &format!("could not signal the nodes: {e}")))?;
    Ok(Sent {
        status: None,
        latency_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    })
}

//! The `websocket` channel: one delivery per recipient user (and one for the operators'
//! sockets, when they are recipients), holding the rendered notification; sending it tells every node to hand it to that user's open sockets
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

use super::context::Facts;
use super::webhook::{Failure, Sent};
use crate::state::AppState;
use crate::ws::signal::{self, Signal};

/// The channel's name in deliveries.
pub(super) const CHANNEL: &str = "websocket";

/// The target of a delivery to the operators' sockets.
const OPERATORS: &str = "operators";

/// The order an outbox row is about (order and payment events carry `orderId`).
async fn order_of(state: &AppState, row: &Event) -> anyhow::Result<Option<OrderRecord>> {
    let Some(id) = row.payload.get("orderId").and_then(Value::as_i64) else {
        return Ok(None);
    };
    Ok(openentry_store::orders::get(&state.db, id).await?)
}

/// Who a notification is for: a user's sockets, or the operators' (admin-token sockets).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Whom {
    User(i64),
    Operators,
}

impl Whom {
    /// The delivery's target.
    fn target(&self) -> String {
        match self {
            Self::User(id) => id.to_string(),
            Self::Operators => OPERATORS.to_owned(),
        }
    }
}

/// Recipients of `e` for `row`, each with the locale of their messages: the user it concerns
/// (an order's customer in the order's language; a form's sender, a signed-up user in theirs),
/// the catalog subscribers it reaches, the users of the event's group, and the operators (in
/// the project's default locale). Each once.
async fn recipients(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    order: Option<&OrderRecord>,
) -> anyhow::Result<Vec<(Whom, String)>> {
    let mut out = Vec::new();
    if e.recipients.contains(&Recipient::User) {
        if let Some(o) = order {
            out.extend(o.user_id.map(|u| (Whom::User(u), o.lang.clone())));
        } else if let Some(id) = super::audience::user_of(state, row).await?
            && let Some(u) = openentry_store::users::get(&state.db, id).await?
        {
            out.push((Whom::User(u.id), super::recipients::locale_of(state, &u)));
        }
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
                .map(|s| (Whom::User(s.user_id), s.locale)),
        );
    }
    if e.recipients.contains(&Recipient::Group)
        && let Some(g) = &e.group
    {
        for u in super::recipients::group_users(state, g).await? {
            out.push((Whom::User(u.id), super::recipients::locale_of(state, &u)));
        }
    }
    if e.recipients.contains(&Recipient::Operators) {
        out.push((Whom::Operators, state.project().default_locale().to_owned()));
    }
    // The first reason a user is reached decides the locale (the user concerned first).
    let mut seen = std::collections::HashSet::new();
    out.retain(|(whom, _)| seen.insert(whom.clone()));
    Ok(out)
}

/// The deliveries of event `e` for outbox row `row` on this channel.
pub(super) async fn deliveries(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    storage: Option<&str>,
    facts: &Facts,
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
    for (whom, locale) in recipients(state, e, row, order.as_ref()).await? {
        let target = whom.target();
        let user = match whom {
            Whom::User(id) => Some(id),
            Whom::Operators => None,
        };
        let id = delivery_id(row.id, &e.identifier, CHANNEL, &target);
        // The e-mail's context (the same placeholders on every channel), in this locale.
        let mut context = facts.context(state, &e.identifier, &locale);
        if let Some(p) = product {
            context["product"] = json!({"id": p});
        }
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
        let payment = (e.condition == Condition::PaymentStatus).then(|| row.payload.clone());
        for (key, value) in [
            ("order", order_json.clone()),
            ("payment", payment),
            ("product", product.map(|p| json!({"id": p}))),
        ] {
            if let Some(value) = value {
                body[key] = value;
            }
        }
        out.push(NewDelivery {
            id,
            event: e.identifier.clone(),
            channel: CHANNEL.to_owned(),
            target,
            payload: body.to_string(),
            user_id: user,
        });
    }
    Ok(out)
}

/// Tells the nodes holding the user's sockets (see the module's note on `sent`).
pub(super) async fn send(state: &AppState, d: &DeliveryRecord) -> Result<Sent, Failure> {
    let started = Instant::now();
    let signal = if d.target == OPERATORS {
        Signal::NotifyOperators {
            delivery: d.id.clone(),
        }
    } else {
        let user = d
            .target
            .parse::<i64>()
            .map_err(|_| Failure::permanent(None, "the delivery's target is not a user id"))?;
        Signal::Notify {
            user,
            delivery: d.id.clone(),
        }
    };
    signal::publish(state, &signal)
        .await
        .map_err(|e| Failure::new(None, &format!("could not signal the nodes: {e}")))?;
    Ok(Sent {
        status: None,
        latency_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    })
}

//! Who a delivery is for: the user an outbox row concerns (the order's customer, a form's
//! sender), and for catalog events with the `subscribers` recipient, each subscriber the
//! change reaches (`price_below`: the new price is under their threshold). The delivery log
//! keeps the user, so operators read it per user.

use openentry_domain::project::{Condition, EventDef, Recipient, WebhookDef};
use openentry_store::deliveries::{NewDelivery, delivery_id, delivery_id_for_user};
use openentry_store::outbox::Event;
use openentry_store::subscriptions::{self, Subscriber};
use openentry_types::events::{Aggregate, EventKind};
use serde_json::{Value, json};

use crate::state::AppState;

/// Whether a catalog or form event fires for `row` (the arms of `route::fires` for
/// `form_submitted`, `price_below` and `back_in_stock`).
pub(super) fn fires(e: &EventDef, row: &Event) -> bool {
    match e.condition {
        Condition::FormSubmitted => {
            row.kind == EventKind::FormSubmitted
                && e.form
                    .as_deref()
                    .is_none_or(|f| row.payload.get("form").and_then(Value::as_str) == Some(f))
        }
        Condition::PriceBelow => row.kind == EventKind::ProductPriceFell,
        Condition::BackInStock => row.kind == EventKind::ProductBackInStock,
        _ => false,
    }
}

/// One receiver of an event through one endpoint: the user it concerns, and the subscriber
/// it is sent on behalf of, if any.
#[derive(Debug, Clone)]
pub(super) struct Audience {
    user_id: Option<i64>,
    subscriber: Option<Subscriber>,
}

impl Audience {
    /// The delivery of `body` to endpoint `w`: one per subscriber (its id names the user),
    /// else one per endpoint.
    pub(super) fn webhook(
        &self,
        row: &Event,
        e: &EventDef,
        w: &WebhookDef,
        body: &Value,
    ) -> NewDelivery {
        let (id, payload) = match &self.subscriber {
            Some(s) => {
                let mut body = body.clone();
                body["data"]["subscriber"] = json!({
                    "userId": s.user_id,
                    "locale": s.locale,
                    "thresholdMinor": s.threshold_minor,
                });
                let id = delivery_id_for_user(
                    row.id,
                    &e.identifier,
                    "webhook",
                    &w.identifier,
                    s.user_id,
                );
                (id, body.to_string())
            }
            None => (
                delivery_id(row.id, &e.identifier, "webhook", &w.identifier),
                body.to_string(),
            ),
        };
        NewDelivery {
            id,
            event: e.identifier.clone(),
            channel: "webhook".to_owned(),
            target: w.identifier.clone(),
            payload,
            user_id: self.user_id,
        }
    }
}

/// Who hears of `row` through `e`.
pub(super) async fn of(
    state: &AppState,
    e: &EventDef,
    row: &Event,
) -> anyhow::Result<Vec<Audience>> {
    let catalog = matches!(e.condition, Condition::PriceBelow | Condition::BackInStock);
    if catalog && e.recipients.contains(&Recipient::Subscribers) {
        let subs = subscriptions::subscribers(&state.db, &e.identifier, row.aggregate_id).await?;
        let to = row.payload.get("toMinor").and_then(Value::as_i64);
        return Ok(subs
            .into_iter()
            .filter(|s| reaches(e.condition, s, to))
            .map(|s| Audience {
                user_id: Some(s.user_id),
                subscriber: Some(s),
            })
            .collect());
    }
    Ok(vec![Audience {
        user_id: user_of(state, row).await?,
        subscriber: None,
    }])
}

/// `price_below` reaches a subscriber when the new price is under their threshold (a
/// subscriber without one, subscribed to a product without a price then, hears of any fall);
/// `back_in_stock` reaches every subscriber.
pub(super) fn reaches(condition: Condition, s: &Subscriber, to_minor: Option<i64>) -> bool {
    match (condition, s.threshold_minor, to_minor) {
        (Condition::PriceBelow, Some(limit), Some(to)) => to < limit,
        (Condition::PriceBelow, _, to) => to.is_some(),
        _ => true,
    }
}

/// The user an outbox row concerns: an order's (or its payment's) customer, a form's sender.
pub(super) async fn user_of(state: &AppState, row: &Event) -> anyhow::Result<Option<i64>> {
    match row.aggregate {
        Aggregate::FormData => Ok(row.payload.get("userId").and_then(Value::as_i64)),
        // Sign-up, code and password events are about the user of the row.
        Aggregate::User => Ok(Some(row.aggregate_id)),
        Aggregate::Order | Aggregate::PaymentSession => {
            let Some(order_id) = row.payload.get("orderId").and_then(Value::as_i64) else {
                return Ok(None);
            };
            Ok(openentry_store::orders::get(&state.db, order_id)
                .await?
                .and_then(|o| o.user_id))
        }
        Aggregate::Product => Ok(None),
    }
}

//! Routing: which events of the project an outbox row fires, and the deliveries that follow.
//! Only channels with a sender get deliveries (webhooks, WebSocket; e-mail when an SMTP
//! server is configured, push when FCM credentials are); an event's other channels are
//! skipped here, so nothing piles up undeliverable.

use openentry_domain::project::{Channel, Condition, EventDef};
use openentry_store::deliveries::{self, NewDelivery};
use openentry_store::outbox::Event;
use openentry_types::events::EventKind;
use serde_json::{Value, json};

use crate::state::AppState;

/// Outbox rows read at once.
const BATCH: i64 = 100;
/// Batches per pass: a pass keeps up with bursts of checkouts, yet ends.
const BATCHES: usize = 20;

/// Routes the outbox rows not routed yet; returns how many.
pub(super) async fn route_new(state: &AppState) -> anyhow::Result<u64> {
    let mut n = 0;
    for _ in 0..BATCHES {
        let rows = deliveries::list_unrouted(&state.db, BATCH).await?;
        let full = i64::try_from(rows.len()).unwrap_or(0) == BATCH;
        let sendable = state.project().def.events.iter().any(|e| {
            e.has_channel(Channel::Webhook)
                || e.has_channel(Channel::Websocket)
                || (e.has_channel(Channel::Email) && state.mailer.is_some())
                || (e.has_channel(Channel::Push) && state.pusher.is_some())
        });
        if sendable {
            // One transaction per batch: routing is sequential, a commit per row would cap
            // it at the disk's flush rate.
            let mut routed = Vec::with_capacity(rows.len());
            for row in rows {
                routed.push((row.id, deliveries_for(state, &row).await?));
            }
            deliveries::route_batch(&state.db, &routed, state.now()).await?;
            n += routed.len() as u64;
        } else if let Some(last) = rows.last() {
            n += deliveries::skip_upto(&state.db, last.id, state.now()).await?;
        }
        if !full {
            break;
        }
    }
    Ok(n)
}

/// The order storage marker of an order event's order, if it still exists.
async fn storage_of(state: &AppState, row: &Event) -> anyhow::Result<Option<String>> {
    let Some(order_id) = row.payload.get("orderId").and_then(Value::as_i64) else {
        return Ok(None);
    };
    let Some(order) = openentry_store::orders::get(&state.db, order_id).await? else {
        return Ok(None);
    };
    let project = state.project();
    Ok(project
        .order_storages
        .by_id(order.storage_id)
        .map(|s| s.def.identifier.clone()))
}

/// Whether `e` fires for `row` (`storage`: the order's storage, when the row is about one).
fn fires(e: &EventDef, row: &Event, storage: Option<&str>) -> bool {
    let in_storage = || e.storage.as_deref().is_none_or(|s| Some(s) == storage);
    match e.condition {
        Condition::OrderCreated => row.kind == EventKind::OrderCreated && in_storage(),
        Condition::Refund => row.kind == EventKind::OrderRefundRequested && in_storage(),
        Condition::OrderStatus => {
            let to = row.payload.pointer("/detail/to").and_then(Value::as_str);
            row.kind == EventKind::OrderStatus
                && e.status.is_some()
                && to == e.status.as_deref()
                && e.storage.is_some()
                && in_storage()
        }
        Condition::PaymentStatus => e
            .status
            .as_deref()
            .is_some_and(|s| row.kind.as_str().strip_prefix("payment.session.") == Some(s)),
        Condition::SignUp => row.kind == EventKind::UserSignedUp,
        Condition::CodeRequest => row.kind == EventKind::UserCodeRequested,
        Condition::PasswordChange => row.kind == EventKind::UserPasswordChanged,
        Condition::FormSubmitted | Condition::PriceBelow | Condition::BackInStock => {
            super::audience::fires(e, row)
        }
    }
}

async fn deliveries_for(state: &AppState, row: &Event) -> anyhow::Result<Vec<NewDelivery>> {
    let project = state.project();
    let def = &project.def;
    let storage = storage_of(state, row).await?;
    let mut out = Vec::new();
    // Read once per row, only when a message is to be rendered (e-mail, WebSocket, push).
    let mut facts = None;
    for e in def
        .events
        .iter()
        .filter(|e| fires(e, row, storage.as_deref()))
    {
        let ws = e.has_channel(Channel::Websocket);
        let email = e.has_channel(Channel::Email) && state.mailer.is_some();
        let push = e.has_channel(Channel::Push) && state.pusher.is_some();
        if (ws || email || push) && facts.is_none() {
            facts = Some(super::context::facts(state, row, storage.as_deref()).await?);
        }
        if let Some(f) = &facts {
            if ws {
                out.extend(
                    super::websocket::deliveries(state, e, row, storage.as_deref(), f).await?,
                );
            }
            if email {
                out.extend(super::recipients::email_deliveries(state, e, row, f).await?);
            }
            if push {
                out.extend(super::push::route::deliveries(state, e, row, f).await?);
            }
        }
        if !e.has_channel(Channel::Webhook) {
            continue;
        }
        let body = json!({
            "type": e.identifier,
            "timestamp": super::rfc3339(row.created_at),
            "data": {
                "kind": row.kind.as_str(),
                "aggregate": row.aggregate.as_str(),
                "aggregateId": row.aggregate_id,
                "storage": storage,
                "event": row.payload,
            },
        });
        let audience = super::audience::of(state, e, row).await?;
        for w in def
            .webhooks
            .iter()
            .filter(|w| w.events.contains(&e.identifier))
        {
            out.extend(audience.iter().map(|a| a.webhook(row, e, w, &body)));
        }
    }
    Ok(out)
}

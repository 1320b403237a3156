//! Stripe webhooks: verify, deduplicate, move the session (and its order) exactly once.
//!
//! The signature is checked on the raw bytes against the signing secret of every Stripe
//! account of the project before the body is parsed. The event id is recorded in the same
//! transaction as its effect, so a redelivery (Stripe delivers at least once, in any order)
//! finds the row and changes nothing. Sessions only move up their ladder, so any order of
//! events ends in the same state. A payment whose amount or currency differs from the
//! session's never completes it; it is recorded as an alert for an operator.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::Actor;
use openentry_domain::payments::{Ladder, SessionStatus};
use openentry_domain::project::AccountKind;
use openentry_domain::stripe_signature;
use openentry_store::payments::PaymentSessionRecord;
use openentry_store::{StoreError, Tx};

use super::lifecycle;
use super::stripe_event::{Action, Event, action, meta_id, mismatch};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Longest event id or type we accept (Stripe's are about 30 characters).
const MAX_ID: usize = 255;

/// Checks the `Stripe-Signature` header against every Stripe account's signing secret.
fn verify(state: &AppState, header: Option<&str>, body: &[u8], now: Timestamp) -> ApiResult<()> {
    let project = state.project();
    let mut secrets: Vec<String> = project
        .payment_accounts
        .iter()
        .filter(|a| a.def.kind == AccountKind::Stripe)
        .filter_map(|a| a.def.stripe.as_ref())
        .filter_map(|s| state.config.secret(&s.webhook_secret_env))
        .collect();
    secrets.sort();
    secrets.dedup();
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    stripe_signature::verify(header, body, &refs, now).map_err(|e| {
        // The reason only: never the header, the body or a secret.
        tracing::warn!(reason = %e, "Stripe webhook refused");
        ApiError::BadRequest(format!("Invalid Stripe webhook: {e}"))
    })
}

/// Handles one delivery: verifies it, then applies it unless it was seen before. Returns the
/// outcome recorded (`duplicate` for a redelivery).
pub(crate) async fn receive(
    state: &AppState,
    signature: Option<&str>,
    body: &[u8],
) -> ApiResult<&'static str> {
    let now = state.now();
    verify(state, signature, body, now)?;
    let event: Event = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("The body is not a Stripe event: {e}")))?;
    if event.id.is_empty() {
        return Err(ApiError::BadRequest(
            "The Stripe event has no id".to_owned(),
        ));
    }
    // Signed, but still checked like any body, so both databases store or refuse the same
    // (Stripe's ids and types are short; PostgreSQL refuses NUL and oversized index keys).
    crate::validate::json(body)?;
    if event.id.len() > MAX_ID || event.kind.len() > MAX_ID {
        return Err(ApiError::BadRequest(format!(
            "The Stripe event's id and type are at most {MAX_ID} characters"
        )));
    }
    let mut tx = state.db.begin().await?;
    let action = action(&event);
    let session = find_session(&mut tx, &event).await?;
    let session = session.filter(|s| {
        state
            .project()
            .payment_accounts
            .by_id(s.account_id)
            .is_some_and(|a| a.def.kind == AccountKind::Stripe)
    });
    let (outcome, alert) = match (action, &session) {
        (Action::Note(o), _) => (o, None),
        (Action::Move(_), None) => ("unknown_session", None),
        (Action::Move(to), Some(s)) => match mismatch(&event, s, to) {
            Some((kind, detail)) => (kind.as_str(), Some((kind, detail))),
            None => (to.as_str(), None),
        },
    };
    if !openentry_store::payments::add_event(
        &mut tx,
        "stripe",
        &event.id,
        &event.kind,
        outcome,
        now,
    )
    .await?
    {
        tx.commit().await?;
        tracing::info!(event = %event.id, kind = %event.kind, "Stripe event seen before; ignored");
        return Ok("duplicate");
    }
    if let (Some((kind, detail)), Some(s)) = (alert, &session) {
        tracing::warn!(
            event = %event.id, session = s.id, ?detail,
            "Stripe event does not match its payment session; not applied"
        );
        super::alerts::add_alert(&mut tx, s.id, Some(&event.id), kind, &detail, now).await?;
    } else if let (Action::Move(to), Some(s)) = (action, &session) {
        apply(state, &mut tx, s.id, to, &event.id, now).await?;
    }
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, outcome, "Stripe event processed");
    Ok(outcome)
}

/// Moves the session to `to` if its ladder allows (a completion settles the order only if it
/// covers the order as it is now; see `lifecycle`). Under PostgreSQL another transaction may
/// move it between our read and our update (the update then changes nothing); reading again
/// sees that change, so a late success still lands on a canceled session.
async fn apply(
    state: &AppState,
    tx: &mut Tx,
    id: i64,
    to: SessionStatus,
    event_id: &str,
    now: Timestamp,
) -> ApiResult<bool> {
    let cause = lifecycle::Cause {
        actor: Actor::Stripe,
        event_id: Some(event_id),
    };
    for _ in 0..3 {
        let Some(s) = openentry_store::payments::get(&mut *tx, id).await? else {
            return Ok(false);
        };
        if !s.status.may_become(to) {
            return Ok(false);
        }
        if lifecycle::transition(state, tx, &s, to, cause, now).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The session an event is about: by the provider id we stored (`cs_…` or `pi_…`), else by the
/// metadata we sent. Wire quirk: the PaymentIntent of a Checkout Session has an id we never
/// stored; it carries our `metadata[session_id]`/`metadata[order_id]` (sent as
/// `payment_intent_data[metadata]`), which must name the same order.
async fn find_session(
    tx: &mut Tx,
    event: &Event,
) -> Result<Option<PaymentSessionRecord>, StoreError> {
    let object = &event.data.object;
    let id = object["id"].as_str().unwrap_or_default();
    if !id.is_empty()
        && let Some(s) = openentry_store::payments::get_by_provider_ref(&mut *tx, id).await?
    {
        return Ok(Some(s));
    }
    let meta = &object["metadata"];
    let (Some(sid), Some(oid)) = (meta_id(&meta["session_id"]), meta_id(&meta["order_id"])) else {
        return Ok(None);
    };
    let Some(s) = openentry_store::payments::get(&mut *tx, sid).await? else {
        return Ok(None);
    };
    let intent_of_checkout = event.kind.starts_with("payment_intent.")
        && s.provider_ref
            .as_deref()
            .is_some_and(|r| r.starts_with("cs_"));
    // A session whose provider object is another one is not this event's.
    let ours = s.provider_ref.is_none() || intent_of_checkout;
    Ok((s.order_id == oid && ours).then_some(s))
}

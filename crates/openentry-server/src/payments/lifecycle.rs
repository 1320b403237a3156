//! Moving a session along its status ladder, and the order with it.

use openentry_domain::clock::Timestamp;
use openentry_domain::payments::SessionStatus;
use openentry_store::Tx;
use openentry_store::payments::SessionRecord;
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::orders::log_change;
use crate::state::AppState;

/// Moves `session` to `to` if the ladder allows it, in the caller's transaction, and applies
/// the storage's payment status map to the order in the same transaction. Returns whether the
/// session moved.
pub(crate) async fn transition(
    state: &AppState,
    tx: &mut Tx,
    session: &SessionRecord,
    to: SessionStatus,
    actor: &str,
    now: Timestamp,
) -> ApiResult<bool> {
    let from = SessionStatus::parse(&session.status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "session {} has status {}",
            session.id,
            session.status
        ))
    })?;
    if !from.may_become(to)
        || !openentry_store::payments::set_status(tx, session.id, from.as_str(), to.as_str(), now)
            .await?
    {
        return Ok(false);
    }
    let payload = json!({"sessionId": session.id, "orderId": session.order_id, "from": from.as_str(), "to": to.as_str(), "actor": actor});
    openentry_store::outbox::add(
        tx,
        &format!("payment.session.{}", to.as_str()),
        "payment_session",
        session.id,
        &payload.to_string(),
        now,
    )
    .await?;
    log_change(
        tx,
        session.order_id,
        now,
        actor,
        "payment",
        &json!({"sessionId": session.id, "status": to.as_str()}).to_string(),
    )
    .await?;

    let project = state.project();
    // Read inside the transaction: a writer holding a pooled connection must never wait for a
    // second one (concurrent writers could otherwise exhaust the pool and stall each other).
    let order = openentry_store::orders::get(tx, session.order_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("session {} has no order", session.id))
        })?;
    let Some(storage) = project.order_storage_by_id(order.storage_id) else {
        return Ok(true);
    };
    let Some(target) = storage
        .def
        .status_after_payment(to.as_str())
        .and_then(|t| project.order_status(&t.identifier))
    else {
        return Ok(true);
    };
    let current = project.order_status_by_id(order.status_id);
    if current.is_some_and(|c| c.def.1.is_final) {
        // The customer canceled (or the order closed) while the payment went through: an
        // operator decides (refund or reopen); the order is not silently moved.
        let detail = json!({"orderId": order.id, "orderStatus": current.map(|c| c.def.1.identifier.clone()), "payment": to.as_str()});
        openentry_store::payments::add_alert(
            tx,
            Some(session.id),
            actor,
            "payment_on_closed_order",
            &detail.to_string(),
            now,
        )
        .await?;
        return Ok(true);
    }
    if order.status_id != target.id {
        openentry_store::orders::set_status(tx, order.id, target.id, now).await?;
        let from = current
            .map(|c| c.def.1.identifier.clone())
            .unwrap_or_default();
        let detail =
            json!({"from": from, "to": target.def.1.identifier, "paymentSessionId": session.id});
        log_change(tx, order.id, now, actor, "status", &detail.to_string()).await?;
    }
    Ok(true)
}

/// Expires the waiting sessions whose time is up (of one order, or of all).
pub(crate) async fn expire_due(state: &AppState, order_id: Option<i64>) -> ApiResult<u64> {
    let now = state.now();
    let mut moved = 0;
    for session in openentry_store::payments::due(&state.db, order_id, now, 500).await? {
        let mut tx = state.db.begin().await?;
        if transition(
            state,
            &mut tx,
            &session,
            SessionStatus::Expired,
            "system",
            now,
        )
        .await?
        {
            moved += 1;
        }
        tx.commit().await?;
    }
    Ok(moved)
}

//! Moving a session along its status ladder, and the order with it.
//!
//! The rule that protects the money (docs/decisions.md, "An order is never paid for less
//! than it costs"): the order row is locked before anything is decided, and a completed
//! payment settles its order only if, judged on the order as it is now, the order is open,
//! not yet paid, and the amount covers its current total. Anything else is recorded (the
//! money was taken) and raised as an operator alert; the order does not move.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::{
    Actor, DomainEvent, OrderChange, PaymentMoved, SessionMoved, StatusChanged,
};
use openentry_domain::payments::{
    Aftermath, Ladder, Moved, OrderDue, SessionStatus, Unsettled, after_move, settle,
};
use openentry_domain::project::AccountKind;
use openentry_store::Tx;
use openentry_store::orders::OrderRecord;
use openentry_store::payments::PaymentSessionRecord;

use crate::error::{ApiError, ApiResult};
use crate::orders::log_change;
use crate::project::Project;
use crate::state::AppState;

/// Who moves a session, and on which provider event (for alerts).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cause<'a> {
    /// Who.
    pub(crate) actor: Actor,
    /// The provider event, when a webhook moves the session.
    pub(crate) event_id: Option<&'a str>,
}

impl<'a> Cause<'a> {
    /// A change nobody outside asked for (expiry, a failed provider call).
    pub(crate) const SYSTEM: Cause<'static> = Cause {
        actor: Actor::System,
        event_id: None,
    };

    /// A change by `actor` without a provider event.
    pub(crate) fn by(actor: Actor) -> Self {
        Self {
            actor,
            event_id: None,
        }
    }
}

/// Locks the session's order in the caller's transaction and reads it.
pub(crate) async fn lock_order(tx: &mut Tx, order_id: i64) -> ApiResult<OrderRecord> {
    openentry_store::orders::lock(&mut *tx, order_id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("order {order_id} is missing")))
}

/// What a payment decision needs to know about `order` (read under its lock): its status
/// flags, total, and whether another session (not `except`) already paid it.
pub(crate) async fn due<'o>(
    project: &Project,
    tx: &mut Tx,
    order: &'o OrderRecord,
    except: Option<i64>,
) -> ApiResult<OrderDue<'o>> {
    Ok(OrderDue {
        settled_before: openentry_store::payments::count_settled_besides(
            &mut *tx, order.id, except,
        )
        .await?,
        ..due_now(project, order)
    })
}

/// [`due`] without the earlier payments (counted as none).
fn due_now<'o>(project: &Project, order: &'o OrderRecord) -> OrderDue<'o> {
    let status = project.order_statuses.by_id(order.status_id);
    OrderDue {
        is_final: status.is_some_and(|s| s.def.status.is_final),
        is_paid: status.is_some_and(|s| s.def.status.paid),
        settled_before: 0,
        total_minor: order.total_minor,
        currency: &order.currency,
    }
}

/// Whether a completed payment of `session` would settle `order` as it is now.
pub(crate) async fn judge(
    project: &Project,
    tx: &mut Tx,
    order: &OrderRecord,
    session: &PaymentSessionRecord,
) -> ApiResult<Result<(), Unsettled>> {
    let due = due(project, tx, order, Some(session.id)).await?;
    Ok(settle(&due, session.amount_minor, &session.currency))
}

/// Moves `session` to `to` if the ladder allows it, in the caller's transaction, and applies
/// the storage's payment status map to the order in the same transaction (a completion only
/// when it settles the order, see [`judge`]). Returns whether the session moved.
pub(crate) async fn transition(
    state: &AppState,
    tx: &mut Tx,
    session: &PaymentSessionRecord,
    to: SessionStatus,
    cause: Cause<'_>,
    now: Timestamp,
) -> ApiResult<bool> {
    // The order first: every writer of an order and its sessions takes this lock in the same
    // order (order, then session), so two nodes never interleave or deadlock.
    let order = lock_order(tx, session.order_id).await?;
    transition_locked(state, tx, &order, session, to, cause, now).await
}

/// [`transition`] for a caller that already holds the lock of `order`, the session's order.
pub(crate) async fn transition_locked(
    state: &AppState,
    tx: &mut Tx,
    order: &OrderRecord,
    session: &PaymentSessionRecord,
    to: SessionStatus,
    cause: Cause<'_>,
    now: Timestamp,
) -> ApiResult<bool> {
    let from = session.status;
    if !from.may_become(to)
        || !openentry_store::payments::set_status(&mut *tx, session.id, from, to, now).await?
    {
        return Ok(false);
    }
    let moved = SessionMoved {
        actor: cause.actor,
        from,
        order_id: session.order_id,
        session_id: session.id,
        to,
    };
    openentry_store::outbox::add(&mut *tx, &DomainEvent::SessionMoved(moved), now).await?;
    let detail = OrderChange::Payment(PaymentMoved {
        session_id: session.id,
        status: to,
    });
    log_change(tx, session.order_id, now, cause.actor, detail).await?;
    let project = state.project();
    let current = project.order_statuses.by_id(order.status_id);
    // Only a completion is judged against earlier payments: no read for the other ends.
    let except = (to == SessionStatus::Completed).then_some(session.id);
    let due = match except {
        Some(_) => due(&project, tx, order, except).await?,
        None => OrderDue {
            settled_before: 0,
            ..due_now(&project, order)
        },
    };
    let ended = Moved {
        to,
        amount_minor: session.amount_minor,
        currency: &session.currency,
    };
    let storage = project
        .order_storages
        .by_id(order.storage_id)
        .map(|s| &s.def);
    let marker = current.map(|c| c.def.status.identifier.as_str());
    match after_move(&ended, &due, storage, marker) {
        Aftermath::Nothing => {}
        Aftermath::Alert(why) => {
            super::alerts::unsettled(tx, session, order, marker, why, cause, now).await?;
        }
        Aftermath::Follow { settles, status } => {
            if settles {
                openentry_store::payments::set_settled(&mut *tx, session.id).await?;
            }
            let target = status.and_then(|t| project.order_statuses.by_marker(&t.identifier));
            if let Some(target) = target.filter(|t| t.id != order.status_id) {
                openentry_store::orders::set_status(&mut *tx, order.id, target.id, now).await?;
                if target.def.status.paid && !current.is_some_and(|c| c.def.status.paid) {
                    crate::orders::bonus::accrue(state, tx, order, now).await?;
                }
                let detail = OrderChange::Status(StatusChanged {
                    from: marker.unwrap_or_default().to_owned(),
                    payment_session_id: Some(session.id),
                    to: target.def.status.identifier.clone(),
                });
                log_change(tx, order.id, now, cause.actor, detail).await?;
            }
        }
    }
    Ok(true)
}

/// Expires the waiting sessions whose time is up (of one order, or of all).
pub(crate) async fn expire_due(state: &AppState, order_id: Option<i64>) -> ApiResult<u64> {
    let now = state.now();
    let mut moved = 0;
    for session in openentry_store::payments::list_due(&state.db, order_id, now, 500).await? {
        let mut tx = state.db.begin().await?;
        if transition(
            state,
            &mut tx,
            &session,
            SessionStatus::Expired,
            Cause::SYSTEM,
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

/// Cancels the waiting session of `order`, if any, in the caller's transaction, which holds
/// the order's lock: the order is about to change or close, and a session opened for the old
/// order must not be paid. Returns the canceled session (its provider object is closed by the
/// caller after commit, see [`close_at_provider`]).
pub(crate) async fn cancel_waiting(
    state: &AppState,
    tx: &mut Tx,
    order: &OrderRecord,
    cause: Cause<'_>,
    now: Timestamp,
) -> ApiResult<Option<PaymentSessionRecord>> {
    let Some(waiting) = openentry_store::payments::get_waiting(&mut *tx, order.id).await? else {
        return Ok(None);
    };
    let moved = transition_locked(
        state,
        tx,
        order,
        &waiting,
        SessionStatus::Canceled,
        cause,
        now,
    )
    .await?;
    Ok(moved.then_some(waiting))
}

/// Closes the provider objects of sessions canceled by [`cancel_waiting`], after commit.
pub(crate) async fn close_at_provider(state: &AppState, canceled: Option<PaymentSessionRecord>) {
    let Some(s) = canceled else { return };
    let Some(reference) = s.provider_ref.as_deref() else {
        return;
    };
    let project = state.project();
    if let Some(account) = project
        .payment_accounts
        .by_id(s.account_id)
        .filter(|a| a.def.kind == AccountKind::Stripe)
    {
        super::stripe::close(state, &account.def, reference).await;
    }
}

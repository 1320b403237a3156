//! What operators do with payments: every session, the alerts to look at, and completing or
//! canceling offline sessions.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::Actor;
use openentry_domain::payments::{Ladder, SessionStatus};
use openentry_domain::project::AccountKind;
use openentry_types::admin::Alert;
use openentry_types::paging::Paging;
use openentry_types::payments::{PaymentSession, PaymentSessionList};

use super::lifecycle::{self, Cause};
use super::{session_not_found, wire};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A page of all payment sessions, newest first; sessions past their time expire first, so
/// the list never shows a stale `waiting`.
pub(crate) async fn sessions(state: &AppState, page: Paging) -> ApiResult<PaymentSessionList> {
    super::lifecycle::expire_due(state, None).await?;
    let (rows, total) = openentry_store::payments::list_all(&state.db, page).await?;
    let project = state.project();
    Ok(PaymentSessionList {
        items: rows
            .iter()
            .map(|s| super::wire::session(&project, s))
            .collect::<ApiResult<_>>()?,
        total,
    })
}

/// Every session of one order, oldest first (expired ones first marked so).
pub(crate) async fn for_order(state: &AppState, order_id: i64) -> ApiResult<Vec<PaymentSession>> {
    super::lifecycle::expire_due(state, None).await?;
    let rows = openentry_store::payments::list_for_order(&state.db, order_id).await?;
    let project = state.project();
    rows.iter()
        .map(|s| super::wire::session(&project, s))
        .collect()
}

/// The newest alerts.
pub(crate) async fn alerts(state: &AppState, limit: i64) -> ApiResult<Vec<Alert>> {
    let rows = openentry_store::payments::list_alerts(&state.db, limit).await?;
    Ok(rows
        .into_iter()
        .map(|a| Alert {
            id: a.id,
            session_id: a.session_id,
            event_id: a.event_id,
            kind: a.kind.as_str().to_owned(),
            detail: a.detail,
            created_at: Timestamp(a.created_at).to_rfc3339(),
        })
        .collect())
}

/// An operator marks an offline session completed or canceled. A completion that would not
/// settle the order (it is paid or closed, or the order now costs more than the session) is
/// refused: the operator cancels the session and the customer opens a new one.
pub(crate) async fn operator_set(
    state: &AppState,
    id: i64,
    to: SessionStatus,
) -> ApiResult<PaymentSession> {
    let session = openentry_store::payments::get(&state.db, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    let project = state.project();
    if project
        .payment_accounts
        .by_id(session.account_id)
        .is_some_and(|a| a.def.kind != AccountKind::Custom)
    {
        return Err(ApiError::Conflict(format!(
            "Session {id} is paid through a provider; its webhooks decide its status"
        )));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let order = lifecycle::lock_order(&mut tx, session.order_id).await?;
    let session = openentry_store::payments::get(&mut tx, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    let may = session.status.may_become(to);
    if may
        && to == SessionStatus::Completed
        && let Err(why) = lifecycle::judge(&project, &mut tx, &order, &session).await?
    {
        return Err(ApiError::Conflict(format!(
            "Session {id} cannot complete: {} (order {}: {} minor units due, session {})",
            why.describe(),
            order.id,
            order.total_minor,
            session.amount_minor
        )));
    }
    let moved = may
        && lifecycle::transition_locked(
            state,
            &mut tx,
            &order,
            &session,
            to,
            Cause::by(Actor::Admin),
            now,
        )
        .await?;
    tx.commit().await?;
    if !moved {
        return Err(ApiError::Conflict(format!(
            "Session {id} is \"{}\" and cannot become \"{}\"",
            session.status,
            to.as_str()
        )));
    }
    let s = openentry_store::payments::get(&state.db, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    wire::session(&project, &s)
}

//! `createSession`, `getSessionById`, `getSessionByOrderId`, `getSessions` (the operator's
//! completion or cancellation of offline sessions is in `admin`).
//!
//! At most one session per order is `waiting` at a time (a partial unique index decides, also
//! between concurrent requests). Asking for a session while one is waiting answers the waiting
//! one: a retry or a second tab never opens a second payment.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::{DomainEvent, SessionCreated};
use openentry_domain::payments::{
    SessionAsk, SessionPlan, SessionStatus, SessionType, Unsettled, Waiting, plan_session,
};
use openentry_domain::project::{AccountKind, PaymentAccountDef};
use openentry_store::Tx;
use openentry_store::orders::OrderRecord;
use openentry_store::payments::{NewPaymentSession, PaymentSessionRecord};
use openentry_types::paging::Paging;
use openentry_types::payments::{CreateSessionRequest, PaymentSession, PaymentSessionList};
use serde_json::Value;

use super::lifecycle::{self, Cause};
use super::{session_not_found, stripe, wire};
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::idempotency::{self as idem, Claimed, Stored};
use crate::orders::order_not_found;
use crate::project::Project;
use crate::state::AppState;

/// Opens (or returns the waiting) payment session of the caller's order.
///
/// Everything is decided under the order's lock (see `lifecycle`): a paid or closed order
/// gets no session, whatever request or node raced to pay it, and the session's amount is the
/// order's total at that moment. A provider call happens after commit, in a task the request
/// does not own, so a client that goes away cannot strand a session without a payment page.
pub(crate) async fn create(
    state: &AppState,
    me: &CurrentUser,
    raw: Value,
    key: Option<String>,
) -> ApiResult<Stored> {
    let req: CreateSessionRequest = serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::BadRequest(format!("Invalid request body: {e}")))?;
    let kind: SessionType = req.kind.parse().map_err(|_| {
        ApiError::BadRequest(format!(
            "type must be \"session\" or \"intent\", not \"{}\"",
            req.kind
        ))
    })?;
    let order = openentry_store::orders::get_own(&state.db, me.user_id, req.order_id)
        .await?
        .ok_or_else(|| order_not_found(req.order_id))?;
    lifecycle::expire_due(state, Some(order.id)).await?;
    let project = state.project();
    let now = state.now();
    let scope = "POST /payments/sessions";
    let fingerprint = idem::fingerprint(scope, &raw);
    let tx = state.db.begin().await?;
    let mut tx = match idem::claim(tx, me.user_id, key.as_deref(), scope, &fingerprint, now).await?
    {
        Claimed::Fresh(tx) => tx,
        Claimed::Replay(answer) => return Ok(answer),
    };
    let (session, account) = open_locked(state, &mut tx, me.user_id, order.id, kind, now).await?;
    if !(account.kind == AccountKind::Stripe && session.provider_ref.is_none()) {
        let answer = Stored::created(&wire::session(&project, &session)?)?;
        idem::complete(&mut tx, me.user_id, key.as_deref(), &answer).await?;
        tx.commit().await?;
        return Ok(answer);
    }
    // A provider call must not hold the database: commit the waiting session first. The
    // call runs in a task of its own, which finishes (and answers the idempotency key) even
    // if this request is dropped; a later request finds the session and completes it too.
    tx.commit().await?;
    let job = super::provider_job::ProviderJob {
        state: state.clone(),
        account,
        session,
        user_id: me.user_id,
        key,
        automatic_tax: req.automatic_tax_enabled,
    };
    tokio::spawn(job.run())
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("the payment provider task failed: {e}")))?
}

/// Under the order's lock: reads the order, its account and its waiting session, lets the
/// domain decide ([`plan_session`]), and opens or reuses the session. Returns the session to
/// answer and its account.
async fn open_locked(
    state: &AppState,
    tx: &mut Tx,
    user_id: i64,
    order_id: i64,
    kind: SessionType,
    now: Timestamp,
) -> ApiResult<(PaymentSessionRecord, PaymentAccountDef)> {
    let project = state.project();
    let order = lifecycle::lock_order(tx, order_id).await?;
    let due = lifecycle::due(&project, tx, &order, None).await?;
    let account = project
        .payment_accounts
        .by_id(order.payment_account_id)
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("order {} has an unknown account", order.id))
        })?;
    let waiting = openentry_store::payments::get_waiting(&mut *tx, order.id).await?;
    let ask = SessionAsk {
        amount_minor: order.total_minor,
        currency: &order.currency,
        account_id: account.id,
        timeout_minutes: account.def.session_timeout_minutes,
    };
    let seen = waiting.as_ref().map(|w| Waiting {
        id: w.id,
        amount_minor: w.amount_minor,
        currency: &w.currency,
        account_id: w.account_id,
    });
    let plan = plan_session(&due, &ask, seen.as_ref(), now)
        .map_err(|why| not_payable(&project, &order, why))?;
    if account.def.kind == AccountKind::Stripe {
        // Refuse before anything is kept when the account cannot work.
        stripe::settings(state, &account.def)?;
    }
    let id = match (plan, waiting) {
        (SessionPlan::Reuse(id), _) => id,
        (SessionPlan::Open { expires_at, .. }, replaced) => {
            let new = NewPaymentSession {
                order_id: order.id,
                user_id,
                account_id: account.id,
                kind,
                amount_minor: order.total_minor,
                currency: &order.currency,
                expires_at,
            };
            open(state, tx, &order, replaced.as_ref(), &new, now).await?
        }
    };
    let session = openentry_store::payments::get(&mut *tx, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    Ok((session, account.def.clone()))
}

/// The refusal of a session for an order that is paid, closed, or was paid by an earlier
/// session.
fn not_payable(project: &Project, order: &OrderRecord, why: Unsettled) -> ApiError {
    let status = project
        .order_statuses
        .by_id(order.status_id)
        .map_or("", |s| s.def.status.identifier.as_str());
    ApiError::Conflict(format!(
        "Order {} (\"{status}\") cannot be paid (again): {}",
        order.id,
        why.describe()
    ))
}

/// Opens a waiting session, after canceling `replaced`, the waiting session that no longer
/// matches the order.
async fn open(
    state: &AppState,
    tx: &mut Tx,
    order: &OrderRecord,
    replaced: Option<&PaymentSessionRecord>,
    new: &NewPaymentSession<'_>,
    now: Timestamp,
) -> ApiResult<i64> {
    if let Some(w) = replaced {
        let to = SessionStatus::Canceled;
        lifecycle::transition_locked(state, tx, order, w, to, Cause::SYSTEM, now).await?;
    }
    let id = openentry_store::payments::insert_waiting(&mut *tx, new, now)
        .await?
        .ok_or_else(|| {
            ApiError::Conflict("The order's payment session changed meanwhile; retry".to_owned())
        })?;
    let created = SessionCreated {
        amount_minor: new.amount_minor,
        currency: new.currency.to_owned(),
        order_id: new.order_id,
        session_id: id,
    };
    openentry_store::outbox::add(&mut *tx, &DomainEvent::SessionCreated(created), now).await?;
    Ok(id)
}

/// Whether a session's stored expiry has passed while it still waits: it must be moved to
/// `expired` (with its order's status map) before it is shown.
fn overdue(s: &PaymentSessionRecord, now: i64) -> bool {
    s.status == SessionStatus::Waiting && s.expires_at <= now
}

/// The caller's session.
pub(crate) async fn get(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<PaymentSession> {
    let find = || async {
        openentry_store::payments::get_own(&state.db, me.user_id, id)
            .await?
            .ok_or_else(|| session_not_found(id))
    };
    let mut s = find().await?;
    if overdue(&s, state.now().0) {
        lifecycle::expire_due(state, Some(s.order_id)).await?;
        s = find().await?;
    }
    wire::session(&state.project(), &s)
}

/// The caller's sessions of one order (an array, as the platform answers). The common case
/// is one statement: the order's existence is checked only when it has no sessions, and
/// expiry runs only when a waiting session is overdue.
pub(crate) async fn for_order(
    state: &AppState,
    me: &CurrentUser,
    order_id: i64,
) -> ApiResult<Vec<PaymentSession>> {
    let mine = || openentry_store::payments::list_own_for_order(&state.db, me.user_id, order_id);
    let mut rows = mine().await?;
    if rows.is_empty() {
        openentry_store::orders::get_own(&state.db, me.user_id, order_id)
            .await?
            .ok_or_else(|| order_not_found(order_id))?;
    }
    let now = state.now().0;
    if rows.iter().any(|s| overdue(s, now)) {
        lifecycle::expire_due(state, Some(order_id)).await?;
        rows = mine().await?;
    }
    let project = state.project();
    rows.iter().map(|s| wire::session(&project, s)).collect()
}

/// A page of the caller's sessions.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentUser,
    page: Paging,
) -> ApiResult<PaymentSessionList> {
    let (rows, total) = openentry_store::payments::list_own(&state.db, me.user_id, page).await?;
    let project = state.project();
    Ok(PaymentSessionList {
        items: rows
            .iter()
            .map(|s| wire::session(&project, s))
            .collect::<ApiResult<_>>()?,
        total,
    })
}

//! `createSession`, `getSessionById`, `getSessionByOrderId`, `getSessions`, and the operator's
//! completion or cancellation of offline sessions.
//!
//! At most one session per order is `waiting` at a time (a partial unique index decides, also
//! between concurrent requests). Asking for a session while one is waiting answers the waiting
//! one: a retry or a second tab never opens a second payment.

use openentry_domain::payments::SessionStatus;
use openentry_store::idempotency;
use openentry_store::payments::{NewSession, SessionRecord};
use openentry_types::payments::{CreateSessionRequest, PaymentSession, PaymentSessionList};
use serde_json::{Value, json};

use super::{lifecycle, session_not_found, stripe, wire};
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::idempotency::{self as idem, Stored};
use crate::orders::order_not_found;
use crate::state::AppState;

/// Opens (or returns the waiting) payment session of the caller's order.
pub(crate) async fn create(
    state: &AppState,
    me: &CurrentUser,
    raw: Value,
    key: Option<String>,
) -> ApiResult<Stored> {
    let req: CreateSessionRequest = serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::BadRequest(format!("Invalid request body: {e}")))?;
    if req.kind != "session" && req.kind != "intent" {
        return Err(ApiError::BadRequest(format!(
            "type must be \"session\" or \"intent\", not \"{}\"",
            req.kind
        )));
    }
    let order = openentry_store::orders::find_own_any(&state.db, me.user_id, req.order_id)
        .await?
        .ok_or_else(|| order_not_found(req.order_id))?;
    lifecycle::expire_due(state, Some(order.id)).await?;
    let project = state.project();
    let status = project.order_status_by_id(order.status_id).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("order {} has an unknown status", order.id))
    })?;
    if status.def.1.paid || status.def.1.is_final {
        return Err(ApiError::Conflict(format!(
            "Order {} is \"{}\": it cannot be paid (again)",
            order.id, status.def.1.identifier
        )));
    }
    let account = project
        .payment_account_by_id(order.payment_account_id)
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("order {} has an unknown account", order.id))
        })?;
    let is_stripe = account.def.kind == "stripe";
    if is_stripe {
        // Refuse before anything is written when the account cannot work.
        stripe::settings(state, &account.def)?;
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let scope = "POST /payments/sessions";
    let fingerprint = idem::fingerprint(scope, &raw);
    if let Some(replay) = idem::claim(
        &mut tx,
        me.user_id,
        key.as_deref(),
        scope,
        &fingerprint,
        now,
    )
    .await?
    {
        return Ok(replay);
    }
    let new = NewSession {
        order_id: order.id,
        user_id: me.user_id,
        account_id: account.id,
        kind: &req.kind,
        amount_minor: order.total_minor,
        currency: &order.currency,
        expires_at: now.plus_secs(account.def.session_timeout_minutes * 60),
    };
    let (id, fresh) = match openentry_store::payments::insert_waiting(&mut tx, &new, now).await? {
        Some(id) => {
            let payload = json!({"sessionId": id, "orderId": order.id, "amountMinor": order.total_minor, "currency": order.currency});
            openentry_store::outbox::add(
                &mut tx,
                "payment.session.created",
                "payment_session",
                id,
                &payload.to_string(),
                now,
            )
            .await?;
            (id, true)
        }
        None => openentry_store::payments::waiting_for_order(&mut tx, order.id)
            .await?
            .map(|s| (s.id, false))
            .ok_or_else(|| {
                ApiError::Conflict(
                    "The order's payment session changed meanwhile; retry".to_owned(),
                )
            })?,
    };
    let session = openentry_store::payments::get(&mut tx, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    if !(is_stripe && fresh) {
        let answer = Stored::created(&wire::session(&project, &session))?;
        idem::complete(&mut tx, me.user_id, key.as_deref(), &answer).await?;
        tx.commit().await?;
        return Ok(answer);
    }
    // A provider call must not hold the database: commit the waiting session, then ask Stripe.
    tx.commit().await?;
    let timeout = account.def.session_timeout_minutes;
    let created = match stripe::open(
        state,
        &account.def,
        &session,
        timeout,
        req.automatic_tax_enabled,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => {
            let mut tx = state.db.begin().await?;
            lifecycle::transition(
                state,
                &mut tx,
                &session,
                SessionStatus::Canceled,
                "system",
                state.now(),
            )
            .await?;
            if let Some(k) = &key {
                idempotency::forget(&mut tx, me.user_id, k).await?;
            }
            tx.commit().await?;
            return Err(e);
        }
    };
    let (url, secret) = (created.url.as_deref(), created.client_secret.as_deref());
    openentry_store::payments::set_provider(
        &state.db,
        id,
        &created.reference,
        url,
        secret,
        state.now(),
    )
    .await?;
    let session = openentry_store::payments::find(&state.db, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    let answer = Stored::created(&wire::session(&project, &session))?;
    if let Some(k) = &key {
        idempotency::complete_now(
            &state.db,
            me.user_id,
            k,
            answer.status.as_u16(),
            &answer.body,
        )
        .await?;
    }
    Ok(answer)
}

/// Whether a session's stored expiry has passed while it still waits: it must be moved to
/// `expired` (with its order's status map) before it is shown.
fn overdue(s: &SessionRecord, now: i64) -> bool {
    s.status == "waiting" && s.expires_at <= now
}

/// The caller's session.
pub(crate) async fn get(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<PaymentSession> {
    let find = || async {
        openentry_store::payments::find_own(&state.db, me.user_id, id)
            .await?
            .ok_or_else(|| session_not_found(id))
    };
    let mut s = find().await?;
    if overdue(&s, state.now().0) {
        lifecycle::expire_due(state, Some(s.order_id)).await?;
        s = find().await?;
    }
    Ok(wire::session(&state.project(), &s))
}

/// The caller's sessions of one order (an array, as the platform answers). The common case
/// is one statement: the order's existence is checked only when it has no sessions, and
/// expiry runs only when a waiting session is overdue.
pub(crate) async fn for_order(
    state: &AppState,
    me: &CurrentUser,
    order_id: i64,
) -> ApiResult<Vec<PaymentSession>> {
    let mine = || openentry_store::payments::for_order_own(&state.db, me.user_id, order_id);
    let mut rows = mine().await?;
    if rows.is_empty() {
        openentry_store::orders::find_own_any(&state.db, me.user_id, order_id)
            .await?
            .ok_or_else(|| order_not_found(order_id))?;
    }
    let now = state.now().0;
    if rows.iter().any(|s| overdue(s, now)) {
        lifecycle::expire_due(state, Some(order_id)).await?;
        rows = mine().await?;
    }
    let project = state.project();
    Ok(rows.iter().map(|s| wire::session(&project, s)).collect())
}

/// A page of the caller's sessions.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentUser,
    offset: i64,
    limit: i64,
) -> ApiResult<PaymentSessionList> {
    let (rows, total) =
        openentry_store::payments::list_own(&state.db, me.user_id, limit, offset).await?;
    let project = state.project();
    Ok(PaymentSessionList {
        items: rows.iter().map(|s| wire::session(&project, s)).collect(),
        total,
    })
}

/// An operator marks an offline session completed or canceled.
pub(crate) async fn operator_set(
    state: &AppState,
    id: i64,
    to: SessionStatus,
) -> ApiResult<PaymentSession> {
    let session = openentry_store::payments::find(&state.db, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    let project = state.project();
    if project
        .payment_account_by_id(session.account_id)
        .is_some_and(|a| a.def.kind != "custom")
    {
        return Err(ApiError::Conflict(format!(
            "Session {id} is paid through a provider; its webhooks decide its status"
        )));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let moved = lifecycle::transition(state, &mut tx, &session, to, "admin", now).await?;
    tx.commit().await?;
    if !moved {
        return Err(ApiError::Conflict(format!(
            "Session {id} is \"{}\" and cannot become \"{}\"",
            session.status,
            to.as_str()
        )));
    }
    let s = openentry_store::payments::find(&state.db, id)
        .await?
        .ok_or_else(|| session_not_found(id))?;
    Ok(wire::session(&project, &s))
}

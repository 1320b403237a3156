//! `updateOrderByMarkerAndId` and the operator's status change.
//!
//! A customer may change products, form data and payment account only while the order is in
//! its storage's default status (before payment, before cancellation), and may change the
//! status only along the storage's customer transitions (by default: cancel from the default
//! status). The SDK resends the whole order on every update, so unchanged parts are recognised
//! and left alone (a cancel does not re-price the cart).
//!
//! A change of contents (products, form data, payment account) or a move to a final status
//! cancels the order's waiting payment session in the same transaction, under the order's
//! lock: a session is always for the order as it is (docs/decisions.md, "An order is never
//! paid for less than it costs").

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::events::Actor;
use openentry_domain::orders::{self, OrderState, Refusal, Repriced, UpdateRequest};
use openentry_domain::project::OrderStorageDef;
use openentry_store::Tx;
use openentry_store::orders::{LineRecord, OrderChange, OrderRecord};
use openentry_store::payments::PaymentSessionRecord;
use openentry_types::orders::{Order, OrderCreated, OrderRequest};
use serde_json::{Value, json};

use super::create::{linked_account, parse};
use super::repriced;
use super::{cart, order_not_found, storage, wire};
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::payments::lifecycle::{self, Cause, lock_order};
use crate::project::{Entity, Project};
use crate::state::AppState;

/// The customer's lines (gifts are the discounts' doing).
fn quantities(lines: &[LineRecord]) -> BTreeMap<i64, i64> {
    lines
        .iter()
        .filter(|l| !l.is_gift)
        .map(|l| (l.product_id, l.quantity))
        .collect()
}

/// Applies a customer's update: read, let the domain decide ([`orders::plan_update`]), apply
/// the plan in one transaction under the order's lock.
pub(crate) async fn update(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    id: i64,
    raw: Value,
) -> ApiResult<OrderCreated> {
    let body: OrderRequest = parse(&raw)?;
    let project = state.project();
    let s = storage(&project, marker)?;
    let order = openentry_store::orders::get_own_in(&state.db, me.user_id, s.id, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    let status = project
        .order_statuses
        .by_id(order.status_id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("order {id} has an unknown status")))?;
    let current = OrderState {
        status: &status.def.status,
        payment_account_id: order.payment_account_id,
        form_data: &order.form_data,
        lines: quantities(&lines),
    };
    let (mut request, priced) = resolve(&project, s, &order, &current, &body)?;
    let now = state.now();
    let discounted = match &priced {
        Some(p) => Some(repriced::discount(state, &project, me, id, &body, p, &order.lang).await?),
        None => None,
    };
    if let (Some(r), Some((d, _))) = (request.products.as_mut(), &discounted) {
        r.total_minor = d.outcome.total_due;
    }
    let plan = orders::plan_update(&current, &request, &s.def).map_err(|r| refused(id, &r))?;
    let target = match &plan.status {
        Some(to) => Some(
            project
                .order_statuses
                .by_marker(to)
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("status {to} has no row")))?,
        ),
        None => None,
    };
    let lines: Option<Vec<_>> = priced.as_ref().zip(discounted.as_ref()).map(|(p, (d, _))| {
        let mut l = d.paid_lines(p);
        l.extend(d.gift_lines.iter().cloned());
        l
    });
    let change = OrderChange {
        status_id: target.map_or(order.status_id, |t| t.id),
        payment_account_id: plan.payment_account_id,
        form_data: plan.form_data.as_ref().unwrap_or(&order.form_data),
        total_minor: plan
            .products
            .as_ref()
            .map_or(order.total_minor, |p| p.total_minor),
        lines: lines.as_deref(),
    };
    let actor = Actor::User(me.user_id);
    let cancel = plan.cancel_waiting.then(|| Cause::by(actor));
    let mut tx = state.db.begin().await?;
    let canceled = apply_locked(state, &mut tx, id, order.version, &change, cancel, now).await?;
    if let Some((d, config)) = &discounted {
        // A new cart is priced anew: its coupon is claimed again (or another one).
        openentry_store::discounts::release_coupons(&mut tx, id).await?;
        super::bonus::give_back(&mut tx, Some(me.user_id), id, now).await?;
        super::create::record_discounts(&mut tx, me.user_id, id, d, config, now).await?;
    }
    let (from, user) = (&status.def.status, Some(me.user_id));
    repriced::release_if_canceled(&mut tx, id, user, from, target, now).await?;
    for detail in plan.history {
        super::log_change(&mut tx, id, now, actor, detail).await?;
    }
    tx.commit().await?;
    lifecycle::close_at_provider(state, canceled).await;
    answer(state, id).await
}

/// Reads the request against the project: discounts refused, form data checked, the cart
/// priced only when it differs from the order's, the payment account resolved. Errors come
/// in this order, before any rule about the order's status.
fn resolve<'r>(
    project: &Project,
    s: &Entity<OrderStorageDef>,
    order: &OrderRecord,
    current: &OrderState<'_>,
    body: &'r OrderRequest,
) -> ApiResult<(UpdateRequest<'r>, Option<cart::Priced>)> {
    let items = cart::checkout_items(project, &s.def.form, body.form_data.as_ref(), &order.lang);
    let form_data = match items {
        Ok(items) if !items.is_empty() => Some(json!({ order.lang.clone(): items })),
        Err(e) if body.form_data.is_some() => return Err(e),
        Ok(_) | Err(_) => None,
    };
    let requested: Vec<(i64, i64)> = body
        .products
        .iter()
        .map(|p| (p.product_id, p.quantity))
        .collect();
    let priced = if current.asks_other_products(&requested) {
        Some(cart::price(project, &body.products, &order.lang)?)
    } else {
        None
    };
    let payment_account_id = match body
        .payment_account_identifier
        .as_deref()
        .filter(|a| !a.is_empty())
    {
        Some(a) => Some(linked_account(project, &s.def, Some(a))?),
        None => None,
    };
    let request = UpdateRequest {
        form_data,
        products: priced.as_ref().map(|c| Repriced {
            after: c
                .cart
                .lines
                .iter()
                .map(|l| (l.product_id, l.quantity))
                .collect(),
            total_minor: c.cart.total.minor,
        }),
        payment_account_id,
        status: body
            .status_identifier
            .as_deref()
            .or(body.status_marker.as_deref()),
    };
    Ok((request, priced))
}

/// The answer to a refused update, worded as the tests and clients know it.
fn refused(id: i64, r: &Refusal<'_>) -> ApiError {
    match r {
        Refusal::Frozen { status } => ApiError::Conflict(format!(
            "Order {id} is \"{status}\": its products, form data and payment account can no longer change"
        )),
        Refusal::NoSuchStatus { storage, to } => ApiError::BadRequest(format!(
            "Order storage \"{storage}\" has no status \"{to}\""
        )),
        Refusal::NotAllowed { from, to } => ApiError::Conflict(format!(
            "An order in status \"{from}\" cannot be moved to \"{to}\""
        )),
    }
}

/// Applies `change` under the order's lock if the order is still at `version`: a payment
/// completing at the same time either lands first (the version moved: the change is refused)
/// or finds its session canceled and the new order. With `cancel`, the waiting session is
/// canceled first (a session opened for the old order must not pay the new one); it is
/// returned, for [`lifecycle::close_at_provider`] after commit.
async fn apply_locked(
    state: &AppState,
    tx: &mut Tx,
    id: i64,
    version: i64,
    change: &OrderChange<'_>,
    cancel: Option<Cause<'_>>,
    now: Timestamp,
) -> ApiResult<Option<PaymentSessionRecord>> {
    let locked = lock_order(tx, id).await?;
    if locked.version != version {
        return Err(changed_meanwhile(id));
    }
    let canceled = match cancel {
        Some(cause) => lifecycle::cancel_waiting(state, tx, &locked, cause, now).await?,
        None => None,
    };
    // The canceled session's status map may have moved the order (and its version).
    let version = match canceled {
        Some(_) => lock_order(tx, id).await?.version,
        None => locked.version,
    };
    if !openentry_store::orders::update(&mut *tx, id, version, change, now).await? {
        return Err(changed_meanwhile(id));
    }
    Ok(canceled)
}

fn changed_meanwhile(id: i64) -> ApiError {
    ApiError::Conflict(format!(
        "Order {id} was changed by another request; reload it and retry"
    ))
}

async fn answer(state: &AppState, id: i64) -> ApiResult<OrderCreated> {
    let project = state.project();
    let order: OrderRecord = openentry_store::orders::get(&state.db, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    let q: Vec<(i64, i64)> = lines
        .iter()
        .filter(|l| !l.is_gift)
        .map(|l| (l.product_id, l.quantity))
        .collect();
    let config = openentry_store::discounts::of_order(&state.db, id)
        .await?
        .and_then(|r| serde_json::from_value(r.config).ok());
    wire::created(&project, &order, &q, config)
}

/// The operator moves an order to any status of its storage.
pub(crate) async fn set_status(state: &AppState, id: i64, to: &str) -> ApiResult<Order> {
    let project = state.project();
    let order = openentry_store::orders::get(&state.db, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let s = project
        .order_storages
        .by_id(order.storage_id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("order {id} has an unknown storage")))?;
    let from = project
        .order_statuses
        .by_id(order.status_id)
        .map(|st| st.def.status.identifier.as_str());
    let plan = orders::plan_status(&s.def, from, to).map_err(|r| refused(id, &r))?;
    let target = project
        .order_statuses
        .by_marker(&plan.to.identifier)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("status {to} has no row")))?;
    let now = state.now();
    let change = OrderChange {
        status_id: target.id,
        payment_account_id: order.payment_account_id,
        form_data: &order.form_data,
        total_minor: order.total_minor,
        lines: None,
    };
    let mut tx = state.db.begin().await?;
    let cancel = plan.cancel_waiting.then(|| Cause::by(Actor::Admin));
    let canceled = apply_locked(state, &mut tx, id, order.version, &change, cancel, now).await?;
    if let Some(from) = project.order_statuses.by_id(order.status_id) {
        let (from, user) = (&from.def.status, order.user_id);
        repriced::release_if_canceled(&mut tx, id, user, from, Some(target), now).await?;
        if target.def.status.paid && !from.paid {
            super::bonus::accrue(state, &mut tx, &order, now).await?;
        }
    }
    super::log_change(&mut tx, id, now, Actor::Admin, plan.history).await?;
    tx.commit().await?;
    lifecycle::close_at_provider(state, canceled).await;
    let order = openentry_store::orders::get(&state.db, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    wire::stored(&project, order, &lines)
}

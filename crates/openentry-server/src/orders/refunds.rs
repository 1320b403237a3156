//! Customers' refund requests: `GET|POST|DELETE /api/content/orders/{id}/refund`.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::events::{Actor, OrderChange, RefundCanceled, RefundRequested};
use openentry_domain::money::Money;
use openentry_domain::refunds::{self, Asked, Bought, Earlier, MAX_NOTE_CHARS, Refusal};
use openentry_store::StoreError;
use openentry_store::orders::OrderRecord;
use openentry_store::refunds::NewRefund;
use openentry_types::orders::{RefundRequest, RefundRequestBody};

use super::order_not_found;
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::money::number;
use crate::state::AppState;
use crate::validate;

fn open_request(id: i64) -> ApiError {
    ApiError::Conflict(format!(
        "Order {id} already has an open refund request; cancel it first"
    ))
}

async fn own(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<OrderRecord> {
    openentry_store::orders::get_own(&state.db, me.user_id, id)
        .await?
        .ok_or_else(|| order_not_found(id))
}

/// Asks for a refund of some of an order's units.
pub(crate) async fn create(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
    body: RefundRequestBody,
) -> ApiResult<bool> {
    let order = own(state, me, id).await?;
    let project = state.project();
    let storage = project
        .order_storages
        .by_id(order.storage_id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("order {id} has an unknown storage")))?;
    let status = project
        .order_statuses
        .by_id(order.status_id)
        .map(|s| s.def.status.identifier.clone())
        .unwrap_or_default();
    let note = body.note.clone().unwrap_or_default();
    let asked = asked(&body);
    refunds::admissible(storage.def.refundable(&status), &note, &asked)
        .map_err(|why| refused(id, &status, &why))?;
    let amount = decide(state, &order, &status, &asked).await?;
    let products =
        serde_json::to_string(&body.products).map_err(|e| ApiError::Internal(e.into()))?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let new = NewRefund {
        order_id: id,
        user_id: me.user_id,
        amount_minor: amount,
        note: &note,
        products: &products,
    };
    let refund_id = openentry_store::refunds::insert(&mut tx, &new, now)
        .await
        .map_err(|e| match e {
            // Another request opened one since the decision: the partial unique index says so.
            StoreError::Conflict(_) => open_request(id),
            other => other.into(),
        })?;
    let detail = OrderChange::RefundRequested(RefundRequested {
        amount_minor: amount,
        products: body.products,
        refund_id,
    });
    super::log_change(&mut tx, id, now, Actor::User(me.user_id), detail).await?;
    tx.commit().await?;
    Ok(true)
}

/// The products of a request, as the domain reads them.
fn asked(body: &RefundRequestBody) -> Vec<Asked<'_>> {
    body.products
        .iter()
        .map(|(key, q)| Asked {
            key,
            product_id: validate::canonical_id(key),
            quantity: q.quantity,
        })
        .collect()
}

/// Reads the order's lines and earlier requests, and lets the domain decide the amount.
async fn decide(
    state: &AppState,
    order: &OrderRecord,
    status: &str,
    asked: &[Asked<'_>],
) -> ApiResult<i64> {
    let id = order.id;
    let lines: Vec<Bought> = openentry_store::orders::list_lines(&state.db, id)
        .await?
        .iter()
        .map(|l| Bought {
            product_id: l.product_id,
            quantity: l.quantity,
            price_minor: l.price_minor,
        })
        .collect();
    let earlier: Vec<Earlier> = openentry_store::refunds::list_for_order(&state.db, id)
        .await?
        .into_iter()
        .map(|r| {
            let units = r
                .products
                .iter()
                .filter_map(|(pid, q)| Some((validate::canonical_id(pid)?, q.quantity)))
                .fold(BTreeMap::new(), |mut m, (p, q)| {
                    *m.entry(p).or_insert(0) += q;
                    m
                });
            Earlier {
                status: r.status,
                amount_minor: r.amount_minor,
                units,
            }
        })
        .collect();
    refunds::decide(order.total_minor, &lines, &earlier, asked)
        .map_err(|why| refused(order.id, status, &why))
}

/// The answer to a refused request, worded as clients know it.
fn refused(id: i64, status: &str, why: &Refusal<'_>) -> ApiError {
    match why {
        Refusal::NotRefundable => ApiError::Conflict(format!(
            "Order {id} is \"{status}\": refunds can be requested for paid orders only"
        )),
        Refusal::NoteTooLong => ApiError::BadRequest(format!(
            "The note may have at most {MAX_NOTE_CHARS} characters"
        )),
        Refusal::NoProducts => ApiError::BadRequest(
            "Name the products to refund: {\"products\": {\"15\": {\"quantity\": 1}}}".to_owned(),
        ),
        Refusal::Open => open_request(id),
        Refusal::NotInOrder(pid) => {
            ApiError::BadRequest(format!("Product {pid} is not in order {id}"))
        }
        Refusal::Units { key, asked, left } => ApiError::BadRequest(format!(
            "Product {key}: {asked} units asked, {left} can still be refunded"
        )),
        Refusal::Overflow => ApiError::Unprocessable("The refund amount is too large".to_owned()),
        Refusal::AboveLeft { amount, left } => ApiError::BadRequest(format!(
            "A refund of {amount} minor units is more than the {left} left of order {id}"
        )),
    }
}

/// The refund requests of an order.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
) -> ApiResult<Vec<RefundRequest>> {
    let order = own(state, me, id).await?;
    of_order(state, &order).await
}

/// The refund requests of any order (operators).
pub(crate) async fn list_any(state: &AppState, id: i64) -> ApiResult<Vec<RefundRequest>> {
    let order = openentry_store::orders::get(&state.db, id)
        .await?
        .ok_or_else(|| super::order_not_found(id))?;
    of_order(state, &order).await
}

async fn of_order(state: &AppState, order: &OrderRecord) -> ApiResult<Vec<RefundRequest>> {
    let currency = crate::money::stored(0, &order.currency)?.currency;
    let rows = openentry_store::refunds::list_for_order(&state.db, order.id).await?;
    rows.into_iter()
        .map(|r| {
            Ok(RefundRequest {
                id: r.id,
                created_date: Timestamp(r.created_at).to_rfc3339(),
                status: r.status.as_str().to_owned(),
                amount: number(Money::new(r.amount_minor, currency))?,
                note: r.note,
                products: r.products,
                order_id: r.order_id,
                order_storage_id: order.storage_id,
                user_id: r.user_id,
            })
        })
        .collect()
}

/// Withdraws the open refund request of an order.
pub(crate) async fn cancel(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<bool> {
    own(state, me, id).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let refund_id = openentry_store::refunds::cancel_pending(&mut tx, id, now)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Order {id} has no open refund request")))?;
    let detail = OrderChange::RefundCanceled(RefundCanceled { refund_id });
    super::log_change(&mut tx, id, now, Actor::User(me.user_id), detail).await?;
    tx.commit().await?;
    Ok(true)
}

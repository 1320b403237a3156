//! Customers' refund requests: `GET|POST|DELETE /api/content/orders/{id}/refund`.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::money;
use openentry_store::StoreError;
use openentry_store::orders::OrderRecord;
use openentry_store::refunds::NewRefund;
use openentry_types::orders::{RefundRequest, RefundRequestBody};
use serde_json::json;

use super::cart::number;
use super::{customer, order_not_found};
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::state::AppState;
use crate::validate;

const MAX_NOTE_CHARS: usize = 2000;

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
        .order_storage_by_id(order.storage_id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("order {id} has an unknown storage")))?;
    let status = project
        .order_status_by_id(order.status_id)
        .map(|s| s.def.1.identifier.clone())
        .unwrap_or_default();
    if !storage.def.refundable(&status) {
        return Err(ApiError::Conflict(format!(
            "Order {id} is \"{status}\": refunds can be requested for paid orders only"
        )));
    }
    let note = body.note.unwrap_or_default();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::BadRequest(format!(
            "The note may have at most {MAX_NOTE_CHARS} characters"
        )));
    }
    if body.products.is_empty() {
        return Err(ApiError::BadRequest(
            "Name the products to refund: {\"products\": {\"15\": {\"quantity\": 1}}}".to_owned(),
        ));
    }
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    let earlier = openentry_store::refunds::list_for_order(&state.db, id).await?;
    if earlier.iter().any(|r| r.status == "pending") {
        return Err(open_request(id));
    }
    let mut already: BTreeMap<i64, i64> = BTreeMap::new();
    for r in earlier
        .iter()
        .filter(|r| r.status == "pending" || r.status == "approved")
    {
        for (pid, q) in &r.products {
            if let Some(pid) = validate::canonical_id(pid) {
                *already.entry(pid).or_insert(0) += q.quantity;
            }
        }
    }
    let mut amount: i64 = 0;
    for (pid, q) in &body.products {
        let line = validate::canonical_id(pid)
            .and_then(|p| lines.iter().find(|l| l.product_id == p))
            .ok_or_else(|| ApiError::BadRequest(format!("Product {pid} is not in order {id}")))?;
        let left = line.quantity - already.get(&line.product_id).copied().unwrap_or(0);
        if q.quantity < 1 || q.quantity > left {
            return Err(ApiError::BadRequest(format!(
                "Product {pid}: {} units asked, {left} can still be refunded",
                q.quantity
            )));
        }
        amount = line
            .price_minor
            .checked_mul(q.quantity)
            .and_then(|v| amount.checked_add(v))
            .ok_or_else(|| ApiError::Unprocessable("The refund amount is too large".to_owned()))?;
    }
    let refunded: i64 = earlier
        .iter()
        .filter(|r| r.status == "approved")
        .map(|r| r.amount_minor)
        .sum();
    if amount > order.total_minor - refunded {
        return Err(ApiError::BadRequest(format!(
            "A refund of {amount} minor units is more than the {} left of order {id}",
            order.total_minor - refunded
        )));
    }
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
            StoreError::Conflict(_) => ApiError::Conflict(format!(
                "Order {id} already has an open refund request; cancel it first"
            )),
            other => other.into(),
        })?;
    let detail = json!({"refundId": refund_id, "amountMinor": amount, "products": body.products})
        .to_string();
    super::log_change(
        &mut tx,
        id,
        now,
        &customer(me.user_id),
        "refund_requested",
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The refund requests of an order.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
) -> ApiResult<Vec<RefundRequest>> {
    let order = own(state, me, id).await?;
    let exp = money::exponent(&order.currency).map_err(|e| ApiError::Internal(e.into()))?;
    let rows = openentry_store::refunds::list_for_order(&state.db, id).await?;
    Ok(rows
        .into_iter()
        .map(|r| RefundRequest {
            id: r.id,
            created_date: Timestamp(r.created_at).to_rfc3339(),
            status: r.status,
            amount: number(r.amount_minor, exp),
            note: r.note,
            products: r.products,
            order_id: r.order_id,
            order_storage_id: order.storage_id,
            user_id: r.user_id,
        })
        .collect())
}

/// Withdraws the open refund request of an order.
pub(crate) async fn cancel(state: &AppState, me: &CurrentUser, id: i64) -> ApiResult<bool> {
    own(state, me, id).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let refund_id = openentry_store::refunds::cancel_pending(&mut tx, id, now)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Order {id} has no open refund request")))?;
    let detail = json!({"refundId": refund_id}).to_string();
    super::log_change(
        &mut tx,
        id,
        now,
        &customer(me.user_id),
        "refund_canceled",
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

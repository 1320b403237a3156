//! The operator's decision on a refund request: `PUT /api/admin/orders/{id}/refund
//! {"status": "approved" | "rejected"}`. An approval counts the request's amount as refunded
//! (the money itself moves at the provider, outside OpenEntry) and settles the order's bonus
//! points for the refunded share ([`super::refund_bonus`]), in the same transaction.

use std::collections::BTreeMap;

use openentry_domain::events::{Actor, OrderChange, RefundDecided};
use openentry_domain::refunds::RefundStatus;
use openentry_types::admin_data::AdminRefunds;
use openentry_types::orders::RefundRequest;
use openentry_types::paging::Paging;

use super::order_not_found;
use super::refund_bonus::{self, Share};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::validate;

/// Decides the pending request of order `id`.
pub(crate) async fn decide(
    state: &AppState,
    id: i64,
    status: RefundStatus,
) -> ApiResult<RefundRequest> {
    if !matches!(status, RefundStatus::Approved | RefundStatus::Rejected) {
        return Err(ApiError::BadRequest(
            "status is \"approved\" or \"rejected\"".to_owned(),
        ));
    }
    let order = openentry_store::orders::get(&state.db, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let r = openentry_store::refunds::decide_pending(&mut tx, id, status, now)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Order {id} has no open refund request")))?;
    if status == RefundStatus::Approved {
        // Every approved request so far, this one included (same transaction).
        let approved: Vec<_> = openentry_store::refunds::list_for_order(&mut tx, id)
            .await?
            .into_iter()
            .filter(|x| x.status == RefundStatus::Approved)
            .collect();
        let price: BTreeMap<i64, i64> = lines
            .iter()
            .filter(|l| !l.is_gift)
            .map(|l| (l.product_id, l.price_minor))
            .collect();
        let refunded = approved
            .iter()
            .flat_map(|x| x.products.iter())
            .filter_map(|(pid, q)| {
                let p = price.get(&validate::canonical_id(pid)?)?;
                p.checked_mul(q.quantity)
            })
            .fold(0_i64, i64::saturating_add);
        let whole = lines
            .iter()
            .filter(|l| !l.is_gift)
            .map(|l| l.price_minor.saturating_mul(l.quantity))
            .fold(0_i64, i64::saturating_add);
        let share = Share { refunded, whole };
        refund_bonus::on_refund(&mut tx, order.user_id, id, r.id, share, now).await?;
    }
    let detail = OrderChange::RefundDecided(RefundDecided {
        amount_minor: r.amount_minor,
        refund_id: r.id,
        status,
    });
    super::log_change(&mut tx, id, now, Actor::Admin, detail).await?;
    tx.commit().await?;
    let currency = crate::money::stored(0, &order.currency)?.currency;
    Ok(RefundRequest {
        id: r.id,
        created_date: openentry_domain::clock::Timestamp(r.created_at).to_rfc3339(),
        status: r.status.as_str().to_owned(),
        amount: crate::money::number(openentry_domain::money::Money::new(
            r.amount_minor,
            currency,
        ))?,
        note: r.note,
        products: r.products,
        order_id: r.order_id,
        order_storage_id: order.storage_id,
        user_id: r.user_id,
    })
}

/// A page of every order's refund requests, newest first, in `status` (any when `None`).
pub(crate) async fn list(
    state: &AppState,
    status: Option<&str>,
    page: Paging,
) -> ApiResult<AdminRefunds> {
    let status = status
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<RefundStatus>().map_err(|_| {
                ApiError::BadRequest(format!("status must be one of {}", RefundStatus::names()))
            })
        })
        .transpose()?;
    let (rows, total) = openentry_store::refunds::list_all(&state.db, status, page).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let currency = crate::money::stored(0, &r.currency)?.currency;
            Ok(RefundRequest {
                id: r.id,
                created_date: openentry_domain::clock::Timestamp(r.created_at).to_rfc3339(),
                status: r.status.as_str().to_owned(),
                amount: crate::money::number(openentry_domain::money::Money::new(
                    r.amount_minor,
                    currency,
                ))?,
                note: r.note,
                products: r.products,
                order_id: r.order_id,
                order_storage_id: r.storage_id,
                user_id: r.user_id,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(AdminRefunds { items, total })
}

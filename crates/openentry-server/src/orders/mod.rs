//! Orders: storages and statuses, createOrder with server-side totals, reading, updating,
//! previewing, refund requests, and the operator's status changes.

pub(crate) mod admin;
pub(crate) mod bonus;
pub(crate) mod cart;
pub(crate) mod config;
pub(crate) mod coupon_list;
pub(crate) mod coupons;
pub(crate) mod create;
pub(crate) mod discounts;
pub(crate) mod preview;
pub(crate) mod read;
pub(crate) mod refund_admin;
pub(crate) mod refund_bonus;
pub(crate) mod refunds;
pub(crate) mod repriced;
pub(crate) mod update;
pub(crate) mod wire;

use openentry_domain::events::{Actor, DomainEvent, OrderChange, OrderEvent};
use openentry_domain::project::OrderStorageDef;

use crate::error::{ApiError, ApiResult};
use crate::project::{Entity, Project};

/// The storage with this marker, which must exist.
pub(crate) fn storage<'p>(
    project: &'p Project,
    marker: &str,
) -> ApiResult<&'p Entity<OrderStorageDef>> {
    project
        .order_storages
        .by_marker(marker)
        .ok_or_else(|| ApiError::NotFound(format!("Order storage \"{marker}\" does not exist")))
}

/// The one answer for a missing order and another user's order.
pub(crate) fn order_not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("Order {id} does not exist"))
}

/// Records a change of an order: a history row and an outbox event (`order.<kind>`), both in
/// the transaction of the change itself.
pub(crate) async fn log_change(
    tx: &mut openentry_store::Tx,
    order_id: i64,
    now: openentry_domain::clock::Timestamp,
    actor: Actor,
    detail: OrderChange,
) -> ApiResult<()> {
    let event = OrderEvent {
        order_id,
        actor,
        detail,
    };
    openentry_store::orders::add_history(&mut *tx, &event, now).await?;
    openentry_store::outbox::add(&mut *tx, &DomainEvent::Order(event), now).await?;
    Ok(())
}

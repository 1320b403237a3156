//! Operator alerts about payments: the money moved, but not as the order expected.

use openentry_domain::clock::Timestamp;
use openentry_domain::events::{AlertDetail, Amount, Owed, UnsettledDetail};
use openentry_domain::payments::{AlertKind, Unsettled};
use openentry_store::Tx;
use openentry_store::orders::OrderRecord;
use openentry_store::payments::{NewAlert, PaymentSessionRecord};

use super::lifecycle::Cause;
use crate::error::{ApiError, ApiResult};

/// Records why a completed payment did not settle its order, for an operator to refund or
/// reconcile.
pub(super) async fn unsettled(
    tx: &mut Tx,
    session: &PaymentSessionRecord,
    order: &OrderRecord,
    status: Option<&str>,
    why: Unsettled,
    cause: Cause<'_>,
    now: Timestamp,
) -> ApiResult<()> {
    let detail = AlertDetail::Unsettled(UnsettledDetail {
        actor: cause.actor,
        order: Owed {
            currency: order.currency.clone(),
            total_minor: order.total_minor,
        },
        order_id: order.id,
        order_status: status.map(str::to_owned),
        paid: Amount {
            amount_minor: session.amount_minor,
            currency: session.currency.clone(),
        },
    });
    tracing::warn!(
        order = order.id,
        session = session.id,
        kind = why.alert_kind().as_str(),
        "a completed payment did not settle its order; raised an operator alert"
    );
    add_alert(
        tx,
        session.id,
        cause.event_id,
        why.alert_kind(),
        &detail,
        now,
    )
    .await
}

/// Stores an alert about `session_id` in the caller's transaction.
pub(crate) async fn add_alert(
    tx: &mut Tx,
    session_id: i64,
    event_id: Option<&str>,
    kind: AlertKind,
    detail: &AlertDetail,
    now: Timestamp,
) -> ApiResult<()> {
    let detail = detail
        .to_json()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("an alert detail does not encode: {e}")))?;
    let alert = NewAlert {
        session_id: Some(session_id),
        event_id,
        kind,
        detail,
    };
    openentry_store::payments::add_alert(&mut *tx, &alert, now).await?;
    Ok(())
}

//! Bonus points on orders: spending at createOrder, giving back on cancellation, and points ↔
//! money (1 point = 1 unit of the order's currency; the ledger keeps hundredths of a point).

use openentry_domain::clock::Timestamp;
use openentry_domain::money::Currency;
use openentry_store::Tx;
use openentry_store::bonus::{self, NewEntry};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Hundredths of a point as a wire number (`1050` → `10.5`).
pub(crate) fn points(hundredths: i64) -> serde_json::Value {
    openentry_domain::money::format_short(hundredths, 2)
        .parse::<serde_json::Number>()
        .map_or(serde_json::Value::Null, serde_json::Value::Number)
}

fn scale(exp: u32) -> i128 {
    10_i128.pow(exp)
}

/// Hundredths of a point as minor units of `currency` (rounded down: never more than held).
pub(crate) fn to_minor(hundredths: i64, currency: Currency) -> i64 {
    let v = i128::from(hundredths.max(0)) * scale(currency.exponent()) / 100;
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Minor units of `currency` as hundredths of a point (rounded up: never less than spent).
pub(crate) fn to_points(minor: i64, currency: Currency) -> i64 {
    let s = scale(currency.exponent());
    let v = (i128::from(minor) * 100 + s - 1) / s;
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Spends `minor` of the user's points on an order, in its transaction, under the user's lock:
/// of concurrent orders spending one balance, those the balance no longer covers are refused,
/// so the ledger's sum never goes below zero.
pub(crate) async fn spend(
    tx: &mut Tx,
    user_id: i64,
    order_id: i64,
    minor: i64,
    currency: Currency,
    now: Timestamp,
) -> ApiResult<()> {
    if minor <= 0 {
        return Ok(());
    }
    bonus::lock_user(&mut *tx, user_id).await?;
    expire_locked(tx, user_id, now).await?;
    let points = to_points(minor, currency);
    if bonus::balance(&mut *tx, user_id).await? < points {
        return Err(ApiError::Conflict(
            "The bonus balance changed meanwhile; preview the order again".to_owned(),
        ));
    }
    let entry = NewEntry {
        user_id,
        amount: -points,
        kind: "USAGE",
        discount: "",
        order_id: Some(order_id),
        comment: None,
        by_admin: false,
        expires_at: None,
        refund_id: 0,
    };
    bonus::add(&mut *tx, &entry, now).await?;
    Ok(())
}

/// Gives an order's spent points back (once: a second call writes nothing).
pub(crate) async fn give_back(
    tx: &mut Tx,
    user_id: Option<i64>,
    order_id: i64,
    now: Timestamp,
) -> ApiResult<()> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let used = bonus::used_by_order(&mut *tx, order_id).await?;
    if used > 0 {
        let entry = NewEntry {
            user_id,
            amount: used,
            kind: "REVERSAL_USAGE",
            discount: "",
            order_id: Some(order_id),
            comment: None,
            by_admin: false,
            expires_at: None,
            refund_id: 0,
        };
        bonus::add(&mut *tx, &entry, now).await?;
    }
    Ok(())
}

/// Accrues the BONUS discounts of an order that has just been paid (their trigger,
/// `ORDER_PAID`), once per discount: the rules as they read when the order was priced, on what
/// was paid in money (the order's total, after bonuses).
pub(crate) async fn accrue(
    state: &AppState,
    tx: &mut Tx,
    order: &openentry_store::orders::OrderRecord,
    now: Timestamp,
) -> ApiResult<()> {
    let Some(user_id) = order.user_id else {
        return Ok(());
    };
    let project = state.project();
    let def = &project.def;
    if !def
        .discounts
        .iter()
        .any(|d| d.kind == openentry_domain::project::DiscountKind::Bonus)
    {
        return Ok(());
    }
    let currency = Currency::parse(&order.currency).map_err(|e| ApiError::Internal(e.into()))?;
    let (rules, settings) = openentry_domain::discounts::resolve(def, currency.exponent())
        .map_err(|e| ApiError::Internal(e.into()))?;
    let lines: Vec<_> = openentry_store::orders::list_lines(&mut *tx, order.id)
        .await?
        .iter()
        .filter(|l| !l.is_gift)
        .map(|l| super::discounts::line(def, l.product_id, l.quantity, l.price_minor))
        .collect();
    let code = openentry_store::discounts::of_order(&mut *tx, order.id)
        .await?
        .and_then(|r| r.coupon_code);
    let coupon = match code {
        Some(c) => super::discounts::lookup(&state.db, def, &c).await?,
        None => None,
    };
    let buyer = super::discounts::buyer(state, &project, Some(user_id), currency).await?;
    let input = openentry_domain::discounts::Input {
        lines: &lines,
        rules: &rules,
        settings,
        buyer: &buyer,
        now: Timestamp(order.created_at),
        coupon_rule: coupon.map(|c| c.discount_id),
        bonus_requested: 0,
    };
    for (id, minor) in openentry_domain::discounts::accruals_for(&input, order.total_minor) {
        let Some(rule) = rules.iter().find(|r| r.id == id) else {
            continue;
        };
        let s = scale(currency.exponent());
        let points = i64::try_from(i128::from(minor) * 100 / s).unwrap_or(0);
        if points <= 0 {
            continue;
        }
        let entry = NewEntry {
            user_id,
            amount: points,
            kind: "ACCRUAL",
            discount: &rule.identifier,
            order_id: Some(order.id),
            comment: None,
            by_admin: false,
            expires_at: def
                .bonus_settings
                .expiry_days
                .map(|d| now.plus_secs(i64::from(d) * 86_400).0),
            refund_id: 0,
        };
        bonus::add(&mut *tx, &entry, now).await?;
    }
    Ok(())
}

/// Takes back what a paid order accrued when it is canceled, never more than the balance
/// holds (points already spent stay spent).
pub(crate) async fn reverse_accruals(
    tx: &mut Tx,
    user_id: Option<i64>,
    order_id: i64,
    now: Timestamp,
) -> ApiResult<()> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    bonus::lock_user(&mut *tx, user_id).await?;
    for (discount, accrued) in bonus::accrued_by_order(&mut *tx, order_id).await? {
        let take = accrued.min(bonus::balance(&mut *tx, user_id).await?);
        if take <= 0 {
            continue;
        }
        let entry = NewEntry {
            user_id,
            amount: -take,
            kind: "REVERSAL_ACCRUAL",
            discount: &discount,
            order_id: Some(order_id),
            comment: None,
            by_admin: false,
            expires_at: None,
            refund_id: 0,
        };
        bonus::add(&mut *tx, &entry, now).await?;
    }
    Ok(())
}

/// Writes off a locked user's expired, unspent points (`EXPIRATION`, never below zero).
async fn expire_locked(tx: &mut Tx, user_id: i64, now: Timestamp) -> ApiResult<()> {
    let due = bonus::expired_unspent(&mut *tx, user_id, now).await?;
    let take = due.min(bonus::balance(&mut *tx, user_id).await?);
    if take > 0 {
        let entry = NewEntry {
            user_id,
            amount: -take,
            kind: "EXPIRATION",
            discount: "",
            order_id: None,
            comment: None,
            by_admin: false,
            expires_at: None,
            refund_id: 0,
        };
        bonus::add(&mut *tx, &entry, now).await?;
    }
    Ok(())
}

/// The user's balance in hundredths of a point after writing off what expired by the
/// injected clock (a write only when something expired). Reads on `conn`, which is let go
/// before the write-off's transaction takes a connection of its own.
pub(crate) async fn balance(
    state: &AppState,
    mut conn: openentry_store::Conn<'_>,
    user_id: i64,
) -> ApiResult<i64> {
    let now = state.now();
    if bonus::expired_unspent(&mut conn, user_id, now).await? > 0 {
        drop(conn);
        let mut tx = state.db.begin().await?;
        bonus::lock_user(&mut tx, user_id).await?;
        expire_locked(&mut tx, user_id, now).await?;
        let left = bonus::balance(&mut tx, user_id).await?;
        tx.commit().await?;
        return Ok(left);
    }
    Ok(bonus::balance(&mut conn, user_id).await?)
}

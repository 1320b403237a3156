//! An operator's adjustment of a user's bonus balance (`POST
//! /api/admin/discounts/bonus-balance/adjust` and the console's user page): points added
//! (`ACCRUAL`) or taken (`REDUCE`, never below a zero balance), exact hundredths, never floats.

use openentry_domain::operators::Resource;
use openentry_store::bonus::{self, NewEntry};
use serde_json::{Value, json};

use crate::audit::Change;
use crate::error::{ApiError, ApiResult};
use crate::orders::bonus::points;
use crate::state::AppState;

/// A signed decimal with at most two decimals (`"-2.5"`, `"10"`) as non-zero hundredths of a
/// point; anything else (more decimals, exponents, zero) is `None`.
pub(crate) fn parse_delta(text: &str) -> Option<i64> {
    let text = text.trim();
    let (neg, digits) = text.strip_prefix('-').map_or((false, text), |d| (true, d));
    let v = openentry_domain::money::parse(digits, 2).ok()?;
    Some(if neg { -v } else { v }).filter(|d| *d != 0)
}

/// The refusal of a delta [`parse_delta`] could not read.
pub(crate) fn bad_delta() -> ApiError {
    ApiError::BadRequest(
        "delta is a non-zero number of points with at most two decimals".to_owned(),
    )
}

/// Adds `delta` hundredths to the user's ledger with `reason`; returns the audit entry of the
/// change (the balance before and after).
pub(crate) async fn adjust(
    state: &AppState,
    user_id: i64,
    delta: i64,
    reason: Option<&str>,
) -> ApiResult<Change> {
    let mut tx = state.db.begin().await?;
    if !bonus::lock_user(&mut tx, user_id).await? {
        return Err(ApiError::NotFound(format!("User {user_id} does not exist")));
    }
    let before = bonus::balance(&mut tx, user_id).await?;
    if before.saturating_add(delta) < 0 {
        return Err(ApiError::Conflict(format!(
            "The balance is {}: it cannot go below zero",
            points(before)
        )));
    }
    let entry = NewEntry {
        user_id,
        amount: delta,
        kind: if delta > 0 { "ACCRUAL" } else { "REDUCE" },
        discount: "",
        order_id: None,
        comment: reason,
        by_admin: true,
        expires_at: None,
        refund_id: 0,
    };
    bonus::add(&mut tx, &entry, state.now()).await?;
    tx.commit().await?;
    Ok(Change {
        action: "adjust",
        resource: Resource::Discounts,
        target: format!("bonus/users/{user_id}"),
        before: Some(balance(before)),
        after: Some(balance(before + delta)),
    })
}

/// The balance as the API answers it and the audit records it.
pub(crate) fn balance(hundredths: i64) -> Value {
    json!({ "balance": points(hundredths) })
}

//! Amounts on the wire, shared by orders and payments.

use openentry_domain::money::Money;
use serde_json::Number;

use crate::error::{ApiError, ApiResult};

/// An exact amount as a JSON number (`40000, USD` → `400`). The digits come from integer
/// formatting; serde_json only parses them, so a failure is a bug, never a silent zero.
pub(crate) fn number(m: Money) -> ApiResult<Number> {
    m.wire()
        .parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("amount {} {}: {e}", m.minor, m.currency)))
}

/// A stored amount: minor units and the currency code stored beside them.
pub(crate) fn stored(minor: i64, currency: &str) -> ApiResult<Money> {
    Money::stored(minor, currency).map_err(|e| ApiError::Internal(e.into()))
}

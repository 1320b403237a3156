//! `getAccounts` and `getAccountById`: visible accounts only.

use openentry_types::payments::PaymentAccount;

use super::wire;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Every visible account.
pub(crate) fn list(state: &AppState) -> Vec<PaymentAccount> {
    let project = state.project();
    project
        .payment_accounts
        .iter()
        .filter(|a| a.def.visible)
        .filter_map(|a| wire::account(&project, a.id))
        .collect()
}

/// One visible account.
pub(crate) fn get(state: &AppState, id: i64) -> ApiResult<PaymentAccount> {
    let project = state.project();
    project
        .payment_accounts
        .by_id(id)
        .filter(|a| a.def.visible)
        .and_then(|a| wire::account(&project, a.id))
        .ok_or_else(|| ApiError::NotFound(format!("Payment account {id} does not exist")))
}

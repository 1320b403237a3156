//! Reading orders, storages and statuses.

use openentry_types::orders::{Order, OrderList, OrderStatus, OrderStorage};
use openentry_types::paging::Paging;

use super::{order_not_found, storage, wire};
use crate::error::ApiResult;
use crate::extract::CurrentUser;
use crate::state::AppState;

/// The caller's order.
pub(crate) async fn get(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    id: i64,
) -> ApiResult<Order> {
    let project = state.project();
    let s = storage(&project, marker)?;
    let order = openentry_store::orders::get_own_in(&state.db, me.user_id, s.id, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    wire::stored(&project, order, &lines)
}

/// A page of the caller's orders, newest first.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    page: Paging,
) -> ApiResult<OrderList> {
    let project = state.project();
    let s = storage(&project, marker)?;
    let (orders, lines, total) =
        openentry_store::orders::list_own(&state.db, me.user_id, s.id, page).await?;
    let items = orders
        .into_iter()
        .map(|o| wire::stored(&project, o, &lines))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(OrderList { items, total })
}

/// Every storage.
pub(crate) fn storages(state: &AppState) -> Vec<OrderStorage> {
    let project = state.project();
    project
        .order_storages
        .iter()
        .map(|s| wire::storage(&project, s))
        .collect()
}

/// One storage.
pub(crate) fn storage_by_marker(state: &AppState, marker: &str) -> ApiResult<OrderStorage> {
    let project = state.project();
    Ok(wire::storage(&project, storage(&project, marker)?))
}

/// The statuses of a storage, in their order.
pub(crate) async fn statuses(state: &AppState, marker: &str) -> ApiResult<Vec<OrderStatus>> {
    let project = state.project();
    let s = storage(&project, marker)?;
    let mut out = Vec::new();
    for st in project
        .order_statuses
        .iter()
        .filter(|st| st.def.storage == s.def.identifier)
    {
        let used = openentry_store::orders::status_in_use(&state.db, st.id).await?;
        out.push(wire::status(&project, st, used));
    }
    out.sort_by_key(|s| s.position);
    Ok(out)
}

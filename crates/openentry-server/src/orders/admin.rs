//! What operators read of orders: every order with its owner, and an order's history.

use openentry_domain::clock::Timestamp;
use openentry_types::admin::{AdminOrder, AdminOrders, HistoryEntry};
use openentry_types::paging::Paging;

use super::{order_not_found, wire};
use crate::error::ApiResult;
use crate::state::AppState;

/// A page of all orders, newest first, with their owners. The lines of the whole page come
/// in one statement: the page is the id range between its last and first order.
pub(crate) async fn list_all(state: &AppState, page: Paging) -> ApiResult<AdminOrders> {
    let (rows, total) = openentry_store::orders::list_all(&state.db, page).await?;
    let lines = match (rows.last(), rows.first()) {
        (Some(lowest), Some(highest)) => {
            openentry_store::orders::list_lines_between(&state.db, lowest.id, highest.id).await?
        }
        _ => Vec::new(),
    };
    let project = state.project();
    let items = rows
        .into_iter()
        .map(|o| {
            Ok(AdminOrder {
                user_id: o.user_id,
                order: wire::stored(&project, o, &lines)?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(AdminOrders { items, total })
}

/// An order's history, oldest first.
pub(crate) async fn history(state: &AppState, id: i64) -> ApiResult<Vec<HistoryEntry>> {
    if openentry_store::orders::get(&state.db, id).await?.is_none() {
        return Err(order_not_found(id));
    }
    let rows = openentry_store::orders::list_history(&state.db, id).await?;
    Ok(rows
        .into_iter()
        .map(|h| HistoryEntry {
            at: Timestamp(h.at).to_rfc3339(),
            actor: h.actor.to_string(),
            kind: h.kind.as_str().to_owned(),
            detail: h.detail,
        })
        .collect())
}

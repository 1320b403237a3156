//! What operators read of orders: every order with its owner, and an order's history.

use openentry_domain::clock::Timestamp;
use openentry_types::admin::{AdminOrder, AdminOrders, HistoryEntry};
use openentry_types::paging::Paging;

use super::{order_not_found, wire};
use crate::error::ApiResult;
use crate::state::AppState;

/// Which orders to list, by marker (`None`: all).
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// Storage marker.
    pub(crate) storage: Option<String>,
    /// Status marker.
    pub(crate) status: Option<String>,
}

/// A page of the orders `filter` names, newest first, with their owners. The lines of the
/// whole page come in one statement: the page is the id range between its last and first
/// order. An unknown marker lists nothing rather than everything.
pub(crate) async fn list_all(
    state: &AppState,
    filter: &Filter,
    page: Paging,
) -> ApiResult<AdminOrders> {
    let project = state.project();
    let storage_id = filter
        .storage
        .as_deref()
        .map(|m| project.order_storages.by_marker(m).map_or(-1, |e| e.id));
    let status_id = filter
        .status
        .as_deref()
        .map(|m| project.order_statuses.by_marker(m).map_or(-1, |e| e.id));
    let store_filter = openentry_store::orders::OrderFilter {
        storage_id,
        status_id,
    };
    let (rows, total) = openentry_store::orders::list_all(&state.db, store_filter, page).await?;
    let lines = match (rows.last(), rows.first()) {
        (Some(lowest), Some(highest)) => {
            openentry_store::orders::list_lines_between(&state.db, lowest.id, highest.id).await?
        }
        _ => Vec::new(),
    };
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

/// One order with its owner.
pub(crate) async fn get(state: &AppState, id: i64) -> ApiResult<AdminOrder> {
    let o = openentry_store::orders::get(&state.db, id)
        .await?
        .ok_or_else(|| order_not_found(id))?;
    let lines = openentry_store::orders::list_lines(&state.db, id).await?;
    Ok(AdminOrder {
        user_id: o.user_id,
        order: wire::stored(&state.project(), o, &lines)?,
    })
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

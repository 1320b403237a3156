//! The operator's view of a collection's rows (`/api/admin/collections`): every row, with who
//! wrote it, which the Content API never shows.

use openentry_domain::clock::Timestamp;
use openentry_domain::collections::Scope;
use openentry_domain::form_data::Viewer;
use openentry_types::collections::{AdminCollectionRow, AdminCollectionRows};

use super::by_marker;
use super::read::{ListQuery, page};
use crate::error::ApiResult;
use crate::state::AppState;

/// Every row of a collection, filtered and paged as on the Content API.
pub(crate) async fn list(
    state: &AppState,
    marker: &str,
    query: &ListQuery,
) -> ApiResult<AdminCollectionRows> {
    let project = state.project();
    let c = by_marker(&project, marker)?;
    let (found, total, _) = page(state, &project, c, Scope::All, query).await?;
    Ok(AdminCollectionRows {
        items: found
            .into_iter()
            .map(|r| AdminCollectionRow {
                id: r.id,
                user_id: r.user_id,
                user_identifier: r.user_identifier,
                by_operator: r.by_operator,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                form_data: r.form_data,
                created_date: Timestamp(r.created_at).to_rfc3339(),
                updated_date: Timestamp(r.updated_at).to_rfc3339(),
            })
            .collect(),
        total,
    })
}

/// Deletes any row of a collection.
pub(crate) async fn delete(state: &AppState, marker: &str, id: i64) -> ApiResult<bool> {
    super::delete(state, Viewer::Operator, marker, id).await
}

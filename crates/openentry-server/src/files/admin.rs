//! What operators do with uploads under `/api/admin/files`: the list with owners, sizes and
//! types, and deletion by id through the owner's deletion (row and quota first, then the
//! media object).

use openentry_domain::clock::Timestamp;
use openentry_store::files::UploadRecord;
use openentry_types::admin_data::{AdminFile, AdminFiles};
use openentry_types::paging::Paging;

use super::not_found;
use crate::error::ApiResult;
use crate::state::AppState;

fn shown(r: UploadRecord) -> AdminFile {
    AdminFile {
        id: r.id,
        owner: r.owner,
        user_id: r.user_id,
        filename: r.object_key,
        name: r.name,
        size: r.size,
        content_type: r.content_type,
        created_at: Timestamp(r.created_at).to_rfc3339(),
    }
}

/// A page of every upload, newest first.
pub(crate) async fn list(state: &AppState, page: Paging) -> ApiResult<AdminFiles> {
    let (rows, total) = openentry_store::files::list_all(&state.db, page).await?;
    Ok(AdminFiles {
        items: rows.into_iter().map(shown).collect(),
        total,
    })
}

/// Deletes an upload as its owner's deletion would; returns it as it was.
pub(crate) async fn delete(state: &AppState, id: i64) -> ApiResult<AdminFile> {
    let file = openentry_store::files::get(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let mut tx = state.db.begin().await?;
    let gone = openentry_store::files::delete_own(&mut tx, &file.owner, &file.object_key)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    super::remove_objects(state, std::slice::from_ref(&gone.object_key)).await;
    Ok(shown(gone))
}

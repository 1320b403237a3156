//! What operators read and delete of submissions (`/api/admin/form-data`): every form's
//! submissions in one list, filtered by form and status, and deletion by id.

use openentry_types::form_data::SubmissionStatus;
use openentry_types::paging::Paging;

use super::SubmissionRecord;
use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// The filter of both list statements (`$1` form id, `$2` status, NULL for any).
macro_rules! admin_where {
    () => {
        " WHERE ($1 IS NULL OR f.form_id = $1) AND ($2 IS NULL OR f.status = $2)"
    };
}

/// A page of every submission, newest first, of one form or all, in one status or any, and
/// how many match in all.
pub async fn list_all(
    mut e: impl Exec,
    form_id: Option<i64>,
    status: Option<SubmissionStatus>,
    page: Paging,
) -> Result<(Vec<SubmissionRecord>, i64), StoreError> {
    let status = status.map(|s| s.as_str().to_owned());
    let mut c = e.executor();
    let rows = c
        .all(
            q(concat!(
                "SELECT ",
                from_submissions!(),
                admin_where!(),
                " ORDER BY f.id DESC LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT)"
            ))
            .bind(form_id)
            .bind(status.clone())
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(
            q(concat!(
                "SELECT COUNT(*) AS n FROM form_data f",
                admin_where!()
            ))
            .bind(form_id)
            .bind(status),
        )
        .await?;
    Ok((rows, total.n))
}

/// Deletes a submission and the replies under it (they cascade); `false` when there is none
/// with this id.
pub async fn delete(mut e: impl Exec, id: i64) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(q("DELETE FROM form_data WHERE id = $1").bind(id))
        .await?;
    Ok(n > 0)
}

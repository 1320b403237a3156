//! Form submissions (the FormData module). Reads a customer triggers go through
//! [`list_visible`] with the caller's [`Visibility`], and changes through [`update_own`] and
//! [`delete_own`], which filter by owner: another user's submission is indistinguishable from a
//! missing one. The entries a definition holds (`[[forms.seed]]`) are written by the import
//! (`seeds::import_seeds`), keyed by `seed_key`.

use openentry_domain::clock::Timestamp;
use openentry_domain::form_data::Visibility;
use openentry_types::form_data::{FormDataItem, SubmissionStatus};
use openentry_types::paging::Paging;

use crate::db::{Count, Id, q};
use crate::json::JsonText;
use crate::{Exec, StoreError};

mod seeds;

pub(crate) use seeds::import_seeds;

/// A submission to store.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    /// The form's stored id.
    pub form_id: i64,
    /// `formModuleConfigId` (0 for none).
    pub module_config_id: i64,
    /// The entity it is about (`""` for none).
    pub entity_identifier: &'a str,
    /// The submission it answers.
    pub parent_id: Option<i64>,
    /// Replies above it.
    pub depth: i64,
    /// The signed-in sender.
    pub user_id: Option<i64>,
    /// Sent by an operator.
    pub by_operator: bool,
    /// The anonymous sender's device fingerprint.
    pub fingerprint: Option<&'a str>,
    /// Moderation status.
    pub status: SubmissionStatus,
    /// Language of the items.
    pub lang: &'a str,
    /// The checked items.
    pub form_data: &'a [FormDataItem],
}

/// A stored submission.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
pub struct SubmissionRecord {
    /// Id.
    pub id: i64,
    /// The form's stored id.
    pub form_id: i64,
    /// `formModuleConfigId`.
    pub module_config_id: i64,
    /// The entity it is about.
    pub entity_identifier: String,
    /// The submission it answers.
    pub parent_id: Option<i64>,
    /// Replies above it.
    pub depth: i64,
    /// The signed-in sender.
    pub user_id: Option<i64>,
    /// The sender's login (from the users table).
    pub user_identifier: Option<String>,
    /// Sent by an operator.
    pub by_operator: bool,
    /// The anonymous sender's device fingerprint.
    pub fingerprint: Option<String>,
    /// Moderation status.
    #[sqlx(try_from = "String")]
    pub status: SubmissionStatus,
    /// Language of the items.
    pub lang: String,
    /// The checked items.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub form_data: Vec<FormDataItem>,
    /// The key of a definition's entry; `None` for what senders sent.
    pub seed_key: Option<String>,
    /// Submitted.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// The columns of [`SubmissionRecord`] and the join they come from, for `concat!`.
macro_rules! from_submissions {
    () => {
        "f.id, f.form_id, f.module_config_id, f.entity_identifier, f.parent_id, f.depth, \
         f.user_id, u.identifier AS user_identifier, f.by_operator, f.fingerprint, f.status, \
         f.lang, f.form_data, f.seed_key, f.created_at, f.updated_at \
         FROM form_data f LEFT JOIN users u ON u.id = f.user_id"
    };
}

/// The filters of [`list_visible`] and [`count_visible`], with what the caller may see.
#[derive(Debug, Clone, Copy)]
pub struct SubmissionQuery<'a> {
    /// The form's stored id.
    pub form_id: i64,
    /// Only this `formModuleConfigId`.
    pub module_config_id: Option<i64>,
    /// Only about this entity.
    pub entity_identifier: Option<&'a str>,
    /// Only sent by the user with this login key (`login::normalize` of the login).
    pub user_login: Option<&'a str>,
    /// Only in these statuses (`None`: any).
    pub statuses: Option<&'a [SubmissionStatus]>,
    /// Submitted at or after.
    pub from: Option<Timestamp>,
    /// Submitted before.
    pub before: Option<Timestamp>,
    /// What the caller may see.
    pub visibility: Visibility,
}

/// The `WHERE` of both list statements: the filters, then the visibility.
macro_rules! visible_where {
    () => {
        " WHERE f.form_id = $1
           AND ($2 IS NULL OR f.module_config_id = $2)
           AND ($3 IS NULL OR f.entity_identifier = $3)
           AND ($4 IS NULL OR u.login_key = $4)
           AND ($5 OR (f.status = 'new' AND $6) OR (f.status = 'approved' AND $7)
                OR (f.status = 'rejected' AND $8))
           AND ($9 IS NULL OR f.created_at >= $9)
           AND ($10 IS NULL OR f.created_at < $10)
           AND ($11 OR (f.status = 'approved' AND $12) OR f.user_id = $13)"
    };
}

fn bind_query(sql: &'static str, f: &SubmissionQuery<'_>) -> crate::db::Q {
    let wants = |s: SubmissionStatus| f.statuses.is_some_and(|l| l.contains(&s));
    q(sql)
        .bind(f.form_id)
        .bind(f.module_config_id)
        .bind(f.entity_identifier.map(str::to_owned))
        .bind(f.user_login.map(str::to_owned))
        .bind(f.statuses.is_none())
        .bind(wants(SubmissionStatus::New))
        .bind(wants(SubmissionStatus::Approved))
        .bind(wants(SubmissionStatus::Rejected))
        .bind(f.from.map(|t| t.0))
        .bind(f.before.map(|t| t.0))
        .bind(f.visibility.all)
        .bind(f.visibility.approved)
        .bind(f.visibility.own)
}

/// Stores a submission; returns its id.
pub async fn insert(
    mut e: impl Exec,
    s: &NewSubmission<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let items = serde_json::to_string(s.form_data).map_err(|e| StoreError::Encode(Box::new(e)))?;
    let row: Id = e
        .executor()
        .one(
            q(
                "INSERT INTO form_data (form_id, module_config_id, entity_identifier, parent_id,
                 depth, user_id, by_operator, fingerprint, status, lang, form_data, created_at,
                 updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
            )
            .bind(s.form_id)
            .bind(s.module_config_id)
            .bind(s.entity_identifier)
            .bind(s.parent_id)
            .bind(s.depth)
            .bind(s.user_id)
            .bind(s.by_operator)
            .bind(s.fingerprint.map(str::to_owned))
            .bind(s.status.as_str())
            .bind(s.lang)
            .bind(items)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// Any submission (the server decides who may see it).
pub async fn get(mut e: impl Exec, id: i64) -> Result<Option<SubmissionRecord>, StoreError> {
    e.executor()
        .opt(q(concat!("SELECT ", from_submissions!(), " WHERE f.id = $1")).bind(id))
        .await
}

/// The caller's own submission.
pub async fn get_own(
    mut e: impl Exec,
    user_id: i64,
    id: i64,
) -> Result<Option<SubmissionRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                from_submissions!(),
                " WHERE f.id = $1 AND f.user_id = $2"
            ))
            .bind(id)
            .bind(user_id),
        )
        .await
}

/// A page of the submissions that match and that the caller may see, newest first.
pub async fn list_visible(
    mut e: impl Exec,
    f: &SubmissionQuery<'_>,
    page: Paging,
) -> Result<Vec<SubmissionRecord>, StoreError> {
    let sql = concat!(
        "SELECT ",
        from_submissions!(),
        visible_where!(),
        " ORDER BY f.id DESC LIMIT CAST($14 AS BIGINT) OFFSET CAST($15 AS BIGINT)"
    );
    e.executor().all(bind_query(sql, f).page(page)).await
}

/// How many submissions match and the caller may see.
pub async fn count_visible(mut e: impl Exec, f: &SubmissionQuery<'_>) -> Result<i64, StoreError> {
    let sql = concat!(
        "SELECT COUNT(*) AS n FROM form_data f LEFT JOIN users u ON u.id = f.user_id",
        visible_where!()
    );
    let row: Count = e.executor().one(bind_query(sql, f)).await?;
    Ok(row.n)
}

/// Replaces the items of the caller's own submission and sets its status; `false` when the
/// caller has no submission with this id.
pub async fn update_own(
    mut e: impl Exec,
    user_id: i64,
    id: i64,
    form_data: &[FormDataItem],
    status: SubmissionStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let items = serde_json::to_string(form_data).map_err(|e| StoreError::Encode(Box::new(e)))?;
    let n = e
        .executor()
        .exec(
            q(
                "UPDATE form_data SET form_data = $3, status = $4, updated_at = $5
               WHERE id = $1 AND user_id = $2",
            )
            .bind(id)
            .bind(user_id)
            .bind(items)
            .bind(status.as_str())
            .bind(now.0),
        )
        .await?;
    Ok(n > 0)
}

/// Sets a submission's status (operators); `false` when there is none with this id.
pub async fn set_status(
    mut e: impl Exec,
    id: i64,
    status: SubmissionStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE form_data SET status = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(status.as_str())
                .bind(now.0),
        )
        .await?;
    Ok(n > 0)
}

/// Deletes the caller's own submission and the replies under it; `false` when the caller has
/// no submission with this id.
pub async fn delete_own(mut e: impl Exec, user_id: i64, id: i64) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("DELETE FROM form_data WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id),
        )
        .await?;
    Ok(n > 0)
}

// After the macros above, which it uses.
mod admin;

pub use admin::{delete, list_all};

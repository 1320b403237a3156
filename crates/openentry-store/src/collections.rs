//! Rows of integration collections. Reads go through [`list_visible`] and [`get`] with the
//! caller's [`Scope`], changes through [`update`] and [`delete`], which filter by owner the same
//! way: a row outside the caller's scope is indistinguishable from a missing one.
//!
//! A row's values are kept per language (`collection_row_values`); a read asks for one language
//! and gets it, else the project's default language, else the first one stored.

use openentry_domain::clock::Timestamp;
use openentry_domain::collections::Scope;
use openentry_types::form_data::FormDataItem;
use openentry_types::paging::Paging;

use crate::db::{Count, Id, Q, q};
use crate::json::JsonText;
use crate::{Db, Exec, StoreError};

/// A row to store.
#[derive(Debug, Clone)]
pub struct NewRow<'a> {
    /// The collection's stored id.
    pub collection_id: i64,
    /// The signed-in writer.
    pub user_id: Option<i64>,
    /// Written by an operator.
    pub by_operator: bool,
    /// What the row is about (`products`).
    pub entity_type: Option<&'a str>,
    /// Which one.
    pub entity_id: Option<i64>,
    /// The checked values by language (at least one language).
    pub values: &'a [(&'a str, Vec<FormDataItem>)],
}

/// A stored row with its values in one language.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
pub struct RowRecord {
    /// Id.
    pub id: i64,
    /// The collection's stored id.
    pub collection_id: i64,
    /// The signed-in writer.
    pub user_id: Option<i64>,
    /// The writer's login (from the users table; only operators see it).
    pub user_identifier: Option<String>,
    /// Written by an operator.
    pub by_operator: bool,
    /// What the row is about.
    pub entity_type: Option<String>,
    /// Which one.
    pub entity_id: Option<i64>,
    /// The values in the language asked for (or the fallback).
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub form_data: Vec<FormDataItem>,
    /// Written.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// The rows of a list: the collection, the filters, and what the caller may see.
#[derive(Debug, Clone, Copy)]
pub struct RowQuery<'a> {
    /// The collection's stored id.
    pub collection_id: i64,
    /// Only about this kind of entity.
    pub entity_type: Option<&'a str>,
    /// Only about this entity.
    pub entity_id: Option<i64>,
    /// What the caller may see.
    pub scope: Scope,
}

/// The languages to read values in: the one asked for, then the fallback.
#[derive(Debug, Clone, Copy)]
pub struct Langs<'a> {
    /// Asked for.
    pub lang: &'a str,
    /// The project's default.
    pub default: &'a str,
}

/// The columns of [`RowRecord`] with the values in language `$a`, else `$b`, else the first
/// stored language.
macro_rules! from_rows {
    ($a:literal, $b:literal) => {
        concat!(
            "r.id, r.collection_id, r.user_id, u.identifier AS user_identifier, r.by_operator, \
             r.entity_type, r.entity_id, r.created_at, r.updated_at, \
             COALESCE(v.form_data, d.form_data, (SELECT o.form_data FROM collection_row_values o \
               WHERE o.row_id = r.id ORDER BY o.lang LIMIT 1)) AS form_data \
             FROM collection_rows r LEFT JOIN users u ON u.id = r.user_id \
             LEFT JOIN collection_row_values v ON v.row_id = r.id AND v.lang = ",
            $a,
            " LEFT JOIN collection_row_values d ON d.row_id = r.id AND d.lang = ",
            $b
        )
    };
}

/// `(all, own)` to bind for a scope: every row, or the rows of one user (none when `None`).
fn scope_args(scope: Scope) -> (bool, Option<i64>) {
    match scope {
        Scope::All => (true, None),
        Scope::Own(id) => (false, Some(id)),
        Scope::Nothing => (false, None),
    }
}

/// `WHERE` of both lists: `$1`..`$5` (see [`bind_query`]).
macro_rules! visible_where {
    () => {
        " WHERE r.collection_id = $1
           AND ($2 IS NULL OR r.entity_type = $2)
           AND ($3 IS NULL OR r.entity_id = $3)
           AND ($4 OR r.user_id = $5)"
    };
}

fn bind_query(sql: &'static str, f: &RowQuery<'_>) -> Q {
    let (all, own) = scope_args(f.scope);
    q(sql)
        .bind(f.collection_id)
        .bind(f.entity_type.map(str::to_owned))
        .bind(f.entity_id)
        .bind(all)
        .bind(own)
}

fn encode(items: &[FormDataItem]) -> Result<String, StoreError> {
    serde_json::to_string(items).map_err(|e| StoreError::Encode(Box::new(e)))
}

/// Writes a row's values in one language, replacing what that language held.
async fn put_values(
    t: &mut crate::Executor<'_>,
    row_id: i64,
    lang: &str,
    items: &[FormDataItem],
) -> Result<(), StoreError> {
    t.exec(
        q(
            "INSERT INTO collection_row_values (row_id, lang, form_data) VALUES ($1, $2, $3)
           ON CONFLICT (row_id, lang) DO UPDATE SET form_data = excluded.form_data",
        )
        .bind(row_id)
        .bind(lang)
        .bind(encode(items)?),
    )
    .await?;
    Ok(())
}

/// Stores a row with its values in one transaction; returns its id.
pub async fn insert(db: &Db, row: &NewRow<'_>, now: Timestamp) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let t = &mut tx.executor();
    let id: Id = t
        .one(
            q(
                "INSERT INTO collection_rows (collection_id, user_id, by_operator, entity_type,
                 entity_id, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            )
            .bind(row.collection_id)
            .bind(row.user_id)
            .bind(row.by_operator)
            .bind(row.entity_type.map(str::to_owned))
            .bind(row.entity_id)
            .bind(now.0),
        )
        .await?;
    for (lang, items) in row.values {
        put_values(t, id.id, lang, items).await?;
    }
    tx.commit().await?;
    Ok(id.id)
}

/// A row of a collection in the caller's scope.
pub async fn get(
    mut e: impl Exec,
    collection_id: i64,
    id: i64,
    scope: Scope,
    langs: Langs<'_>,
) -> Result<Option<RowRecord>, StoreError> {
    let (all, own) = scope_args(scope);
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                from_rows!("$5", "$6"),
                " WHERE r.collection_id = $1 AND r.id = $2 AND ($3 OR r.user_id = $4)"
            ))
            .bind(collection_id)
            .bind(id)
            .bind(all)
            .bind(own)
            .bind(langs.lang)
            .bind(langs.default),
        )
        .await
}

/// A page of the rows that match and that the caller may see, oldest first (a collection is
/// a table: rows keep their place as others are added).
pub async fn list_visible(
    mut e: impl Exec,
    f: &RowQuery<'_>,
    langs: Langs<'_>,
    page: Paging,
) -> Result<Vec<RowRecord>, StoreError> {
    let sql = concat!(
        "SELECT ",
        from_rows!("$6", "$7"),
        visible_where!(),
        " ORDER BY r.id LIMIT CAST($8 AS BIGINT) OFFSET CAST($9 AS BIGINT)"
    );
    let query = bind_query(sql, f).bind(langs.lang).bind(langs.default);
    e.executor().all(query.page(page)).await
}

/// How many rows match and the caller may see.
pub async fn count_visible(mut e: impl Exec, f: &RowQuery<'_>) -> Result<i64, StoreError> {
    let sql = concat!(
        "SELECT COUNT(*) AS n FROM collection_rows r",
        visible_where!()
    );
    let row: Count = e.executor().one(bind_query(sql, f)).await?;
    Ok(row.n)
}

/// Replaces a row's values in the languages given (the other languages stay); `false` when
/// the row (`(collection id, row id)`) is not in the caller's scope.
pub async fn update(
    db: &Db,
    (collection_id, id): (i64, i64),
    scope: Scope,
    values: &[(&str, Vec<FormDataItem>)],
    now: Timestamp,
) -> Result<bool, StoreError> {
    let (all, own) = scope_args(scope);
    let mut tx = db.begin().await?;
    let t = &mut tx.executor();
    let n = t
        .exec(
            q("UPDATE collection_rows SET updated_at = $3
               WHERE collection_id = $1 AND id = $2 AND ($4 OR user_id = $5)")
            .bind(collection_id)
            .bind(id)
            .bind(now.0)
            .bind(all)
            .bind(own),
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    for (lang, items) in values {
        put_values(t, id, lang, items).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Deletes a row with its values; `false` when the row is not in the caller's scope.
pub async fn delete(
    mut e: impl Exec,
    collection_id: i64,
    id: i64,
    scope: Scope,
) -> Result<bool, StoreError> {
    let (all, own) = scope_args(scope);
    let n = e
        .executor()
        .exec(
            q("DELETE FROM collection_rows
               WHERE collection_id = $1 AND id = $2 AND ($3 OR user_id = $4)")
            .bind(collection_id)
            .bind(id)
            .bind(all)
            .bind(own),
        )
        .await?;
    Ok(n > 0)
}

//! Orders, their price-snapshot lines and their history. Every read that a customer triggers
//! filters by owner, so another user's order is indistinguishable from a missing one.

mod history;
mod lines;

use openentry_domain::clock::Timestamp;
use openentry_types::paging::Paging;
use serde_json::Value;

use crate::db::{Count, Id, q};
use crate::json::JsonText;
use crate::{Exec, StoreError};

pub use history::{HistoryRecord, add_history, list_history};
use lines::insert_lines;
pub use lines::{
    LineRecord, NewLine, OrderedWith, list_lines, list_lines_between, list_ordered_with,
};

/// An order to store.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    /// Storage id.
    pub storage_id: i64,
    /// Owner.
    pub user_id: i64,
    /// Status id.
    pub status_id: i64,
    /// Payment account id.
    pub payment_account_id: i64,
    /// Checkout form.
    pub form_identifier: &'a str,
    /// Form data (`{"<lang>": [items]}`).
    pub form_data: &'a Value,
    /// Language of the form data.
    pub lang: &'a str,
    /// ISO 4217 code.
    pub currency: &'a str,
    /// Total, minor units.
    pub total_minor: i64,
    /// Lines.
    pub lines: &'a [NewLine],
}

/// A stored order.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct OrderRecord {
    /// Id.
    pub id: i64,
    /// Storage id.
    pub storage_id: i64,
    /// Owner (`None` once the user was deleted).
    pub user_id: Option<i64>,
    /// Status id.
    pub status_id: i64,
    /// Payment account id.
    pub payment_account_id: i64,
    /// Checkout form.
    pub form_identifier: String,
    /// Form data (`{"<lang>": [items]}`).
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub form_data: Value,
    /// Language of the form data.
    pub lang: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Total, minor units.
    pub total_minor: i64,
    /// Bumped on every change (optimistic concurrency).
    pub version: i64,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// The columns of [`OrderRecord`], for `concat!` into static statements.
macro_rules! order_columns {
    () => {
        "id, storage_id, user_id, status_id, payment_account_id, form_identifier, form_data, \
         lang, currency, total_minor, version, created_at, updated_at"
    };
}

/// Stores an order and its lines (pass a transaction: two statements); returns its id.
pub async fn insert(mut e: impl Exec, o: &NewOrder<'_>, now: Timestamp) -> Result<i64, StoreError> {
    let mut e = e.executor();
    let row: Id = e.one(
            q("INSERT INTO orders (storage_id, user_id, status_id, payment_account_id, form_identifier,
                 form_data, lang, currency, total_minor, version, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id")
            .bind(o.storage_id)
            .bind(o.user_id)
            .bind(o.status_id)
            .bind(o.payment_account_id)
            .bind(o.form_identifier)
            .bind(o.form_data.to_string())
            .bind(o.lang)
            .bind(o.currency)
            .bind(o.total_minor)
            .bind(now.0),
        )
        .await?;
    insert_lines(&mut e, row.id, o.lines).await?;
    Ok(row.id)
}

/// The caller's order in a storage.
pub async fn get_own_in(
    mut e: impl Exec,
    user_id: i64,
    storage_id: i64,
    id: i64,
) -> Result<Option<OrderRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders WHERE id = $1 AND user_id = $2 AND storage_id = $3"
            ))
            .bind(id)
            .bind(user_id)
            .bind(storage_id),
        )
        .await
}

/// The caller's order in any storage (refund routes name no storage).
pub async fn get_own(
    mut e: impl Exec,
    user_id: i64,
    id: i64,
) -> Result<Option<OrderRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders WHERE id = $1 AND user_id = $2"
            ))
            .bind(id)
            .bind(user_id),
        )
        .await
}

/// Any order (operator routes).
pub async fn get(mut e: impl Exec, id: i64) -> Result<Option<OrderRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders WHERE id = $1"
            ))
            .bind(id),
        )
        .await
}

/// Locks an order for the rest of the caller's transaction and reads it as it is now.
///
/// Every flow that decides something from an order's status or total and then changes the
/// order or its payments (update, payment sessions, payment completion) takes this lock
/// first, so two nodes can never both act on a stale read. On PostgreSQL the no-op
/// `UPDATE` takes the row lock (and a transaction waiting for it reads the committed row
/// afterwards); on SQLite the writer is already exclusive, so it only reads.
pub async fn lock(mut e: impl Exec, id: i64) -> Result<Option<OrderRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "UPDATE orders SET version = version WHERE id = $1 RETURNING ",
                order_columns!()
            ))
            .bind(id),
        )
        .await
}

/// A page of the caller's orders in a storage, newest first, with their lines and the total.
pub async fn list_own(
    mut e: impl Exec,
    user_id: i64,
    storage_id: i64,
    page: Paging,
) -> Result<(Vec<OrderRecord>, Vec<LineRecord>, i64), StoreError> {
    let mut c = e.executor();
    let orders: Vec<OrderRecord> = c
        .all(
            q(concat!("SELECT ", order_columns!(), " FROM orders WHERE user_id = $1 AND storage_id = $2 ORDER BY id DESC LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT)"))
            .bind(user_id)
            .bind(storage_id)
            .page(page),
        )
        .await?;
    let lines: Vec<LineRecord> = c
        .all(
            q("SELECT l.order_id, l.product_id, l.title, l.sku, l.preview_image, l.price_minor, l.quantity, l.is_gift
               FROM order_lines l
               WHERE l.order_id IN (SELECT id FROM orders WHERE user_id = $1 AND storage_id = $2
                                    ORDER BY id DESC LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT))
               ORDER BY l.order_id DESC, l.position")
            .bind(user_id)
            .bind(storage_id)
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(
            q("SELECT COUNT(*) AS n FROM orders WHERE user_id = $1 AND storage_id = $2")
                .bind(user_id)
                .bind(storage_id),
        )
        .await?;
    Ok((orders, lines, total.n))
}

/// What an update changes.
#[derive(Debug, Clone)]
pub struct OrderChange<'a> {
    /// New status id.
    pub status_id: i64,
    /// New payment account id.
    pub payment_account_id: i64,
    /// New form data.
    pub form_data: &'a Value,
    /// New total (with new lines).
    pub total_minor: i64,
    /// New lines, when the products changed.
    pub lines: Option<&'a [NewLine]>,
}

/// Applies a change if the order is still at `version`; false if someone changed it first.
pub async fn update(
    mut e: impl Exec,
    id: i64,
    version: i64,
    c: &OrderChange<'_>,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut e = e.executor();
    let n = e.exec(
            q("UPDATE orders SET status_id = $3, payment_account_id = $4, form_data = $5, total_minor = $6,
                 version = version + 1, updated_at = $7
               WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .bind(c.status_id)
            .bind(c.payment_account_id)
            .bind(c.form_data.to_string())
            .bind(c.total_minor)
            .bind(now.0),
        )
        .await?;
    if n == 0 {
        return Ok(false);
    }
    if let Some(lines) = c.lines {
        e.exec(q("DELETE FROM order_lines WHERE order_id = $1").bind(id))
            .await?;
        insert_lines(&mut e, id, lines).await?;
    }
    Ok(true)
}

/// Moves an order to a status (payments, whatever the version).
pub async fn set_status(
    mut e: impl Exec,
    id: i64,
    status_id: i64,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor().exec(
            q("UPDATE orders SET status_id = $2, version = version + 1, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(status_id)
                .bind(now.0),
        )
        .await?;
    Ok(())
}

/// Which orders an operator lists (every filter optional).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only this storage.
    pub storage_id: Option<i64>,
    /// Only this status.
    pub status_id: Option<i64>,
}

/// The filters' `WHERE`, shared by the page and its count.
macro_rules! filtered {
    ($head:literal, $tail:literal) => {
        concat!(
            $head,
            " WHERE ($1 IS NULL OR storage_id = $1) AND ($2 IS NULL OR status_id = $2)",
            $tail
        )
    };
}

/// A page of all orders matching `filter`, newest first, and how many match (operators).
pub async fn list_all(
    mut e: impl Exec,
    filter: OrderFilter,
    page: Paging,
) -> Result<(Vec<OrderRecord>, i64), StoreError> {
    let mut c = e.executor();
    let rows = c
        .all(
            q(filtered!(
                "SELECT id, storage_id, user_id, status_id, payment_account_id, form_identifier,
                 form_data, lang, currency, total_minor, version, created_at, updated_at FROM orders",
                " ORDER BY id DESC LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT)"
            ))
            .bind(filter.storage_id)
            .bind(filter.status_id)
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(
            q(filtered!("SELECT COUNT(*) AS n FROM orders", ""))
                .bind(filter.storage_id)
                .bind(filter.status_id),
        )
        .await?;
    Ok((rows, total.n))
}

/// Whether any order is in this status (`isUsed`).
pub async fn status_in_use(mut e: impl Exec, status_id: i64) -> Result<bool, StoreError> {
    let row: Option<Id> = e
        .executor()
        .opt(q("SELECT id FROM orders WHERE status_id = $1 LIMIT 1").bind(status_id))
        .await?;
    Ok(row.is_some())
}

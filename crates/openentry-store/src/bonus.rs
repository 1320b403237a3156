//! The bonus ledger: every change of a user's bonus balance, in hundredths of a point. The
//! balance is the sum of the ledger; writers that take points lock the user's row first
//! ([`lock_user`]) so concurrent spenders see each other and the sum never goes below zero.

use openentry_domain::clock::Timestamp;

use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// An entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    /// Whose balance.
    pub user_id: i64,
    /// Hundredths of a point, signed.
    pub amount: i64,
    /// `ACCRUAL`, `USAGE`, `REDUCE`, `REVERSAL_ACCRUAL`, `REVERSAL_USAGE`, `EXPIRATION`.
    pub kind: &'a str,
    /// The discount's identifier (`""` for none).
    pub discount: &'a str,
    /// The order it is about.
    pub order_id: Option<i64>,
    /// Why (operator adjustments).
    pub comment: Option<&'a str>,
    /// Written by an operator.
    pub by_admin: bool,
    /// When the points expire (accruals).
    pub expires_at: Option<i64>,
    /// The approved refund request it answers (0: none).
    pub refund_id: i64,
}

/// A ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct Entry {
    /// Id.
    pub id: i64,
    /// Hundredths of a point, signed.
    pub amount: i64,
    /// Its kind.
    pub kind: String,
    /// The discount's identifier (`""` for none).
    pub discount: String,
    /// The order it is about.
    pub order_id: Option<i64>,
    /// Why.
    pub comment: Option<String>,
    /// Written by an operator.
    pub by_admin: bool,
    /// Written at.
    pub created_at: i64,
    /// When the points expire (accruals).
    pub expires_at: Option<i64>,
    /// The storage of the order it is about (its module, to the SDK).
    pub storage_id: Option<i64>,
}

/// Locks a user's row until the transaction ends (a no-op update: both backends).
pub async fn lock_user(mut e: impl Exec, user_id: i64) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(q("UPDATE users SET version = version WHERE id = $1").bind(user_id))
        .await?;
    Ok(n == 1)
}

/// The user's balance: the sum of their ledger.
pub async fn balance(mut e: impl Exec, user_id: i64) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(
            q(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS n FROM bonus_ledger
               WHERE user_id = $1",
            )
            .bind(user_id),
        )
        .await?;
    Ok(c.n)
}

/// Writes an entry; `false` when the order already has one of this kind for this discount and
/// refund (accruals and reversals happen once).
pub async fn add(mut e: impl Exec, n: &NewEntry<'_>, now: Timestamp) -> Result<bool, StoreError> {
    let written = e
        .executor()
        .exec(
            q(
                "INSERT INTO bonus_ledger (user_id, amount, kind, discount, order_id, comment,
                 by_admin, expires_at, created_at, refund_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
               ON CONFLICT (order_id, kind, discount, refund_id) DO NOTHING",
            )
            .bind(n.user_id)
            .bind(n.amount)
            .bind(n.kind)
            .bind(n.discount)
            .bind(n.order_id)
            .bind(n.comment.map(str::to_owned))
            .bind(n.by_admin)
            .bind(n.expires_at)
            .bind(now.0)
            .bind(n.refund_id),
        )
        .await?;
    Ok(written == 1)
}

/// The user's entries, oldest first.
pub async fn history(mut e: impl Exec, user_id: i64) -> Result<Vec<Entry>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT b.id, b.amount, b.kind, b.discount, b.order_id, b.comment, b.by_admin,
                 b.created_at, b.expires_at, o.storage_id
               FROM bonus_ledger b LEFT JOIN orders o ON o.id = b.order_id
               WHERE b.user_id = $1 ORDER BY b.id",
            )
            .bind(user_id),
        )
        .await
}

/// What an order took from its user's balance (hundredths, positive), net of reversals.
pub async fn used_by_order(mut e: impl Exec, order_id: i64) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(
            q(
                "SELECT CAST(COALESCE(-SUM(amount), 0) AS BIGINT) AS n FROM bonus_ledger
               WHERE order_id = $1 AND kind IN ('USAGE', 'REVERSAL_USAGE')",
            )
            .bind(order_id),
        )
        .await?;
    Ok(c.n)
}

/// What an order accrued, per discount (net of reversals), positive entries only.
pub async fn accrued_by_order(
    mut e: impl Exec,
    order_id: i64,
) -> Result<Vec<(String, i64)>, StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct Row {
        discount: String,
        n: i64,
    }
    let rows: Vec<Row> = e
        .executor()
        .all(
            q(
                "SELECT discount, CAST(SUM(amount) AS BIGINT) AS n FROM bonus_ledger
               WHERE order_id = $1 AND kind IN ('ACCRUAL', 'REVERSAL_ACCRUAL')
               GROUP BY discount ORDER BY discount",
            )
            .bind(order_id),
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.n > 0)
        .map(|r| (r.discount, r.n))
        .collect())
}

/// Points of expired accruals not yet spent nor written off, in hundredths. Spending is counted
/// against expiring points first (docs/decisions.md, "Discounts").
pub async fn expired_unspent(
    mut e: impl Exec,
    user_id: i64,
    now: Timestamp,
) -> Result<i64, StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct Row {
        expired: i64,
        consumed: i64,
        gone: i64,
    }
    let r: Row = e
        .executor()
        .one(
            q("SELECT
                 CAST(COALESCE(SUM(CASE WHEN kind = 'ACCRUAL' AND expires_at <= $2
                   THEN amount ELSE 0 END), 0) AS BIGINT) AS expired,
                 CAST(COALESCE(SUM(CASE WHEN kind IN ('USAGE', 'REDUCE', 'REVERSAL_ACCRUAL',
                   'REVERSAL_USAGE') THEN -amount ELSE 0 END), 0) AS BIGINT) AS consumed,
                 CAST(COALESCE(SUM(CASE WHEN kind = 'EXPIRATION'
                   THEN -amount ELSE 0 END), 0) AS BIGINT) AS gone
               FROM bonus_ledger WHERE user_id = $1")
            .bind(user_id)
            .bind(now.0),
        )
        .await?;
    Ok((r.expired - r.consumed.max(0) - r.gone).max(0))
}

/// An order's entries of one kind summed per discount (`""` for none), signed.
pub async fn order_sums(
    mut e: impl Exec,
    order_id: i64,
    kind: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct Row {
        discount: String,
        n: i64,
    }
    let rows: Vec<Row> = e
        .executor()
        .all(
            q(
                "SELECT discount, CAST(SUM(amount) AS BIGINT) AS n FROM bonus_ledger
               WHERE order_id = $1 AND kind = $2 GROUP BY discount ORDER BY discount",
            )
            .bind(order_id)
            .bind(kind),
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.discount, r.n)).collect())
}

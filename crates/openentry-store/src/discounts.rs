//! What orders did with discounts: the priced `discountConfig` of each order and the claims of
//! single-use coupons (the discounts themselves live in the project definition).

use openentry_domain::clock::Timestamp;
use serde_json::Value;

use crate::db::q;
use crate::json::JsonText;
use crate::{Exec, StoreError};

/// An order's discount snapshot.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Deserialize)]
pub struct OrderDiscountRecord {
    /// Order id.
    pub order_id: i64,
    /// The `discountConfig` it was priced with.
    #[sqlx(try_from = "JsonText")]
    #[serde(deserialize_with = "crate::json::decode")]
    pub config: Value,
    /// The coupon it presented (upper case).
    pub coupon_code: Option<String>,
    /// Bonus spent, minor units of the order's currency.
    pub bonus_applied_minor: i64,
}

/// Stores (or replaces) an order's discount snapshot.
pub async fn save(mut e: impl Exec, r: &OrderDiscountRecord) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "INSERT INTO order_discounts (order_id, config, coupon_code, bonus_applied_minor)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (order_id) DO UPDATE SET config = excluded.config,
                 coupon_code = excluded.coupon_code,
                 bonus_applied_minor = excluded.bonus_applied_minor",
            )
            .bind(r.order_id)
            .bind(r.config.to_string())
            .bind(r.coupon_code.clone())
            .bind(r.bonus_applied_minor),
        )
        .await?;
    Ok(())
}

/// An order's discount snapshot (`None` for orders priced before discounts existed).
pub async fn of_order(
    mut e: impl Exec,
    order_id: i64,
) -> Result<Option<OrderDiscountRecord>, StoreError> {
    e.executor()
        .opt(
            q("SELECT order_id, config, coupon_code, bonus_applied_minor
               FROM order_discounts WHERE order_id = $1")
            .bind(order_id),
        )
        .await
}

/// A single-use coupon's claim.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct CouponUseRecord {
    /// The code (upper case).
    pub code: String,
    /// Its discount's identifier.
    pub discount: String,
    /// The order that used it.
    pub order_id: i64,
    /// When.
    pub used_at: i64,
}

/// Claims a single-use code for an order: `true` for exactly one caller, however many orders
/// on however many nodes try at once (the code is the primary key).
pub async fn claim_coupon(
    mut e: impl Exec,
    code: &str,
    discount: &str,
    order_id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("INSERT INTO coupon_uses (code, discount, order_id, used_at)
               VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING")
            .bind(code)
            .bind(discount)
            .bind(order_id)
            .bind(now.0),
        )
        .await?;
    Ok(n == 1)
}

/// Releases the coupons an order claimed (it was canceled before payment).
pub async fn release_coupons(mut e: impl Exec, order_id: i64) -> Result<u64, StoreError> {
    e.executor()
        .exec(q("DELETE FROM coupon_uses WHERE order_id = $1").bind(order_id))
        .await
}

/// The claim of a code, if any.
pub async fn coupon_use(
    mut e: impl Exec,
    code: &str,
) -> Result<Option<CouponUseRecord>, StoreError> {
    e.executor()
        .opt(
            q("SELECT code, discount, order_id, used_at FROM coupon_uses WHERE code = $1")
                .bind(code),
        )
        .await
}

/// A user's orders in `currency`, summed per status: what each was paid in money (its
/// total) less its approved refunds, `(status id, minor units)`. The caller keeps the statuses
/// that count as paid (the project says which).
pub async fn value_by_status(
    mut e: impl Exec,
    user_id: i64,
    currency: &str,
) -> Result<Vec<(i64, i64)>, StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct Row {
        status_id: i64,
        n: i64,
    }
    let rows: Vec<Row> = e
        .executor()
        .all(
            q("SELECT o.status_id,
                 CAST(SUM(o.total_minor - COALESCE(r.refunded, 0)) AS BIGINT) AS n
               FROM orders o LEFT JOIN (
                 SELECT order_id, SUM(amount_minor) AS refunded FROM refund_requests
                 WHERE status = 'approved' GROUP BY order_id
               ) r ON r.order_id = o.id
               WHERE o.user_id = $1 AND o.currency = $2
               GROUP BY o.status_id ORDER BY o.status_id")
            .bind(user_id)
            .bind(currency),
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.status_id, r.n)).collect())
}

/// The claims of a discount's single-use codes.
pub async fn uses_of(mut e: impl Exec, discount: &str) -> Result<Vec<CouponUseRecord>, StoreError> {
    e.executor()
        .all(
            q("SELECT code, discount, order_id, used_at FROM coupon_uses
               WHERE discount = $1 ORDER BY code")
            .bind(discount),
        )
        .await
}

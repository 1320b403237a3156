//! Product subscriptions of the Events module (migration 0012): who wants to hear of which
//! product through which event.

use openentry_domain::clock::Timestamp;
use openentry_types::paging::Paging;

use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct SubscriptionRecord {
    /// Event marker.
    pub event: String,
    /// Product id.
    pub product_id: i64,
    /// Locale of the messages.
    pub locale: String,
}

/// Subscribes (again: the locale and threshold are updated). `threshold_minor`: the price,
/// in the product's minor units, below which `price_below` fires.
pub async fn add(
    mut e: impl Exec,
    user_id: i64,
    event: &str,
    product_id: i64,
    locale: &str,
    threshold_minor: Option<i64>,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "INSERT INTO event_subscriptions (user_id, event, product_id, locale, created_at,
                 threshold_minor) VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (user_id, event, product_id) DO UPDATE SET locale = excluded.locale,
                 threshold_minor = excluded.threshold_minor",
            )
            .bind(user_id)
            .bind(event)
            .bind(product_id)
            .bind(locale)
            .bind(now.0)
            .bind(threshold_minor),
        )
        .await?;
    Ok(())
}

/// Unsubscribes; returns whether there was a subscription.
pub async fn delete(
    mut e: impl Exec,
    user_id: i64,
    event: &str,
    product_id: i64,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("DELETE FROM event_subscriptions WHERE user_id = $1 AND event = $2 AND product_id = $3")
                .bind(user_id)
                .bind(event)
                .bind(product_id),
        )
        .await?;
    Ok(n > 0)
}

/// A user's subscriptions, oldest first.
pub async fn list_own(
    mut e: impl Exec,
    user_id: i64,
    page: Paging,
) -> Result<Vec<SubscriptionRecord>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT event, product_id, locale FROM event_subscriptions WHERE user_id = $1
               ORDER BY created_at, event, product_id
               LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)",
            )
            .bind(user_id)
            .page(page),
        )
        .await
}

/// How many subscriptions a user has.
pub async fn count_own(mut e: impl Exec, user_id: i64) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(q("SELECT COUNT(*) AS n FROM event_subscriptions WHERE user_id = $1").bind(user_id))
        .await?;
    Ok(c.n)
}

/// A subscriber of one product through one event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct Subscriber {
    /// The user.
    pub user_id: i64,
    /// Locale of the messages.
    pub locale: String,
    /// `price_below`: the price (minor units) below which it fires.
    pub threshold_minor: Option<i64>,
}

/// Everyone subscribed to `product_id` through `event`, in user order.
pub async fn subscribers(
    mut e: impl Exec,
    event: &str,
    product_id: i64,
) -> Result<Vec<Subscriber>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT user_id, locale, threshold_minor FROM event_subscriptions
               WHERE product_id = $1 AND event = $2 ORDER BY user_id",
            )
            .bind(product_id)
            .bind(event),
        )
        .await
}

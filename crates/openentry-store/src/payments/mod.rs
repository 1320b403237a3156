//! Payment sessions, provider webhook events, payment alerts.

mod alerts;
mod events;

use openentry_domain::clock::Timestamp;
use openentry_domain::payments::{SessionStatus, SessionType};
use openentry_types::paging::Paging;

use crate::db::{Count, Id, Q, q};
use crate::{Exec, StoreError};

pub use alerts::{Alert, NewAlert, add_alert, list_alerts};
pub use events::add_event;

/// A stored payment session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct PaymentSessionRecord {
    /// Id.
    pub id: i64,
    /// Order id.
    pub order_id: i64,
    /// Owner (`None` once the user was deleted).
    pub user_id: Option<i64>,
    /// Payment account id.
    pub account_id: i64,
    /// Hosted page or client secret. An unknown stored name is a decoding error.
    #[sqlx(try_from = "String")]
    pub kind: SessionType,
    /// Where on the ladder. An unknown stored name is a decoding error.
    #[sqlx(try_from = "String")]
    pub status: SessionStatus,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// The provider's id (Stripe `cs_…` or `pi_…`).
    pub provider_ref: Option<String>,
    /// Where to pay.
    pub payment_url: Option<String>,
    /// Client secret of an intent.
    pub client_secret: Option<String>,
    /// When a waiting session expires.
    pub expires_at: i64,
    /// Whether its completion paid the order (see `set_settled`).
    pub settled: bool,
    /// Created.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

macro_rules! session_columns {
    () => {
        "id, order_id, user_id, account_id, kind, status, amount_minor, currency, provider_ref, \
         payment_url, client_secret, expires_at, settled, created_at, updated_at"
    };
}

/// A session to open.
#[derive(Debug, Clone)]
pub struct NewPaymentSession<'a> {
    /// Order id.
    pub order_id: i64,
    /// Owner.
    pub user_id: i64,
    /// Payment account id.
    pub account_id: i64,
    /// Hosted page or client secret.
    pub kind: SessionType,
    /// Amount, minor units.
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: &'a str,
    /// Expiry.
    pub expires_at: Timestamp,
}

/// Opens a waiting session unless the order already has one (the partial unique index decides,
/// also between concurrent requests); returns the new id, or `None` when one was waiting.
pub async fn insert_waiting(
    mut e: impl Exec,
    s: &NewPaymentSession<'_>,
    now: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let row: Option<Id> = e.executor().opt(
            q("INSERT INTO payment_sessions (order_id, user_id, account_id, kind, status, amount_minor, currency,
                 expires_at, created_at, updated_at)
               VALUES ($1, $2, $3, $4, 'waiting', $5, $6, $7, $8, $8)
               ON CONFLICT (order_id) WHERE status = 'waiting' DO NOTHING RETURNING id")
            .bind(s.order_id)
            .bind(s.user_id)
            .bind(s.account_id)
            .bind(s.kind.as_str())
            .bind(s.amount_minor)
            .bind(s.currency)
            .bind(s.expires_at.0)
            .bind(now.0),
        )
        .await?;
    Ok(row.map(|r| r.id))
}

/// The waiting session of an order.
pub async fn get_waiting(
    mut e: impl Exec,
    order_id: i64,
) -> Result<Option<PaymentSessionRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE order_id = $1 AND status = 'waiting'"
            ))
            .bind(order_id),
        )
        .await
}

/// A session by id (customer routes check the owner with [`get_own`]).
pub async fn get(mut e: impl Exec, id: i64) -> Result<Option<PaymentSessionRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE id = $1"
            ))
            .bind(id),
        )
        .await
}

/// The caller's session.
pub async fn get_own(
    mut e: impl Exec,
    user_id: i64,
    id: i64,
) -> Result<Option<PaymentSessionRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE id = $1 AND user_id = $2"
            ))
            .bind(id)
            .bind(user_id),
        )
        .await
}

/// The caller's sessions of one order, oldest first.
pub async fn list_own_for_order(
    mut e: impl Exec,
    user_id: i64,
    order_id: i64,
) -> Result<Vec<PaymentSessionRecord>, StoreError> {
    e.executor()
        .all(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE order_id = $1 AND user_id = $2 ORDER BY id"
            ))
            .bind(order_id)
            .bind(user_id),
        )
        .await
}

/// Every session of one order, oldest first (operators).
pub async fn list_for_order(
    mut e: impl Exec,
    order_id: i64,
) -> Result<Vec<PaymentSessionRecord>, StoreError> {
    e.executor()
        .all(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE order_id = $1 ORDER BY id"
            ))
            .bind(order_id),
        )
        .await
}

/// A page of the caller's sessions, newest first, and their total.
pub async fn list_own(
    mut e: impl Exec,
    user_id: i64,
    page: Paging,
) -> Result<(Vec<PaymentSessionRecord>, i64), StoreError> {
    let mut c = e.executor();
    let rows = c
        .all(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE user_id = $1 ORDER BY id DESC LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)"
            ))
            .bind(user_id)
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(q("SELECT COUNT(*) AS n FROM payment_sessions WHERE user_id = $1").bind(user_id))
        .await?;
    Ok((rows, total.n))
}

/// A page of all sessions, newest first (operators).
pub async fn list_all(
    mut e: impl Exec,
    page: Paging,
) -> Result<(Vec<PaymentSessionRecord>, i64), StoreError> {
    let mut c = e.executor();
    let rows = c
        .all(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions ORDER BY id DESC LIMIT CAST($1 AS BIGINT) OFFSET CAST($2 AS BIGINT)"
            ))
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(q("SELECT COUNT(*) AS n FROM payment_sessions"))
        .await?;
    Ok((rows, total.n))
}

/// The session a provider id belongs to.
pub async fn get_by_provider_ref(
    mut e: impl Exec,
    provider_ref: &str,
) -> Result<Option<PaymentSessionRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE provider_ref = $1"
            ))
            .bind(provider_ref),
        )
        .await
}

/// What a provider answered when a session was opened there.
#[derive(Debug, Clone, Copy)]
pub struct ProviderRef<'a> {
    /// The provider's id (Stripe `cs_…` or `pi_…`).
    pub reference: &'a str,
    /// Where to pay.
    pub payment_url: Option<&'a str>,
    /// Client secret of an intent.
    pub client_secret: Option<&'a str>,
}

fn provider_update(id: i64, p: &ProviderRef<'_>, now: Timestamp) -> Q {
    q("UPDATE payment_sessions SET provider_ref = $2, payment_url = $3, client_secret = $4, updated_at = $5 WHERE id = $1")
        .bind(id)
        .bind(p.reference)
        .bind(p.payment_url.map(str::to_owned))
        .bind(p.client_secret.map(str::to_owned))
        .bind(now.0)
}

/// Moves a session from `from` to `to`; false if it was no longer in `from`.
pub async fn set_status(
    mut e: impl Exec,
    id: i64,
    from: SessionStatus,
    to: SessionStatus,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e.executor().exec(q("UPDATE payment_sessions SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2").bind(id).bind(from.as_str()).bind(to.as_str()).bind(now.0))
        .await?;
    Ok(n == 1)
}

/// How many sessions of an order (other than `except`) have completed and paid it.
pub async fn count_settled_besides(
    mut e: impl Exec,
    order_id: i64,
    except: Option<i64>,
) -> Result<i64, StoreError> {
    let row: Count = e
        .executor()
        .one(
            q("SELECT COUNT(*) AS n FROM payment_sessions
               WHERE order_id = $1 AND ($2 IS NULL OR id <> $2) AND settled")
            .bind(order_id)
            .bind(except),
        )
        .await?;
    Ok(row.n)
}

/// Records that a completed session paid its order.
pub async fn set_settled(mut e: impl Exec, id: i64) -> Result<(), StoreError> {
    e.executor()
        .exec(q("UPDATE payment_sessions SET settled = TRUE WHERE id = $1").bind(id))
        .await?;
    Ok(())
}

/// Stores what the provider answered for a session.
pub async fn set_provider(
    mut e: impl Exec,
    id: i64,
    provider: &ProviderRef<'_>,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(provider_update(id, provider, now))
        .await?;
    Ok(())
}

/// Waiting sessions whose time is up (of one order, or of all orders).
pub async fn list_due(
    mut e: impl Exec,
    order_id: Option<i64>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<PaymentSessionRecord>, StoreError> {
    e.executor().all(
            q(concat!(
                "SELECT ",
                session_columns!(),
                " FROM payment_sessions WHERE status = 'waiting' AND expires_at <= $1 AND ($2 IS NULL OR order_id = $2) ORDER BY id LIMIT CAST($3 AS BIGINT)"
            ))
            .bind(now.0)
            .bind(order_id)
            .bind(limit),
        )
        .await
}

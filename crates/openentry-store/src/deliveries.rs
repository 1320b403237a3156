//! Event deliveries: the relay's work list (migration 0012). Outbox rows fan out into
//! deliveries; relays on any number of nodes claim due deliveries, send them, and record the
//! outcome. Every outcome is written only by the claim that sent it, so a node whose lease ran
//! out (it stalled or died) cannot overwrite the work of the node that took over.

use openentry_domain::clock::Timestamp;

use crate::db::{Backend, q};
use crate::outbox::Event;
use crate::{Db, Exec, StoreError};

mod log;

pub use log::{LogFilter, count, list};

/// A delivery to be created for an outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// Stable id (see [`delivery_id`]).
    pub id: String,
    /// The event definition's marker.
    pub event: String,
    /// `webhook`, `email`, …
    pub channel: String,
    /// The endpoint marker or the user id.
    pub target: String,
    /// What is sent (JSON text, fixed when fanned out so every attempt sends the same).
    pub payload: String,
    /// The user it concerns, if any (the delivery log per user).
    pub user_id: Option<i64>,
}

/// The stable id of a delivery: the same outbox row, event, channel and target always give the
/// same id (`msg_<outbox id>_<event>_<channel>_<target>`), on any node.
pub fn delivery_id(outbox_id: i64, event: &str, channel: &str, target: &str) -> String {
    format!("msg_{outbox_id}_{event}_{channel}_{target}")
}

/// The stable id of a delivery to one endpoint on behalf of one user (a product subscriber
/// heard of through a webhook): [`delivery_id`] with `_u<user id>`.
pub fn delivery_id_for_user(
    outbox_id: i64,
    event: &str,
    channel: &str,
    target: &str,
    user_id: i64,
) -> String {
    format!(
        "{}_u{user_id}",
        delivery_id(outbox_id, event, channel, target)
    )
}

/// A stored delivery.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct DeliveryRecord {
    /// Stable id.
    pub id: String,
    /// The outbox row.
    pub outbox_id: i64,
    /// Event marker.
    pub event: String,
    /// Channel.
    pub channel: String,
    /// Endpoint marker or user id.
    pub target: String,
    /// JSON text sent.
    pub payload: String,
    /// `pending`, `sending`, `sent`, `dead`.
    pub state: String,
    /// Attempts started (a claim counts as one).
    pub attempts: i64,
    /// Next attempt (`pending`) or end of the lease (`sending`).
    pub due_at: i64,
    /// The claim that holds it while `sending`.
    pub claim: Option<String>,
    /// Last HTTP status, if any answer came.
    pub last_status: Option<i64>,
    /// Last attempt's duration.
    pub last_latency_ms: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Fanned out at.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// The user it concerns, if any.
    pub user_id: Option<i64>,
}

/// Outbox rows not fanned out yet, oldest first.
pub async fn list_unrouted(mut e: impl Exec, limit: i64) -> Result<Vec<Event>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT id, kind, aggregate, aggregate_id, payload, created_at FROM outbox
               WHERE delivered_at IS NULL ORDER BY id LIMIT CAST($1 AS BIGINT)",
            )
            .bind(limit),
        )
        .await
}

/// Inserts an outbox row's deliveries (those that exist already are left as they are) and
/// marks the row fanned out, in one transaction.
pub async fn route(
    db: &Db,
    outbox_id: i64,
    deliveries: &[NewDelivery],
    now: Timestamp,
) -> Result<(), StoreError> {
    route_batch(db, &[(outbox_id, deliveries.to_vec())], now).await
}

/// [`route`] for several outbox rows in one transaction: one commit (one flush on SQLite)
/// per batch, not per row, so routing keeps up with checkout.
pub async fn route_batch(
    db: &Db,
    rows: &[(i64, Vec<NewDelivery>)],
    now: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    for (outbox_id, deliveries) in rows {
        for d in deliveries {
            add(&mut tx, *outbox_id, d, now).await?;
        }
        tx.executor()
            .exec(
                q("UPDATE outbox SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL")
                    .bind(now.0)
                    .bind(*outbox_id),
            )
            .await?;
    }
    tx.commit().await
}

/// Inserts one delivery of an outbox row, due now, in the caller's transaction (one that
/// exists already is left as it is). A one-time code's e-mail is written this way, with the
/// code, in the transaction that makes the code.
pub async fn add(
    mut e: impl Exec,
    outbox_id: i64,
    d: &NewDelivery,
    now: Timestamp,
) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q(
                "INSERT INTO deliveries (id, outbox_id, event, channel, target, payload, state,
               attempts, due_at, created_at, updated_at, user_id)
               VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7, $8)
               ON CONFLICT (id) DO NOTHING",
            )
            .bind(d.id.as_str())
            .bind(outbox_id)
            .bind(d.event.as_str())
            .bind(d.channel.as_str())
            .bind(d.target.as_str())
            .bind(d.payload.as_str())
            .bind(now.0)
            .bind(d.user_id),
        )
        .await?;
    Ok(())
}

/// Marks every unrouted outbox row up to `last_id` routed, with no deliveries: the fast path
/// when the project has no event a sender could deliver (one statement, not one per row).
/// The import skips the rows older than the project's events (`skip_unrouted`).
pub async fn skip_upto(mut e: impl Exec, last_id: i64, now: Timestamp) -> Result<u64, StoreError> {
    e.executor()
        .exec(
            q("UPDATE outbox SET delivered_at = $1 WHERE delivered_at IS NULL AND id <= $2")
                .bind(now.0)
                .bind(last_id),
        )
        .await
}

/// Marks every outbox row not routed yet as skipped for `reason`: routed, with no
/// deliveries, never sent. The import that gives a project its first events calls it, so rows
/// written before the project had events (a database upgraded from a version without the
/// relay holds every event since its first order) are not sent all at once, long after the
/// fact. Returns how many.
pub(crate) async fn skip_unrouted(
    t: &mut crate::db::Executor<'_>,
    reason: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    t.exec(
        q("UPDATE outbox SET delivered_at = $1, skipped = $2 WHERE delivered_at IS NULL")
            .bind(now.0)
            .bind(reason),
    )
    .await
}

/// Claims up to `limit` due deliveries for `claim` until `lease_until`: pending ones whose
/// time came and sending ones whose lease ran out. Each claim counts one attempt.
///
/// The SQL differs by backend, on purpose: PostgreSQL serves several nodes at once, so the
/// candidate rows are locked with `FOR UPDATE SKIP LOCKED` and two relays claim disjoint
/// sets without waiting on each other; SQLite has one writer, which runs the statement alone,
/// and has no `FOR UPDATE`.
pub async fn claim(
    db: &Db,
    claim: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> Result<Vec<DeliveryRecord>, StoreError> {
    let sql = match db.backend() {
        Backend::Postgres => CLAIM_POSTGRES,
        Backend::Sqlite => CLAIM_SQLITE,
    };
    db.executor()
        .all(
            q(sql)
                .bind(claim)
                .bind(lease_until.0)
                .bind(now.0)
                .bind(limit),
        )
        .await
}

const CLAIM_POSTGRES: &str = "UPDATE deliveries SET state = 'sending', claim = $1, due_at = $2,
    attempts = attempts + 1, updated_at = $3
    WHERE id IN (SELECT id FROM deliveries WHERE state IN ('pending', 'sending') AND due_at <= $3
                 ORDER BY due_at LIMIT CAST($4 AS BIGINT) FOR UPDATE SKIP LOCKED)
    RETURNING id, outbox_id, event, channel, target, payload, state, attempts, due_at, claim,
              last_status, last_latency_ms, last_error, created_at, updated_at, user_id";

const CLAIM_SQLITE: &str = "UPDATE deliveries SET state = 'sending', claim = $1, due_at = $2,
    attempts = attempts + 1, updated_at = $3
    WHERE id IN (SELECT id FROM deliveries WHERE state IN ('pending', 'sending') AND due_at <= $3
                 ORDER BY due_at LIMIT CAST($4 AS BIGINT))
    RETURNING id, outbox_id, event, channel, target, payload, state, attempts, due_at, claim,
              last_status, last_latency_ms, last_error, created_at, updated_at, user_id";

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// `sent`, `pending` (retry at `due_at`) or `dead`.
    pub state: &'static str,
    /// Next attempt, for `pending`.
    pub due_at: Timestamp,
    /// HTTP status, if an answer came.
    pub status: Option<i64>,
    /// Duration of the attempt.
    pub latency_ms: i64,
    /// Why it failed.
    pub error: Option<String>,
}

/// Records an attempt's outcome, if `claim` still holds the delivery at `attempts`; returns
/// whether it did (false: the lease ran out and another claim took over).
pub async fn finish(
    mut e: impl Exec,
    id: &str,
    claim: &str,
    attempts: i64,
    outcome: &Outcome,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q(
                "UPDATE deliveries SET state = $1, due_at = $2, claim = NULL, last_status = $3,
               last_latency_ms = $4, last_error = $5, updated_at = $6
               WHERE id = $7 AND claim = $8 AND attempts = $9 AND state = 'sending'",
            )
            .bind(outcome.state)
            .bind(outcome.due_at.0)
            .bind(outcome.status)
            .bind(outcome.latency_ms)
            .bind(outcome.error.clone())
            .bind(now.0)
            .bind(id)
            .bind(claim)
            .bind(attempts),
        )
        .await?;
    Ok(n == 1)
}

/// Puts a dead delivery back in line, its attempts reset; false when it is not dead.
pub async fn replay(mut e: impl Exec, id: &str, now: Timestamp) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q("UPDATE deliveries SET state = 'pending', attempts = 0, due_at = $1, updated_at = $1
               WHERE id = $2 AND state = 'dead'")
            .bind(now.0)
            .bind(id),
        )
        .await?;
    Ok(n == 1)
}

/// One delivery.
pub async fn get(mut e: impl Exec, id: &str) -> Result<Option<DeliveryRecord>, StoreError> {
    e.executor()
        .opt(
            q(
                "SELECT id, outbox_id, event, channel, target, payload, state, attempts, due_at,
                claim, last_status, last_latency_ms, last_error, created_at, updated_at, user_id
                FROM deliveries WHERE id = $1",
            )
            .bind(id),
        )
        .await
}

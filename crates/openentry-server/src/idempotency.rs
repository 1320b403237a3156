//! The `Idempotency-Key` header: reading it and fingerprinting the request it guards.

use axum::http::{HeaderMap, StatusCode};
use openentry_domain::clock::Timestamp;
use openentry_store::Tx;
use openentry_store::idempotency::{self, Claim, Window};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// How long keys are kept: at least 24 h, as clients are promised.
pub(crate) const KEEP_SECS: i64 = 24 * 3600;

/// The key of a request, if it has one. 1-255 visible ASCII characters.
pub(crate) fn key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let k = v.to_str().unwrap_or_default().trim();
    if k.is_empty() || k.len() > 255 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(
            "Idempotency-Key must be 1-255 visible ASCII characters".to_owned(),
        ));
    }
    Ok(Some(k.to_owned()))
}

/// SHA-256 of the route and the canonical body (serde_json sorts object keys), so a replay
/// is recognised whatever the key order and whitespace of the retried body.
pub(crate) fn fingerprint(scope: &str, body: &serde_json::Value) -> String {
    let mut h = Sha256::new();
    h.update(scope.as_bytes());
    h.update(b"\n");
    h.update(body.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Keys created at or before this are forgotten.
fn expired_before(now: Timestamp) -> Timestamp {
    now.plus_secs(-KEEP_SECS)
}

/// The answer for a key reused with another request.
fn mismatch() -> ApiError {
    ApiError::Unprocessable(
        "This Idempotency-Key was already used with a different request".to_owned(),
    )
}

/// The answer while the first request with the key is still running.
fn in_flight() -> ApiError {
    ApiError::Conflict(
        "A request with this Idempotency-Key is still in progress; retry shortly".to_owned(),
    )
}

/// A JSON answer kept as text, so a replay is byte-identical to the first answer.
#[derive(Debug)]
pub(crate) struct Stored {
    /// Status code.
    pub(crate) status: StatusCode,
    /// JSON body.
    pub(crate) body: String,
}

impl Stored {
    /// A `201 Created` answer with `value` as its body.
    pub(crate) fn created(value: &impl serde::Serialize) -> ApiResult<Self> {
        let body = serde_json::to_string(value).map_err(|e| ApiError::Internal(e.into()))?;
        Ok(Self {
            status: StatusCode::CREATED,
            body,
        })
    }
}

impl axum::response::IntoResponse for Stored {
    fn into_response(self) -> axum::response::Response {
        // The stored text is sent as is, so a replay is byte-identical to the first answer.
        let headers = [(axum::http::header::CONTENT_TYPE, "application/json")];
        (self.status, headers, self.body).into_response()
    }
}

/// How long a claim may stay without an answer before a retry takes it over: well past
/// the longest a request may run (its timeout, and a provider call finishing in a task of
/// its own after the client left), so only a claim whose process died is taken over.
const ABANDONED_AFTER_SECS: i64 = 120;

/// What a claimed key leaves the caller with.
#[derive(Debug)]
pub(crate) enum Claimed {
    /// Do the work in this transaction (and [`complete`] the key in it).
    Fresh(Tx),
    /// The first request's answer, to send again. Its transaction has committed, which on
    /// SQLite means it waited for the group commit it shared: the stored answer may have been
    /// written by an earlier member of the same, not yet durable, batch, and nothing is ever
    /// sent before it is durable.
    Replay(Stored),
}

/// Claims the request's key, if it has one, inside the transaction that will do the work.
/// A key reused with another request, or still in use by a running one, is an error.
pub(crate) async fn claim(
    mut tx: Tx,
    user_id: i64,
    key: Option<&str>,
    scope: &str,
    fingerprint: &str,
    now: Timestamp,
) -> ApiResult<Claimed> {
    let Some(key) = key else {
        return Ok(Claimed::Fresh(tx));
    };
    let window = Window {
        now,
        expired_before: expired_before(now),
        abandoned_before: now.plus_secs(-ABANDONED_AFTER_SECS),
    };
    match idempotency::claim(&mut tx, user_id, key, scope, fingerprint, window).await? {
        Claim::Fresh => Ok(Claimed::Fresh(tx)),
        Claim::Replay { status, body } => {
            tx.commit().await?;
            Ok(Claimed::Replay(Stored {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body,
            }))
        }
        Claim::Mismatch => Err(mismatch()),
        Claim::InFlight => Err(in_flight()),
    }
}

/// Keeps the answer under the request's key, if it has one, in the same transaction.
pub(crate) async fn complete(
    tx: &mut Tx,
    user_id: i64,
    key: Option<&str>,
    answer: &Stored,
) -> ApiResult<()> {
    if let Some(key) = key {
        idempotency::complete(&mut *tx, user_id, key, answer.status.as_u16(), &answer.body).await?;
    }
    Ok(())
}

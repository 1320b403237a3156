//! The `Idempotency-Key` header: reading it and fingerprinting the request it guards.

use axum::http::HeaderMap;
use openentry_domain::clock::Timestamp;
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
pub(crate) fn expired_before(now: Timestamp) -> Timestamp {
    now.plus_secs(-KEEP_SECS)
}

/// The answer for a key reused with another request.
pub(crate) fn mismatch() -> ApiError {
    ApiError::Unprocessable(
        "This Idempotency-Key was already used with a different request".to_owned(),
    )
}

/// The answer while the first request with the key is still running.
pub(crate) fn in_flight() -> ApiError {
    ApiError::Conflict(
        "A request with this Idempotency-Key is still in progress; retry shortly".to_owned(),
    )
}

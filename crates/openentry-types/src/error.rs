//! The error body every failing Content API call answers with.

use serde::{Deserialize, Serialize};

/// The SDK's `IError`: the SDK passes this body through to the caller unchanged, and it treats
/// any JSON object carrying a numeric `statusCode >= 400` as an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The HTTP status code, repeated in the body (the SDK branches on it).
    pub status_code: u16,
    /// A sentence a person can act on.
    pub message: String,
    /// Always `null` here; the platform uses it for page payloads on 404s.
    pub page_data: serde_json::Value,
    /// RFC 3339 time of the error, UTC, with milliseconds.
    pub timestamp: String,
}

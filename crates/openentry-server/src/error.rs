//! `ApiError`: the only code that writes the SDK's error body
//! (`{statusCode, message, pageData, timestamp}`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openentry_domain::clock::{Clock, SystemClock};
use openentry_store::StoreError;
use openentry_types::ErrorBody;

/// Every error a client can see.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed or fails validation.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid user token.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: refused (wrong app token, wrong credentials, inactive account).
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing, or not the caller's.
    #[error("{0}")]
    NotFound(String),
    /// 405: the route exists with other methods.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 408: the request body did not arrive in time.
    #[error("{0}")]
    RequestTimeout(String),
    /// 409: conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// 413: body over the limit.
    #[error("the request body is larger than the {0}-byte limit")]
    PayloadTooLarge(usize),
    /// 414: the request target is longer than the limit.
    #[error("{0}")]
    UriTooLong(String),
    /// 431: the request headers are larger than the limit.
    #[error("{0}")]
    HeadersTooLarge(String),
    /// 422: well-formed but unacceptable.
    #[error("{0}")]
    Unprocessable(String),
    /// 429: slow down; `Retry-After` tells when.
    #[error("{message}")]
    TooManyRequests {
        /// What to tell the client.
        message: String,
        /// Seconds until a retry may succeed.
        retry_after_secs: i64,
    },
    /// 502: a payment provider refused or could not be reached.
    #[error("{0}")]
    Upstream(String),
    /// 503: the request took too long or the server is shutting down.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an infrastructure failure; details go to the log only.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Self::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Upstream(_) => StatusCode::BAD_GATEWAY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The standard 401 for protected routes.
    pub fn unauthorized() -> Self {
        Self::Unauthorized("Unauthorized: sign in and send the access token as Bearer".to_owned())
    }
}

/// Builds the error body. Its timestamp is informational, so it reads the system clock: error
/// paths have no state to take an injected clock from (axum's rejections among them).
pub(crate) fn error_body(status: StatusCode, message: String) -> ErrorBody {
    ErrorBody {
        status_code: status.as_u16(),
        message,
        page_data: serde_json::Value::Null,
        timestamp: SystemClock.now().to_rfc3339(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                "Internal server error; the details are in the server log".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = (status, Json(error_body(status, message))).into_response();
        if let Self::TooManyRequests {
            retry_after_secs, ..
        } = self
        {
            let secs = retry_after_secs.max(1).to_string();
            if let Ok(v) = HeaderValue::from_str(&secs) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound("Not found".to_owned()),
            StoreError::Conflict(what) => Self::Conflict(format!("Already exists ({what})")),
            StoreError::InUse(what) => Self::Conflict(what),
            // Only another process (say an import) holds SQLite's write lock this long.
            StoreError::Busy(_) => Self::Unavailable(
                "The database is busy with another writer; retry in a moment".to_owned(),
            ),
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

/// A message with its first letter capitalised (domain errors are written in lower case).
pub(crate) fn sentence(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

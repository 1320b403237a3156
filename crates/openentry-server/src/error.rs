//! `ApiError`: the only code that writes the SDK's error body
//! (`{statusCode, message, pageData, timestamp}`).

use std::sync::Arc;

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
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
    /// 400: the database refused a value the input rules let through (the safety net of
    /// `validate`); what the database said goes to the log with the request, not to the client.
    #[error("A value in the request is not acceptable (too long, out of range or not valid text)")]
    Refused(String),
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
    /// 412: the `If-Match` of an edit names a version that is no longer the current one.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 428: an edit that must name the version it was made from (`If-Match`) did not.
    #[error("{0}")]
    PreconditionRequired(String),
    /// 413: body over the limit.
    #[error("the request body is larger than the {0}-byte limit")]
    PayloadTooLarge(usize),
    /// 413 with its own words: too many files, a file over its size, a spent quota.
    #[error("{0}")]
    TooLarge(String),
    /// 415: an uploaded file's content is not of an accepted type.
    #[error("{0}")]
    UnsupportedMediaType(String),
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
    /// 500 on purpose (`System.test500`): the error body of a 500, logged as intended.
    #[error("{0}")]
    Intended500(String),
}

/// Handler result.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// The HTTP status of the answer (the console pages use it too).
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::Refused(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge(_) | Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            Self::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Upstream(_) => StatusCode::BAD_GATEWAY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) | Self::Intended500(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The standard 401 for protected routes.
    pub fn unauthorized() -> Self {
        Self::Unauthorized("Unauthorized: sign in and send the access token as Bearer".to_owned())
    }
}

/// What the log must say about an answer, handed in the response's extensions to
/// [`log_answer`], which knows the request it answers.
#[derive(Debug, Clone)]
pub(crate) enum LogNote {
    /// A 500: the error chain.
    Internal(Arc<str>),
    /// A value the database refused: its words (a route the input rules should cover).
    Refused(Arc<str>),
    /// A 500 a route answers on purpose (`System.test500`): not a failure.
    Intended,
}

/// Logs each 500 (and each value the database refused) as one structured line: method, path
/// and what went wrong; a 500 answered on purpose (`System.test500`) at `info`, as such.
pub(crate) async fn log_answer(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path: String = req.uri().path().chars().take(256).collect();
    let response = next.run(req).await;
    match response.extensions().get::<LogNote>() {
        Some(LogNote::Internal(chain)) => {
            tracing::error!(%method, %path, error = %chain, "internal error");
        }
        Some(LogNote::Refused(why)) => {
            tracing::warn!(%method, %path, error = %why, "the database refused a value of a request");
        }
        Some(LogNote::Intended) => {
            tracing::info!(%method, %path, "intended 500 answered (a test route); not a failure");
        }
        None => {}
    }
    response
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
        let (message, note) = match &self {
            // The chain in one line; never `{:?}`, which carries a backtrace when one was
            // captured (tens of KB per request).
            Self::Internal(err) => (
                "Internal server error; the details are in the server log".to_owned(),
                Some(LogNote::Internal(Arc::from(format!("{err:#}")))),
            ),
            Self::Refused(why) => (
                self.to_string(),
                Some(LogNote::Refused(Arc::from(why.as_str()))),
            ),
            Self::Intended500(message) => (message.clone(), Some(LogNote::Intended)),
            other => (other.to_string(), None),
        };
        let mut response = (status, Json(error_body(status, message))).into_response();
        if let Some(note) = note {
            response.extensions_mut().insert(note);
        }
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
            // A value the validation layer let through but the database refuses (the safety net
            // of the input rules): the caller's fault. The database's words go to the log only.
            StoreError::Invalid(why) => Self::Refused(why),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_500_hands_its_chain_to_the_log_and_not_to_the_client() {
        let err = anyhow::anyhow!("disk on fire").context("could not save the order");
        let response = ApiError::Internal(err).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        match response.extensions().get::<LogNote>() {
            Some(LogNote::Internal(chain)) => {
                assert_eq!(&**chain, "could not save the order: disk on fire");
            }
            other => panic!("no chain for the log: {other:?}"),
        }
    }

    #[test]
    fn a_value_the_database_refuses_is_a_400() {
        let err = ApiError::from(StoreError::Invalid(
            "22021: invalid byte sequence".to_owned(),
        ));
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(matches!(
            response.extensions().get::<LogNote>(),
            Some(LogNote::Refused(why)) if why.contains("22021")
        ));
    }
}

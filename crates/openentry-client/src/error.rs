//! The client's one error type.

pub use openentry_types::ErrorBody;
pub use reqwest::StatusCode;

/// What can go wrong with a call.
///
/// A refused call carries the HTTP status and the server's error body
/// (`{statusCode, message, pageData, timestamp}`, the SDK's `IError`):
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) {
/// use openentry_client::{Error, StatusCode};
///
/// match client.orders().get_order_by_marker_and_id("orders", 999).await {
///     Err(Error::Api { status: StatusCode::NOT_FOUND, body }) => {
///         eprintln!("no such order: {}", body.message)
///     }
///     Err(e) => eprintln!("failed: {e}"),
///     Ok(order) => println!("order {} totals {}", order.id, order.total_sum),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the call and said why in its error body.
    #[error("{status}: {}", body.message)]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The server's error body.
        body: ErrorBody,
    },
    /// The server answered with a failure status but not with its error body (a proxy in
    /// between, most likely).
    #[error("{status} without an error body: {body}")]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The body as text (lossy UTF-8).
        body: String,
    },
    /// A successful answer was not the JSON the call expects.
    #[error("{status}: the answer could not be read: {message}")]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// What did not match.
        message: String,
        /// The body as text (lossy UTF-8).
        body: String,
    },
    /// No answer arrived: the connection failed, was closed early or timed out.
    #[error("no answer from the server: {0}")]
    Transport(#[from] reqwest::Error),
    /// The client was given something it cannot use (a project URL that is not `http(s)`,
    /// an idempotency key that is not 1–255 visible ASCII characters), or the operating
    /// system's random source failed.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::Decode { status, .. } => Some(*status),
            Self::Transport(e) => e.status(),
            Self::Invalid(_) => None,
        }
    }

    /// The server's error body, when it sent one.
    pub fn body(&self) -> Option<&ErrorBody> {
        match self {
            Self::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// `Result` with the client's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

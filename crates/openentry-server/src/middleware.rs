//! Cross-cutting layers: app token, admin token, request timeout, CORS, fallbacks, panics,
//! request spans.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{Layer as _, ServiceExt as _};
use tower_http::cors::CorsLayer;

use crate::auth::tokens::same_secret;
use crate::error::ApiError;
use crate::state::AppState;

/// The span every request's logs sit in: the method and the matched route template
/// (`/api/content/orders-storage/marker/{marker}/orders/{id}`), so logs group by endpoint.
/// Never the concrete path, query string, headers or body: those carry e-mails, codes and
/// tokens. A request no route matched says `unmatched`.
pub(crate) fn request_span(req: &Request) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    // Set by the outer `request_id` layer (always present and plain by then).
    let id = req
        .headers()
        .get(crate::request_id::HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %req.method(), route, request_id = id)
}

/// Every Content API route needs a valid `x-app-token`.
pub(crate) async fn require_app_token(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = req
        .headers()
        .get("x-app-token")
        .and_then(|v| v.to_str().ok());
    match token {
        None => Err(ApiError::Unauthorized(
            "The x-app-token header is required".to_owned(),
        )),
        Some(t) if state.project().accepts_app_token(t) => Ok(next.run(req).await),
        // Wire quirk: a client configured without a token sends the literal "undefined".
        Some(_) => Err(ApiError::Forbidden(
            "Resource is closed: the x-app-token is not valid for this project".to_owned(),
        )),
    }
}

/// Whether `token` is the configured admin token (compared in constant time; no admin token
/// configured: nothing is).
pub(crate) fn is_admin_token(state: &AppState, token: &str) -> bool {
    state
        .config
        .admin_token
        .as_deref()
        .is_some_and(|admin| same_secret(token, admin))
}

/// Abandons a request that takes longer than the configured timeout. Dropping the handler's
/// future rolls back any transaction it had open, so nothing is half-written.
pub(crate) async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut limit = state.config.request_timeout;
    if crate::files::is_upload(req.method(), req.uri().path()) {
        // The body of an upload arrives within its own read timeout; the work after it gets
        // the usual time.
        limit = limit.saturating_add(state.config.upload_read_timeout);
    }
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::Unavailable(format!(
            "The request took longer than {} s and was abandoned; retry it (with the same Idempotency-Key, if it had one)",
            limit.as_secs()
        ))
        .into_response(),
    }
}

/// CORS rules by path: the Content API allows its configured origins (any by default); the
/// admin API only its own list, and without one it has no CORS at all, so a browser page on
/// another origin can never drive it (a preflight gets the plain 405 error body).
#[derive(Debug, Clone)]
pub(crate) struct CorsByPath {
    pub(crate) content: CorsLayer,
    pub(crate) admin: Option<CorsLayer>,
}

pub(crate) async fn cors(
    State(rules): State<Arc<CorsByPath>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let layer = if path == "/api/admin" || path.starts_with("/api/admin/") {
        rules.admin.as_ref()
    } else if path == "/admin" || path.starts_with("/admin/") {
        // The console is same-origin HTML: no cross-origin reader, whatever the settings.
        None
    } else {
        Some(&rules.content)
    };
    match layer {
        Some(layer) => match layer.layer(next).oneshot(req).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => next.run(req).await,
    }
}

/// Unknown routes answer with the error body, not an empty 404.
pub(crate) async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound(format!("No route for {method} {}", uri.path()))
}

/// Known routes with another method.
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}

/// A panic becomes a 500 with the error body (logged like every 500).
// `CatchPanicLayer::custom` hands the payload over by value.
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    // Logged once, with the request's method and path, by `error::log_answer`.
    ApiError::Internal(anyhow::anyhow!("panic: {detail}")).into_response()
}

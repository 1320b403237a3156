//! The guard in front of every management route: find who is acting, then check the route's
//! need (`permissions`) against their role. The handler sees the [`Operator`] it let through.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

use openentry_domain::operators::Action;

use super::permissions::{self, Need};
use super::{Operator, sessions, tokens};
use crate::auth::tokens::same_secret;
use crate::error::ApiError;
use crate::middleware::is_admin_token;
use crate::state::AppState;

/// Authenticates the operator and checks the route's need; refuses with 401 (nobody), 403
/// (not allowed) or lets the request through with the [`Operator`] in its extensions.
pub(crate) async fn require_operator(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let need = permissions::need(&template).ok_or_else(|| {
        ApiError::Forbidden(format!(
            "No permission is recorded for {template}, so nobody may call it"
        ))
    })?;
    let operator = authenticate(&state, req.method(), req.uri().path(), req.headers()).await?;
    if let Need::Grant(resource) = need
        && let Err(refused) = operator.require(resource, permissions::action(req.method()))
    {
        tracing::warn!(actor = %operator.actor, route = %template, "operator refused");
        return Err(refused);
    }
    req.extensions_mut().insert(operator);
    Ok(next.run(req).await)
}

/// The CSRF header a cookie-authenticated change must carry (the console's forms send the
/// token as a form field, which the console's own guard checks).
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// Who is acting: the Bearer credential when one is sent (the configured admin token or an API
/// token), else the console session's cookie. A change made with the cookie must echo the
/// session's CSRF token: a cross-site form can send the cookie but never read the token.
async fn authenticate(
    state: &AppState,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Result<Operator, ApiError> {
    if let Some(given) = bearer(headers) {
        if is_admin_token(state, given) {
            return Ok(Operator::configured_token());
        }
        if let Some(operator) = tokens::authenticate(state, given).await? {
            return Ok(operator);
        }
        tracing::warn!(%method, path, "admin token refused");
        return Err(ApiError::Forbidden(
            "The admin token is not valid (revoked, mistyped or never created)".to_owned(),
        ));
    }
    let Some(current) = sessions::current(state, headers).await? else {
        return Err(ApiError::Unauthorized(
            "Sign in (POST /api/admin/sign-in) or send an API token as Bearer".to_owned(),
        ));
    };
    if permissions::action(method) == Action::Write {
        let sent = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !same_secret(sent, &current.csrf) {
            tracing::warn!(actor = %current.operator.actor, path, "CSRF token missing or wrong");
            return Err(ApiError::Forbidden(format!(
                "A change made with the session cookie must carry the session's CSRF token in {CSRF_HEADER}"
            )));
        }
    }
    Ok(current.operator)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

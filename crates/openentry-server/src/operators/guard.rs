//! The guard in front of every management route: find who is acting, then check the route's
//! need (`permissions`) against their role. The handler sees the [`Operator`] it let through.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::Operator;
use super::permissions::{self, Need};
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
    let operator = authenticate(&state, &req)?;
    if let Need::Grant(resource) = need
        && let Err(refused) = operator.require(resource, permissions::action(req.method()))
    {
        tracing::warn!(actor = %operator.actor, route = %template, "operator refused");
        return Err(refused);
    }
    req.extensions_mut().insert(operator);
    Ok(next.run(req).await)
}

/// Who is acting: the Bearer credential when one is sent.
fn authenticate(state: &AppState, req: &Request) -> Result<Operator, ApiError> {
    let Some(given) = bearer(req) else {
        return Err(ApiError::Unauthorized(
            "Send an API token (or OPENENTRY_ADMIN_TOKEN) as Bearer".to_owned(),
        ));
    };
    if is_admin_token(state, given) {
        return Ok(Operator::configured_token());
    }
    tracing::warn!(method = %req.method(), path = %req.uri().path(), "admin token refused");
    Err(ApiError::Forbidden(
        "The admin token is not valid".to_owned(),
    ))
}

fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

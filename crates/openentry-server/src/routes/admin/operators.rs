//! `/api/admin/operators`, `/api/admin/tokens` and `/api/admin/audit`: the people and tokens
//! that run the shop, and what they did.

use axum::extract::State;
use axum::routing::{delete, get, patch};
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_store::audit::AuditFilter;
use openentry_types::audit::{AuditEntry, CreatedToken, NewTokenBody, TokenView};
use openentry_types::operators::{NewOperatorBody, OperatorChange, OperatorView};
use serde::Deserialize;

use super::Page;
use crate::audit::{self, Change};
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::operators::{Operator, account_flows, tokens};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/operators", get(list).post(create))
        .route("/operators/{id}", patch(change).delete(remove))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
        .route("/audit", get(audit_log))
}

fn json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

#[utoipa::path(get, path = "/api/admin/operators",
    responses((status = 200, description = "Every admin account", body = Vec<OperatorView>)))]
pub(super) async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<OperatorView>>> {
    Ok(Json(account_flows::list(&state).await?))
}

#[utoipa::path(post, path = "/api/admin/operators", request_body = NewOperatorBody,
    responses((status = 200, description = "Created", body = OperatorView)))]
pub(super) async fn create(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(body): ApiJson<NewOperatorBody>,
) -> ApiResult<Json<OperatorView>> {
    let view = account_flows::create(&state, &op, body).await?;
    let target = format!("operators/{}", view.id);
    audit::record(
        &state,
        &op,
        Change {
            action: "create",
            resource: Resource::Admins,
            target,
            before: None,
            after: json(&view),
        },
    )
    .await?;
    Ok(Json(view))
}

#[utoipa::path(patch, path = "/api/admin/operators/{id}", params(("id" = i64, Path)),
    request_body = OperatorChange,
    responses((status = 200, description = "Changed", body = OperatorView)))]
pub(super) async fn change(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OperatorChange>,
) -> ApiResult<Json<OperatorView>> {
    let action = if body.password.is_some() {
        "reset"
    } else {
        "update"
    };
    let (before, after) = account_flows::change(&state, &op, id, body).await?;
    let target = format!("operators/{id}");
    audit::record(
        &state,
        &op,
        Change {
            action,
            resource: Resource::Admins,
            target,
            before: json(&before),
            after: json(&after),
        },
    )
    .await?;
    Ok(Json(after))
}

#[utoipa::path(delete, path = "/api/admin/operators/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "Deleted; the account as it was", body = OperatorView)))]
pub(super) async fn remove(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OperatorView>> {
    let before = account_flows::delete(&state, id).await?;
    let target = format!("operators/{id}");
    audit::record(
        &state,
        &op,
        Change {
            action: "delete",
            resource: Resource::Admins,
            target,
            before: json(&before),
            after: None,
        },
    )
    .await?;
    Ok(Json(before))
}

#[utoipa::path(get, path = "/api/admin/tokens",
    responses((status = 200, description = "Every API token, never its secret", body = Vec<TokenView>)))]
pub(super) async fn list_tokens(State(state): State<AppState>) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(tokens::list(&state).await?))
}

#[utoipa::path(post, path = "/api/admin/tokens", request_body = NewTokenBody,
    responses((status = 200, description = "Created; the only answer that shows the secret", body = CreatedToken)))]
pub(super) async fn create_token(
    State(state): State<AppState>,
    op: Operator,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> ApiResult<Json<CreatedToken>> {
    let created = tokens::create(&state, &op, &body).await?;
    let target = format!("tokens/{}", created.view.id);
    audit::record(
        &state,
        &op,
        Change {
            action: "create",
            resource: Resource::Admins,
            target,
            before: None,
            after: json(&created.view),
        },
    )
    .await?;
    Ok(Json(created))
}

#[utoipa::path(delete, path = "/api/admin/tokens/{id}", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked")))]
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    op: Operator,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<http::StatusCode> {
    tokens::revoke(&state, id).await?;
    let target = format!("tokens/{id}");
    audit::record(
        &state,
        &op,
        Change {
            action: "revoke",
            resource: Resource::Admins,
            target,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(http::StatusCode::NO_CONTENT)
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct AuditQuery {
    /// Only this actor (`admin:<login>`, `token:<name>`).
    actor: Option<String>,
    /// Only this resource.
    resource: Option<Resource>,
    /// Only this target (`products/shirt`).
    target: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/admin/audit", params(AuditQuery),
    responses((status = 200, description = "Newest first", body = Vec<AuditEntry>)))]
pub(super) async fn audit_log(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let filter = AuditFilter {
        actor: q.actor,
        resource: q.resource.map(|r| r.as_str().to_owned()),
        target: q.target,
    };
    let page = Page {
        offset: q.offset,
        limit: q.limit,
    }
    .paging();
    Ok(Json(audit::entries(&state, &filter, page).await?))
}

//! Admins (owners only): the operator accounts, created with a login, a role and a first
//! password, then given another role, blocked or unblocked, a new password (an operator who
//! forgot theirs) or their second factor removed (a lost authenticator), or deleted; the rule
//! that keeps one owner is the flow's (a 409 shown as a refusal). The same flows and audit
//! entries as `/api/admin/operators`. The API tokens on the same page are `super::api_tokens`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource, Role};
use openentry_types::audit::TokenView;
use openentry_types::operators::{NewOperatorBody, OperatorChange, OperatorView};

use super::guard::Form;
use super::orders::Choice;
use super::page::{self, Chrome, DoneQuery, OrFail};
use super::sessions::Current;
use crate::audit::{self, Change};
use crate::error::{ApiError, ApiResult};
use crate::operators::{account_flows, tokens};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/admins", get(list).post(create))
        .route("/admin/admins/{id}/role", post(set_role))
        .route("/admin/admins/{id}/block", post(set_blocked))
        .route("/admin/admins/{id}/password", post(reset_password))
        .route("/admin/admins/{id}/totp", post(totp_off))
        .route("/admin/admins/{id}/delete", post(remove))
        .merge(super::api_tokens::router())
}

/// One account with the role choices of its row.
struct Row {
    op: OperatorView,
    roles: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "console/admins.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    rows: Vec<Row>,
    tokens: Vec<TokenView>,
    roles: Vec<Choice>,
    done: Option<String>,
    may_write: bool,
}

/// The roles, `current` selected, named in the console's language.
pub(super) fn role_choices(chrome: &Chrome, current: Option<Role>) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|&r| Choice {
            value: r.as_str().to_owned(),
            label: chrome.name(r),
            selected: Some(r) == current,
        })
        .collect()
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<DoneQuery>,
) -> Response {
    async {
        let rows = account_flows::list(&state)
            .await?
            .into_iter()
            .map(|op| Row {
                roles: role_choices(&chrome, Some(op.role)),
                op,
            })
            .collect();
        Ok(page::ok(&ListPage {
            rows,
            tokens: tokens::list(&state).await?,
            roles: role_choices(&chrome, Some(Role::Editor)),
            done: q.done.filter(|d| !d.is_empty()),
            may_write: chrome.may(Resource::Admins, Action::Write),
            chrome: &chrome,
        }))
    }
    .await
    .or_fail(&chrome)
}

/// The role a form names.
pub(super) fn role_of(form: &Form) -> ApiResult<Role> {
    form.get("role")
        .and_then(|r| r.parse().ok())
        .ok_or_else(|| ApiError::BadRequest(format!("Choose a role: {}", Role::names())))
}

fn entry(
    action: &'static str,
    id: i64,
    before: Option<&OperatorView>,
    after: Option<&OperatorView>,
) -> Change {
    Change {
        action,
        resource: Resource::Admins,
        target: format!("operators/{id}"),
        before: before.and_then(|v| serde_json::to_value(v).ok()),
        after: after.and_then(|v| serde_json::to_value(v).ok()),
    }
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    async {
        let body = NewOperatorBody {
            login: form.get("login").unwrap_or_default().to_owned(),
            password: form.get("password").unwrap_or_default().to_owned(),
            role: role_of(&form)?,
        };
        let view = account_flows::create(&state, &current.operator, body).await?;
        let change = entry("create", view.id, None, Some(&view));
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see("/admin/admins?done=created"))
    }
    .await
    .or_fail(&chrome)
}

/// Applies `body` to the account `id` and records it as the API does (`reset` when it sets a
/// password, `update` otherwise).
async fn change(
    state: &AppState,
    current: &Current,
    id: i64,
    body: OperatorChange,
) -> ApiResult<Response> {
    let action = if body.password.is_some() {
        "reset"
    } else {
        "update"
    };
    let (before, after) = account_flows::change(state, &current.operator, id, body).await?;
    let change = entry(action, id, Some(&before), Some(&after));
    audit::record(state, &current.operator, change).await?;
    Ok(page::see("/admin/admins?done=changed"))
}

async fn set_role(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let body = OperatorChange {
            role: Some(role_of(&form)?),
            ..OperatorChange::default()
        };
        change(&state, &current, id, body).await
    }
    .await
    .or_fail(&chrome)
}

async fn set_blocked(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let body = OperatorChange {
            blocked: Some(form.get("blocked") == Some("true")),
            ..OperatorChange::default()
        };
        change(&state, &current, id, body).await
    }
    .await
    .or_fail(&chrome)
}

/// An owner sets another operator's password (every session of theirs ends).
async fn reset_password(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let body = OperatorChange {
            password: Some(form.get("password").unwrap_or_default().to_owned()),
            ..OperatorChange::default()
        };
        change(&state, &current, id, body).await
    }
    .await
    .or_fail(&chrome)
}

/// An owner removes an operator's second factor (their authenticator is lost); they sign in
/// with their password alone until they enrol again.
async fn totp_off(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
) -> Response {
    async {
        let body = OperatorChange {
            totp: Some(false),
            ..OperatorChange::default()
        };
        change(&state, &current, id, body).await
    }
    .await
    .or_fail(&chrome)
}

async fn remove(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
) -> Response {
    async {
        let before = account_flows::delete(&state, id).await?;
        let change = entry("delete", id, Some(&before), None);
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see("/admin/admins?done=deleted"))
    }
    .await
    .or_fail(&chrome)
}

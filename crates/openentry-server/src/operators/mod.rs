//! Operators: who is acting on `/api/admin` (a signed-in admin account, an API token, or the
//! configured `OPENENTRY_ADMIN_TOKEN`), what each route needs (`permissions`), and the guard
//! that checks both before a handler runs (`guard`).

pub(crate) mod account_flows;
pub mod accounts;
pub(crate) mod guard;
pub(crate) mod permissions;
pub(crate) mod sessions;
mod settings;
pub(crate) mod tokens;
pub(crate) mod totp;

pub use settings::OperatorSettings;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use openentry_domain::operators::{Action, Resource, Role, allows};

use crate::error::ApiError;

/// The operator a management request acts for; put into the request by the guard, so a
/// handler that takes it can only run behind the guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Operator {
    /// The admin account's id; `None` for API tokens and the configured admin token.
    pub(crate) account: Option<i64>,
    /// Who, as the audit log names them: `admin:<login>`, `token:<name>`, or
    /// `token:OPENENTRY_ADMIN_TOKEN`.
    pub(crate) actor: String,
    /// What the operator may do.
    pub(crate) role: Role,
}

impl Operator {
    /// The configured `OPENENTRY_ADMIN_TOKEN`: an owner-scoped token for automation.
    pub(crate) fn configured_token() -> Self {
        Self {
            account: None,
            actor: "token:OPENENTRY_ADMIN_TOKEN".to_owned(),
            role: Role::Owner,
        }
    }

    /// A signed-in admin account.
    pub(crate) fn account(id: i64, login: &str, role: Role) -> Self {
        Self {
            account: Some(id),
            actor: format!("admin:{login}"),
            role,
        }
    }

    /// Refuses what the operator's role does not allow (the guard already checked the
    /// route's own need; handlers call this for a second resource they touch).
    pub(crate) fn require(&self, resource: Resource, action: Action) -> Result<(), ApiError> {
        if allows(self.role, resource, action) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "The role {} may not {} {}; ask an owner for a role that may",
                self.role, action, resource
            )))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Self>().cloned().ok_or_else(|| {
            // Only reachable if a route was registered outside the guard: fail closed.
            ApiError::Unauthorized("Sign in as an operator first".to_owned())
        })
    }
}

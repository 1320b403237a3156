//! Bodies of the API-token and audit-log routes under `/api/admin`.

use serde::{Deserialize, Serialize};

use crate::operators::Role;

/// `POST /api/admin/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTokenBody {
    /// Unique name (the audit log names the token by it).
    pub name: String,
    /// Role.
    pub role: Role,
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TokenView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Who created it.
    pub created_by: String,
    /// Creation (RFC 3339).
    pub created_at: String,
    /// Last use (RFC 3339, to the minute).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<String>,
    /// Revocation (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// The answer to a creation: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedToken {
    /// The token as listed.
    #[serde(flatten)]
    pub view: TokenView,
    /// The secret to send as `Authorization: Bearer`.
    pub token: String,
}

/// One audit-log entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Id (the log's order).
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who (`admin:<login>`, `token:<name>`).
    pub actor: String,
    /// What was done (`create`, `update`, `delete`, or a verb such as `settle`).
    pub action: String,
    /// The resource (a permission-table name).
    pub resource: String,
    /// What, in the resource's terms (`products/shirt`, `orders/12`).
    pub target: String,
    /// The thing before the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    /// The thing after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
}

//! The operator side: roles, the resources they act on, and the bodies of the sign-in, session,
//! operator and API-token routes under `/api/admin` (docs/decisions.md, "Operators").

use serde::{Deserialize, Serialize};

crate::wire_names! {
    /// What an operator (a signed-in admin account or an API token) is allowed to do; the
    /// permission table is `openentry_domain::operators::allows`.
    pub enum Role: "role" {
        /// Everything, including operators, API tokens and project settings.
        Owner = "owner",
        /// Runs the shop: catalog, content, orders, payments, refunds, discounts, users,
        /// forms and events; reads settings and the audit log.
        Manager = "manager",
        /// Catalog, content, forms and files; nothing about money, people or operators.
        Editor = "editor",
        /// Orders, refunds, users and submissions; reads the catalog, content and payments.
        Support = "support",
    }
}

crate::wire_names! {
    /// What a management route acts on: each route under `/api/admin` names one resource and
    /// one action, and the role decides.
    pub enum Resource: "resource" {
        /// Products, product statuses, attribute sets.
        Catalog = "catalog",
        /// Pages, blocks, menus, locales, templates, previews, admins' public profiles,
        /// integration collections.
        Content = "content",
        /// Form definitions.
        Forms = "forms",
        /// What visitors sent through forms (moderation).
        Submissions = "submissions",
        /// Orders, their history and statuses, order storages.
        Orders = "orders",
        /// Payment accounts and payment sessions (settling cash sessions).
        Payments = "payments",
        /// Refund requests.
        Refunds = "refunds",
        /// Discounts, coupons, bonus ledgers.
        Discounts = "discounts",
        /// Shop users (customers).
        Users = "users",
        /// Uploaded files and media.
        Files = "files",
        /// Events, webhooks, deliveries, notifications, the outbox.
        Events = "events",
        /// Project settings, auth providers, app tokens, metrics.
        Settings = "settings",
        /// Operators and API tokens.
        Admins = "admins",
        /// The audit log.
        Audit = "audit",
    }
}

crate::wire_names! {
    /// Reading or changing a resource.
    pub enum Action: "action" {
        /// GET.
        Read = "read",
        /// Anything that changes state.
        Write = "write",
    }
}

/// `POST /api/admin/session`: an operator signs in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInBody {
    /// The operator's login.
    pub login: String,
    /// The operator's password.
    pub password: String,
    /// The current code of the operator's authenticator app, when a second factor is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

/// An operator as the management API shows it (never the password hash or TOTP secret).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OperatorView {
    /// Stored id.
    pub id: i64,
    /// Login (unique, case-insensitive).
    pub login: String,
    /// Role.
    pub role: Role,
    /// Whether a second factor (TOTP) is required at sign-in.
    pub totp: bool,
    /// A blocked operator cannot sign in and loses every session.
    pub blocked: bool,
    /// Creation time (RFC 3339).
    pub created_at: String,
}

/// The answer to a sign-in: the session itself travels in an HttpOnly cookie; the CSRF token
/// must come back in `X-CSRF-Token` with every change made with that cookie.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// Who signed in.
    pub operator: OperatorView,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends at the latest, whatever its use (RFC 3339).
    pub expires_at: String,
}

/// `GET /api/admin/me`: who the credential acts as.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeView {
    /// The audit log's name for the credential.
    pub actor: String,
    /// Its role.
    pub role: Role,
    /// The admin account, when the credential is a console session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<OperatorView>,
}

/// `POST /api/admin/operators`: a new admin account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewOperatorBody {
    /// Login (unique, case-insensitive).
    pub login: String,
    /// First password (the user-password policy applies).
    pub password: String,
    /// Role.
    pub role: Role,
}

/// `PATCH /api/admin/operators/{id}`: what to change; absent fields stay.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperatorChange {
    /// New role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Block (every session ends) or unblock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<bool>,
    /// A new password set by an owner (every session ends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// `false` removes the second factor (an owner resetting a lost authenticator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<bool>,
}

/// `PUT /api/admin/me/password`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordChange {
    /// The password now.
    pub current: String,
    /// The new one.
    pub new: String,
}

/// `POST /api/admin/me/totp`: a secret to enrol in an authenticator app (not active until
/// confirmed with `PUT`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TotpEnrolment {
    /// Base32 secret.
    pub secret: String,
    /// `otpauth://` URL (for a QR code).
    pub url: String,
}

/// `PUT /api/admin/me/totp`: turns the second factor on with the enrolled secret and its
/// current code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TotpConfirm {
    /// The secret from `POST /api/admin/me/totp`.
    pub secret: String,
    /// Its current code.
    pub code: String,
}

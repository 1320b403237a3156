//! Events of the users module: sign-up, one-time code requests and password changes. Their
//! payloads name the user and the provider only: never a code, a password or an address (the
//! outbox is read by the relay, and its rows go to webhooks as they are).

use serde::{Deserialize, Serialize};

/// `user.signed_up` and `user.password_changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserEvent {
    /// The user.
    pub user_id: i64,
    /// The marker of the user's auth provider.
    pub provider: String,
}

/// `user.code_requested`: a one-time code was made for a user (the code itself is not here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CodeRequested {
    /// What the code is for: the client's `eventIdentifier` (`reg` at sign-up).
    pub event: String,
    /// The marker of the user's auth provider.
    pub provider: String,
    /// The user.
    pub user_id: i64,
}

//! Users module: `/api/content/users/me` (docs/wire.md §6.4).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{AuthDataItem, NotificationData};

/// The signed-in user (`UserEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Integer id.
    pub id: i64,
    /// The login.
    pub identifier: String,
    /// Marker of the provider the user signed up with.
    pub auth_provider_identifier: String,
    /// Form data as `{"<lang>": [items]}`.
    pub form_data: Value,
    /// The sign-up form's marker.
    pub form_identifier: String,
    /// Wire quirk: a STRING (`"0"`); the SDK's schema refuses a number.
    pub total: String,
    /// Group markers.
    pub groups: Vec<String>,
    /// Free-form client state.
    pub state: Value,
    /// Notification addresses.
    pub notification_data: NotificationData,
}

/// Body of `updateUser`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    /// The user's form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_identifier: Option<String>,
    /// Login or password changes (refused: they need a code, see `changePassword`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_data: Option<Vec<AuthDataItem>>,
    /// New form data (replaces the stored fields it names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_data: Option<Value>,
    /// New notification addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_data: Option<NotificationData>,
    /// New client state (replaces the old one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Value>,
    /// The caller's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang_code: Option<String>,
}

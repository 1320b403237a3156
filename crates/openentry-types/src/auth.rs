//! AuthProvider module: `/api/content/users-auth-providers` (docs/wire.md §6.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::localized::LocalizeInfos;

/// One `{marker, value}` entry of `authData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthDataItem {
    /// Marker of the form field (`email_reg`, `password_reg`, ...).
    pub marker: String,
    /// The value the user typed.
    pub value: String,
}

/// Body of `signUp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignUpRequest {
    /// The provider's sign-up form; defaults to the provider's own form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_identifier: Option<String>,
    /// Login and password.
    #[serde(default)]
    pub auth_data: Vec<AuthDataItem>,
    /// Other form fields, usually `{"en_US": [items]}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_data: Option<Value>,
    /// Where notifications go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_data: Option<NotificationData>,
    /// The caller's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang_code: Option<String>,
}

/// `notificationData` of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotificationData {
    /// E-mail address for notifications.
    #[serde(default)]
    pub email: String,
    /// Push tokens.
    #[serde(default)]
    pub phone_push: Vec<String>,
    /// Phone number for SMS; omitted when empty (the SDK deletes an empty one too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_sms: Option<String>,
}

/// Body of `auth`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthRequest {
    /// Login and password.
    #[serde(default)]
    pub auth_data: Vec<AuthDataItem>,
}

/// Answer of `auth` and `refresh`: exactly these four keys (the SDK's strict schema).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    /// The user's login.
    pub user_identifier: String,
    /// The provider marker.
    pub auth_provider_identifier: String,
    /// A signed JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// An opaque single-use token for `refresh`.
    pub refresh_token: String,
}

/// Body of `refresh` and `logout`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    /// The refresh token; absent when the SDK holds none (it then sends `{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Body of `generateCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GenerateCodeRequest {
    /// The user's login.
    #[serde(default)]
    pub user_identifier: String,
    /// What the code is for (e.g. `reg`, `password`).
    #[serde(default)]
    pub event_identifier: String,
}

/// Body of `checkCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CheckCodeRequest {
    /// The user's login.
    #[serde(default)]
    pub user_identifier: String,
    /// The event the code was generated for.
    #[serde(default)]
    pub event_identifier: String,
    /// The code the user received.
    #[serde(default)]
    pub code: String,
}

/// Body of `activateUser`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActivateRequest {
    /// The user's login.
    #[serde(default)]
    pub user_identifier: String,
    /// The code the user received.
    #[serde(default)]
    pub code: String,
}

/// Body of `changePassword`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    /// The user's login.
    #[serde(default)]
    pub user_identifier: String,
    /// The event the code was generated for.
    #[serde(default)]
    pub event_identifier: String,
    /// The code the user received.
    #[serde(default)]
    pub code: String,
    /// 1 = change, 2 = recovery (both need a code here).
    #[serde(default, rename = "type")]
    pub kind: Option<i64>,
    /// The new password.
    #[serde(default)]
    pub password1: String,
    /// The new password again.
    #[serde(default)]
    pub password2: String,
}

/// An auth provider (`AuthProviderEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthProvider {
    /// Integer id.
    pub id: i64,
    /// The marker (`email`).
    pub identifier: String,
    /// `email` (password sign-in).
    #[serde(rename = "type")]
    pub kind: String,
    /// The sign-up form's marker.
    pub form_identifier: Option<String>,
    /// Group that new users join.
    pub user_group_identifier: String,
    /// Whether sign-in is open.
    pub is_active: bool,
    /// Whether new users must confirm a one-time code before they can sign in.
    pub is_check_code: bool,
    /// Bumped on every change of the definition.
    pub version: i64,
    /// Localized titles.
    pub localize_infos: LocalizeInfos,
    /// Public settings as strings (token lifetimes, code settings); never secrets.
    pub config: BTreeMap<String, Value>,
}

/// A user as returned by `signUp` (`SignUpResponseSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SignUpResponse {
    /// Integer id.
    pub id: i64,
    /// Last change.
    pub updated_date: String,
    /// Bumped on every change.
    pub version: i64,
    /// The login.
    pub identifier: String,
    /// False until activated, for providers that check codes.
    pub is_active: bool,
    /// Form data as `{"<lang>": [items]}`.
    pub form_data: Value,
    /// Notification addresses.
    pub notification_data: NotificationData,
    /// The user's language.
    pub locale: String,
    /// Creation time.
    pub created_date: String,
    /// Always false for a user that can be returned.
    pub is_deleted: bool,
}

/// Device information of a session (from `x-device-metadata`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceInfo {
    /// Operating system.
    #[serde(default)]
    pub os: String,
    /// Browser or runtime.
    #[serde(default)]
    pub browser: String,
    /// Locale or place.
    #[serde(default)]
    pub location: String,
}

/// One active session (`getActiveSessionsByMarker`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActiveSession {
    /// Session id.
    pub id: i64,
    /// The device that signed in.
    pub device_info: DeviceInfo,
    /// When the session started.
    pub created_date: String,
    /// Whether this is the session of the calling access token.
    pub is_current: bool,
}

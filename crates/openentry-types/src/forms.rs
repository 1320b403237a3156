//! Forms wire types: `/api/content/forms` (docs/wire.md §6.7).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::localized::LocalizeInfos;

/// A form (`FormEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Form {
    /// The stored integer id.
    pub id: i64,
    /// Marker (`reg`).
    pub identifier: String,
    /// `{"<lang>": {"title": …}}`.
    pub localize_infos: LocalizeInfos,
    /// Bumped when the definition of the form changes.
    pub version: i64,
    /// Place in lists.
    pub position: i64,
    /// How submissions are processed; always `async`.
    pub processing_type: String,
    /// The form kind: `sign_up`, `order` or `data`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Always `null`: fields live in the form itself.
    pub attribute_set_id: Option<i64>,
    /// Always `null`.
    pub template_id: Option<i64>,
    /// The fields in display order. Wire quirk: never `null` (the SDK's post-processing
    /// crashes on `"attributes": null`).
    pub attributes: Vec<FormAttribute>,
}

/// Answer of `getAllForms`: an envelope, not an array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormList {
    /// How many forms the project has.
    pub total: usize,
    /// The forms of the requested page.
    pub items: Vec<Form>,
}

/// A form field as the SDK describes it. The role flags are always booleans (the SDK turns
/// `null` flags into `false` anyway).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormAttribute {
    /// Marker (`email_reg`).
    pub marker: String,
    /// Value type (`string`, `integer`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// 1-based place in the form.
    pub position: i64,
    /// Always `true`.
    pub is_visible: bool,
    /// `{"<lang>": {"title": …}}`.
    pub localize_infos: LocalizeInfos,
    /// Always `null` (no defaults are defined).
    pub initial_value: Value,
    /// Always `[]`.
    pub list_titles: Vec<Value>,
    /// Checks applied to submitted values.
    pub validators: FormValidators,
    /// Always `{}`.
    pub settings: serde_json::Map<String, Value>,
    /// Always `[]` (the SDK turns it into an object keyed by marker).
    pub additional_fields: Vec<Value>,
    /// The login of a sign-up form.
    pub is_login: bool,
    /// Part of a sign-up form.
    pub is_sign_up: bool,
    /// The password of a sign-up form.
    pub is_password: bool,
    /// Required at sign-up.
    pub is_sign_up_required: bool,
    /// Holds the address e-mail notifications go to.
    pub is_notification_email: bool,
    /// Holds push tokens; always `false`.
    pub is_notification_phone_push: bool,
    /// Holds the SMS number; always `false`.
    #[serde(rename = "isNotificationPhoneSMS")]
    pub is_notification_phone_sms: bool,
}

/// `validators` of a form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormValidators {
    /// Whether the field must be filled.
    pub required_validator: RequiredValidator,
    /// Present (as `true`) when the value must be an e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_inspection_validator: Option<bool>,
}

/// `requiredValidator` of a form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequiredValidator {
    /// `true` when the field is required.
    pub strict: bool,
}

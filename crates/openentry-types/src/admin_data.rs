//! What operators read of users' data under `/api/admin` (users, refunds, submissions,
//! uploads, bonus ledgers). OpenEntry's own shapes, not the SDK's.

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

use crate::form_data::{FormDataItem, SubmissionStatus};
use crate::orders::RefundRequest;

/// A user in the operators' list (`GET /api/admin/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminUser {
    /// Id.
    pub id: i64,
    /// Login as entered.
    pub identifier: String,
    /// The auth provider's identifier.
    pub provider: String,
    /// Activated.
    pub is_active: bool,
    /// Blocked by an operator (sign-in, refresh and access tokens refused).
    pub blocked: bool,
    /// Since when (RFC 3339), when blocked.
    pub blocked_at: Option<String>,
    /// Signed up (RFC 3339).
    pub created_at: String,
}

/// A page of users, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUsers {
    /// The page.
    pub items: Vec<AdminUser>,
    /// Users matching in all.
    pub total: i64,
}

/// One user with their form data and bonus balance (`GET /api/admin/users/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminUserDetail {
    /// The list's fields.
    #[serde(flatten)]
    pub user: AdminUser,
    /// The sign-up form.
    pub form_identifier: String,
    /// `{"<lang>": [items]}` as the user last saved it.
    pub form_data: Value,
    /// Where messages go.
    pub notification_data: Value,
    /// Language at sign-up.
    pub locale: String,
    /// Bonus points.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub bonus_balance: Number,
}

/// The body of `PATCH /api/admin/users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserChange {
    /// Block (`true`) or lift the block (`false`).
    pub blocked: bool,
}

/// The answer of `POST /api/admin/users/{id}/reset`: a code went to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResetSent {
    /// The `eventIdentifier` the user's `changePassword` names with the code.
    pub event_identifier: String,
    /// Where the code went.
    pub sent_to: String,
}

/// A page of refund requests across orders (`GET /api/admin/refunds`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminRefunds {
    /// The page, newest first.
    pub items: Vec<RefundRequest>,
    /// Requests matching in all.
    pub total: i64,
}

/// A submission as operators see it (`GET /api/admin/form-data`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminSubmission {
    /// Id.
    pub id: i64,
    /// The form's identifier.
    pub form_identifier: String,
    /// Moderation status.
    pub status: SubmissionStatus,
    /// The sender (`null`: anonymous).
    pub user_id: Option<i64>,
    /// The sender's login.
    pub user_identifier: Option<String>,
    /// Sent by an operator.
    pub is_user_admin: bool,
    /// The entity it is about.
    pub entity_identifier: String,
    /// The submission it replies to.
    pub parent_id: Option<i64>,
    /// Language.
    pub lang: String,
    /// The fields.
    pub form_data: Vec<FormDataItem>,
    /// Sent (RFC 3339).
    pub created_at: String,
}

/// A page of submissions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminSubmissions {
    /// The page.
    pub items: Vec<AdminSubmission>,
    /// Submissions matching in all.
    pub total: i64,
}

/// An uploaded file (`GET /api/admin/files`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminFile {
    /// Id.
    pub id: i64,
    /// `user:<id>` or `addr:<address>`.
    pub owner: String,
    /// The owning user.
    pub user_id: Option<i64>,
    /// The store key (`filename` of the SDK's `getFile`).
    pub filename: String,
    /// The uploaded name.
    pub name: String,
    /// Bytes.
    pub size: i64,
    /// The type read from the content.
    pub content_type: String,
    /// Uploaded (RFC 3339).
    pub created_at: String,
}

/// A page of uploads, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminFiles {
    /// The page.
    pub items: Vec<AdminFile>,
    /// Uploads in all.
    pub total: i64,
}

/// One entry of a user's bonus ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BonusEntry {
    /// Id.
    pub id: i64,
    /// Signed points.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub amount: Number,
    /// `ACCRUAL`, `USAGE`, `REDUCE`, `REVERSAL_ACCRUAL`, `REVERSAL_USAGE`, `EXPIRATION`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The discount that accrued or reversed them (`""`: none).
    pub discount: String,
    /// The order.
    pub order_id: Option<i64>,
    /// The operator's reason.
    pub comment: Option<String>,
    /// Written by an operator.
    pub is_admin: bool,
    /// When (RFC 3339).
    pub created_at: String,
    /// When the points expire (RFC 3339).
    pub expires_at: Option<String>,
}

/// A user's bonus ledger, oldest first, and balance (`GET /api/admin/users/{id}/bonus`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BonusLedger {
    /// Points.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub balance: Number,
    /// The entries.
    pub entries: Vec<BonusEntry>,
}

/// A file an operator put in the media store (`POST /api/admin/media`), for the definition to
/// name: an image attribute's value is `{key, filename, size, content_type, width, height}`,
/// a product's `preview_image` the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminMedia {
    /// The store key, `<content hash>/<sanitized name>`.
    pub key: String,
    /// Where browsers read it (`<public URL>/media/<key>`).
    pub url: String,
    /// The sanitized file name.
    pub filename: String,
    /// Bytes.
    pub size: u64,
    /// The type read from the content.
    pub content_type: String,
    /// Pixel width of an image.
    pub width: Option<u32>,
    /// Pixel height of an image.
    pub height: Option<u32>,
}

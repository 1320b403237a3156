//! Form data items (`{marker, type, value}`), the shapes the SDK wraps them in, and the
//! bodies of the FormData module (`/api/content/form-data`, docs/wire.md §6.8).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One submitted form field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormDataItem {
    /// The field's marker in the form.
    pub marker: String,
    /// The field's type as the client states it (`string`, `integer`, ...).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The value; its JSON type depends on the field type.
    #[serde(default)]
    pub value: Value,
}

/// Why a `formData` value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormDataShapeError(pub String);

/// Reads `formData` in every shape the SDK sends it: `{"en_US": [items]}` (what `createOrder`,
/// `signUp` and `updateUser` send), a bare list, or a single item.
///
/// Wire quirk: a missing `formData` reaches the server as `{"en_US":[null]}` and a reused body
/// object as `{"en_US":[{"en_US":[...]}]}`; `null` entries are dropped and nested wrappers are
/// unwrapped, so both mean what the caller meant.
pub fn read_form_data(value: &Value, lang: &str) -> Result<Vec<FormDataItem>, FormDataShapeError> {
    let mut items = Vec::new();
    collect(value, lang, &mut items, 0)?;
    Ok(items)
}

fn collect(
    value: &Value,
    lang: &str,
    out: &mut Vec<FormDataItem>,
    depth: u8,
) -> Result<(), FormDataShapeError> {
    if depth > 4 {
        return Err(FormDataShapeError(
            "formData is nested too deeply".to_owned(),
        ));
    }
    match value {
        Value::Null => Ok(()),
        Value::Array(list) => list
            .iter()
            .try_for_each(|v| collect(v, lang, out, depth + 1)),
        Value::Object(map) if map.contains_key("marker") => {
            let item = serde_json::from_value(value.clone()).map_err(|e| {
                FormDataShapeError(format!("formData item is not {{marker, type, value}}: {e}"))
            })?;
            out.push(item);
            Ok(())
        }
        Value::Object(map) => {
            let inner = map
                .get(lang)
                .or_else(|| (map.len() == 1).then(|| map.values().next()).flatten());
            match inner {
                Some(inner) => collect(inner, lang, out, depth + 1),
                None if map.is_empty() => Ok(()),
                None => Err(FormDataShapeError(format!(
                    "formData has no entry for language {lang}"
                ))),
            }
        }
        _ => Err(FormDataShapeError(
            "formData must be a list of {marker, type, value} items".to_owned(),
        )),
    }
}

crate::wire_names! {
    /// Where a submission stands in moderation.
    pub enum SubmissionStatus: "submission status" {
        /// Waiting for an operator (the status of new submissions to a moderated form).
        New = "new",
        /// Accepted: public forms show it.
        Approved = "approved",
        /// Refused by an operator: shown to nobody but its author and operators.
        Rejected = "rejected",
    }
}

/// Body of `postFormsData`. Values whose JSON type varies between storefronts (numbers or
/// strings for ids) are read as JSON and checked by the server.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PostFormDataRequest {
    /// Marker of the form.
    #[serde(default)]
    pub form_identifier: String,
    /// The module configuration the submission belongs to (`formModuleConfigId`).
    #[serde(default)]
    pub form_module_config_id: Value,
    /// The entity the submission is about (a product id for reviews).
    #[serde(default)]
    pub module_entity_identifier: Value,
    /// Wire quirk: documented as a reply-to address, but OneEntry's shop template sends the id
    /// of the review a comment answers here; a numeric value names the parent.
    #[serde(default)]
    pub replay_to: Value,
    /// The parent submission, for replies.
    #[serde(default)]
    pub parent_id: Value,
    /// The status the client asks for; the server decides the status (moderation).
    #[serde(default)]
    pub status: Value,
    /// `{"<lang>": [items]}` as the SDK wraps it, or a bare list.
    #[serde(default)]
    pub form_data: Value,
    /// The language of `formData` when it is a bare list.
    #[serde(default)]
    pub lang_code: Option<String>,
}

/// Body of `getFormsDataByMarker`: filters, each optional; empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormDataFilter {
    /// The entity the submissions are about (a string or a number).
    #[serde(default)]
    pub entity_identifier: Value,
    /// The author's login.
    #[serde(default)]
    pub user_identifier: Value,
    /// A status or a list of them.
    #[serde(default)]
    pub status: Value,
    /// Submitted at or after (a date or a date-time).
    #[serde(default)]
    pub date_from: Value,
    /// Submitted on or before (a date: the whole day; a date-time: that instant).
    #[serde(default)]
    pub date_to: Value,
}

/// Body of `updateFormsDataByid`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateFormDataRequest {
    /// The new form data (replaces the old), wrapped or bare.
    #[serde(default)]
    pub form_data: Value,
}

/// Body of `updateFormsDataStatusByid`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateStatusRequest {
    /// The new status.
    #[serde(default)]
    pub status: Value,
}

/// Answer of `postFormsData` (`PostFormResponseSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PostedFormData {
    /// The form's message for the sender.
    pub action_message: String,
    /// The stored submission.
    pub form_data: PostedEntry,
}

/// The stored submission in the answer of `postFormsData`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PostedEntry {
    /// Id.
    pub id: i64,
    /// Marker of the form.
    pub form_identifier: String,
    /// When it was submitted (RFC 3339).
    pub time: String,
    /// The entity it is about (`""` for none).
    pub entity_identifier: String,
    /// The sender's device fingerprint (`""` when the client sent none).
    pub fingerprint: String,
    /// Sent by an operator.
    pub is_user_admin: bool,
    /// The module configuration (`formModuleConfigId`).
    pub form_module_id: i64,
    /// The sender's login; `null` for anonymous senders.
    pub user_identifier: Option<String>,
    /// The submission it answers.
    pub parent_id: Option<i64>,
    /// The stored items, in the form's field order.
    pub form_data: Vec<FormDataItem>,
}

/// One submission in the answer of `getFormsDataByMarker` (`FormByMarkerDataEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormDataEntry {
    /// Id.
    pub id: i64,
    /// The submission it answers. Wire quirk: always written, `null` for top-level ones
    /// (storefronts test `parentId === null`).
    pub parent_id: Option<i64>,
    /// Marker of the form.
    pub form_identifier: String,
    /// Replies above it (0 for top-level submissions).
    pub depth: i64,
    /// Never stored: always `null`.
    pub ip: Option<String>,
    /// The sender's fingerprint: only for the sender and operators, else `null`.
    pub fingerprint: Option<String>,
    /// Moderation status.
    pub status: SubmissionStatus,
    /// The sender's login: only for the sender and operators, else `null`.
    pub user_identifier: Option<String>,
    /// The stored items.
    pub form_data: Vec<FormDataItem>,
    /// Always `null`: fields live in the form.
    pub attribute_set_identifier: Option<String>,
    /// When it was submitted (RFC 3339).
    pub time: String,
    /// The entity it is about (`""` for none).
    pub entity_identifier: String,
    /// Sent by an operator.
    pub is_user_admin: bool,
    /// The module configuration.
    pub form_module_config_id: i64,
}

/// Answer of `getFormsDataByMarker`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormDataList {
    /// The submissions of the page, newest first.
    pub items: Vec<FormDataEntry>,
    /// How many match the filters.
    pub total: i64,
}

/// Answer of `updateFormsDataByid` (`UpdateFormsDataSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdatedFormData {
    /// Id.
    pub id: i64,
    /// Marker of the form.
    pub form_identifier: String,
    /// When it was submitted (RFC 3339).
    pub time: String,
    /// The stored items after the change.
    pub form_data: Vec<FormDataItem>,
    /// The owner's login.
    pub user_identifier: String,
    /// The entity it is about.
    pub entity_identifier: String,
    /// The submission it answers.
    pub parent_id: Option<i64>,
    /// The sender's fingerprint.
    pub fingerprint: Option<String>,
    /// Sent by an operator (never: operators do not own submissions).
    pub is_user_admin: bool,
    /// The module configuration.
    pub form_module_id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_shape_the_sdk_sends() {
        let item = json!({"marker": "name", "type": "string", "value": "N"});
        for shape in [
            json!({"en_US": [item.clone()]}),
            json!([item.clone()]),
            item.clone(),
            json!({"en_US": [{"en_US": [item.clone()]}]}),
        ] {
            let items = read_form_data(&shape, "en_US").unwrap();
            assert_eq!(items.len(), 1, "{shape}");
            assert_eq!(items[0].marker, "name");
        }
        assert!(
            read_form_data(&json!({"en_US": [null]}), "en_US")
                .unwrap()
                .is_empty()
        );
        assert!(read_form_data(&json!(5), "en_US").is_err());
    }
}

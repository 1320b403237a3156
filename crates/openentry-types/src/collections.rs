//! Bodies of the IntegrationCollections module (`/api/content/integration-collections`,
//! docs/wire.md §6.18).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::form_data::FormDataItem;
use crate::localized::LocalizeInfos;

/// A collection (`CollectionEntitySchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    /// Id.
    pub id: i64,
    /// Marker.
    pub identifier: Option<String>,
    /// The id of the form whose fields are the columns.
    pub form_id: Option<i64>,
    /// Title by locale.
    pub localize_infos: LocalizeInfos,
    /// Always `null`: the columns come from the form, not an attribute set.
    pub attribute_set_id: Option<i64>,
    /// The columns' markers, comma-separated, in the form's order.
    pub selected_attribute_markers: Option<String>,
}

/// A row (`CollectionRowSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CollectionRow {
    /// Id.
    pub id: i64,
    /// Written (RFC 3339).
    pub created_date: String,
    /// Last change (RFC 3339).
    pub updated_date: String,
    /// The collection's id.
    pub collection_id: Option<i64>,
    /// `{"<lang>": [items]}`: the values in the language asked for (the SDK unwraps it).
    pub form_data: BTreeMap<String, Vec<FormDataItem>>,
    /// What the row is about (`products`).
    pub entity_type: Option<String>,
    /// Which one.
    pub entity_id: Option<i64>,
    /// Always `null` (no attribute set).
    pub attribute_set_identifier: Option<String>,
}

/// A page of rows (`CollectionRowsResponseSchema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionRows {
    /// The rows.
    pub items: Vec<CollectionRow>,
    /// How many match.
    pub total: i64,
}

/// `{"valid": bool}` of `validateICollectionMarker`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionMarkerValidation {
    /// The marker names a collection.
    pub valid: bool,
}

/// Body of `createICollectionRow` and `updateICollectionRow`. The SDK sends it as the caller
/// built it, so every key is read as JSON and checked by the server; `null` keys are left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CollectionRowRequest {
    /// Marker of the collection's form (optional; when given it must be that form).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub form_identifier: Value,
    /// `{"<lang>": [items]}` or a bare list (then in `langCode`).
    #[serde(default)]
    pub form_data: Value,
    /// What the row is about (creating only).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub entity_type: Value,
    /// Which one (creating only).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub entity_id: Value,
}

/// A row as operators list it (`GET /api/admin/collections/{marker}/rows`): who wrote it too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminCollectionRow {
    /// Id.
    pub id: i64,
    /// The signed-in writer's id.
    pub user_id: Option<i64>,
    /// The signed-in writer's login.
    pub user_identifier: Option<String>,
    /// Written by an operator (`false` with no user: an anonymous visitor).
    pub by_operator: bool,
    /// What the row is about.
    pub entity_type: Option<String>,
    /// Which one.
    pub entity_id: Option<i64>,
    /// The values in the language asked for (or the fallback).
    pub form_data: Vec<FormDataItem>,
    /// Written (RFC 3339).
    pub created_date: String,
    /// Last change (RFC 3339).
    pub updated_date: String,
}

/// A page of rows for operators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminCollectionRows {
    /// The rows.
    pub items: Vec<AdminCollectionRow>,
    /// How many match.
    pub total: i64,
}

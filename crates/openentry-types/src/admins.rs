//! Admins wire types: `POST /api/content/admins/all` (`Admins.getAdminsInfo`).
//!
//! An admin's public profile (`AdminEntitySchema`). Only what the project marks public is ever
//! sent: the profile is content for storefronts (a team page, an author box), never an account.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One admin's public profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AdminEntity {
    /// The stored id.
    pub id: i64,
    /// Id of the attribute set of its values; `null` without one.
    pub attribute_set_id: Option<i64>,
    /// Marker.
    pub identifier: String,
    /// Marker of the attribute set of its values; `null` without one.
    pub attribute_set_identifier: Option<String>,
    /// Place in the list.
    pub position: Option<i64>,
    /// Index synchronisation flag of the platform; always `false` here.
    pub is_sync: bool,
    /// The public attribute values: `{"<lang>": {"<marker>": {type, value, …}}}`, in the
    /// requested language only (the schema wants the map by language; the SDK unwraps it).
    pub attribute_values: BTreeMap<String, BTreeMap<String, Value>>,
}

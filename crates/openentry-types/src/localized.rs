//! Localized maps: `{"en_US": {...}}` keyed by langCode.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A title in one locale, the usual content of `localizeInfos`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Title {
    /// The human-readable title.
    pub title: String,
}

/// `localizeInfos`: a map from langCode (`en_US`) to that locale's texts. The SDK unwraps the
/// entry of the requested language itself, so the server always sends the whole map.
pub type LocalizeInfos = BTreeMap<String, Title>;

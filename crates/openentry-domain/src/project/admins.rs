//! Admins' public profiles (`Admins.getAdminsInfo`): content a storefront shows about the
//! people who run the shop (a team page, an author box), defined in the project file.
//!
//! A profile is not an account: it has no login, password or e-mail of its own. Admin accounts
//! (a later issue) will be joined to profiles by `identifier` (docs/decisions.md, "Admins").
//! Only the attributes a profile lists in `public` are ever served; everything else in its
//! values stays in the definition.

use serde::{Deserialize, Serialize};

use super::check::{Problems, is_marker};
use super::check_content::check_values;
use super::{LocalizedValues, ProjectDefinition, Values};

fn yes() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_true(v: &bool) -> bool {
    *v
}

/// An admin's profile: `[[admins]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminDef {
    /// Marker (`admin1`); an admin account will be joined to its profile by it.
    pub identifier: String,
    /// Marker of the attribute set of its values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_set: Option<String>,
    /// Attribute values by marker.
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub values: Values,
    /// Per-locale attribute values.
    #[serde(default, skip_serializing_if = "LocalizedValues::is_empty")]
    pub localized_values: LocalizedValues,
    /// Markers of the attributes served to storefronts (and filterable); the rest are never
    /// sent. None by default: a value is public only when the project says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public: Vec<String>,
    /// Listed by `getAdminsInfo`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub visible: bool,
}

impl AdminDef {
    /// Whether the attribute `marker` may be served.
    pub fn is_public(&self, marker: &str) -> bool {
        self.public.iter().any(|m| m == marker)
    }
}

/// Checks `[[admins]]`: unique markers, known sets and attributes, and public markers that name
/// attributes of the profile's set.
pub(super) fn check_admins(def: &ProjectDefinition, p: &mut Problems) {
    let mut seen = std::collections::HashSet::new();
    for (i, a) in def.admins.iter().enumerate() {
        let at = format!("admins[{i}]");
        if !is_marker(&a.identifier) {
            p.add(
                format!("{at}.identifier"),
                format!(
                    "\"{}\" is not a valid marker (letters, digits, _ and -)",
                    a.identifier
                ),
            );
        }
        if !seen.insert(a.identifier.as_str()) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", a.identifier),
            );
        }
        let set = a.attribute_set.as_ref();
        check_values(def, p, &at, set, &a.values, &a.localized_values);
        let set = set.and_then(|s| def.attribute_set(s));
        for (j, m) in a.public.iter().enumerate() {
            if !set.is_some_and(|s| s.attributes.iter().any(|x| &x.marker == m)) {
                p.add(
                    format!("{at}.public[{j}]"),
                    format!("\"{m}\" is not an attribute of the admin's attribute_set"),
                );
            }
        }
    }
}

//! Integration collections (`[[collections]]`): named tables of rows whose columns are the fields
//! of a `collection` form, with who reads and who writes them. The rules that apply them are in
//! [`crate::collections`].

use serde::{Deserialize, Serialize};

use super::check::{Problems, is_marker};
use super::{FieldKind, FormKind, Localized, ProjectDefinition};

openentry_types::wire_names! {
    /// Who reads a collection's rows. Operators (the admin token) read every row.
    pub enum CollectionRead: "collection read mode" {
        /// Everyone, signed in or not (store locations).
        Public = "public",
        /// Every signed-in user reads every row.
        Users = "users",
        /// Each signed-in user reads the rows they wrote (the default: a wishlist).
        Own = "own",
        /// Nobody but operators.
        Operators = "operators",
    }
}

openentry_types::wire_names! {
    /// Who adds rows to a collection. A row belongs to whoever wrote it: a user changes and
    /// deletes only their own rows, operators any row.
    pub enum CollectionWrite: "collection write mode" {
        /// Everyone: signed-in users (who then own their rows) and anonymous visitors (whose
        /// rows nobody but operators changes afterwards), throttled like form submissions.
        Public = "public",
        /// Signed-in users.
        Users = "users",
        /// Nobody but operators (the default).
        Operators = "operators",
    }
}

// `wire_names!` owns the derive list, so the defaults are written by hand.
#[allow(clippy::derivable_impls)]
impl Default for CollectionRead {
    fn default() -> Self {
        Self::Own
    }
}

#[allow(clippy::derivable_impls)]
impl Default for CollectionWrite {
    fn default() -> Self {
        Self::Operators
    }
}

impl CollectionRead {
    /// Whether this is the default (`own`), which the definition does not write out.
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
    pub fn is_own(&self) -> bool {
        *self == Self::Own
    }
}

impl CollectionWrite {
    /// Whether this is the default (`operators`), which the definition does not write out.
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
    pub fn is_operators(&self) -> bool {
        *self == Self::Operators
    }
}

/// A collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionDef {
    /// Marker used in URLs (`store_locations`).
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// The `collection` form whose fields are the columns.
    pub form: String,
    /// Who reads the rows (`own`, the default; `public`; `users`; `operators`).
    #[serde(default, skip_serializing_if = "CollectionRead::is_own")]
    pub read: CollectionRead,
    /// Who adds rows (`operators`, the default; `users`; `public`).
    #[serde(default, skip_serializing_if = "CollectionWrite::is_operators")]
    pub write: CollectionWrite,
}

/// Checks the collections: unique markers, each naming a `collection` form whose fields a row can
/// hold (no login or password; phone numbers only in string fields).
pub(super) fn check_collections(def: &ProjectDefinition, p: &mut Problems) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, c) in def.collections.iter().enumerate() {
        let at = format!("collections[{i}]");
        if !is_marker(&c.identifier) {
            p.add(
                format!("{at}.identifier"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if seen.contains(&c.identifier.as_str()) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", c.identifier),
            );
        }
        seen.push(&c.identifier);
        for lang in c.title.keys() {
            if !def.project.locales.contains(lang) {
                p.add(
                    format!("{at}.title.{lang}"),
                    format!("\"{lang}\" is not one of project.locales"),
                );
            }
        }
        match def.form(&c.form) {
            None => p.add(
                format!("{at}.form"),
                format!("form \"{}\" is not defined in [[forms]]", c.form),
            ),
            Some(f) if f.kind != FormKind::Collection => p.add(
                format!("{at}.form"),
                format!(
                    "form \"{}\" has kind \"{}\", not collection",
                    f.identifier, f.kind
                ),
            ),
            Some(_) => {}
        }
    }
}

/// The field checks of a `collection` form (called for every form of that kind).
pub(super) fn check_collection_form(form: &super::FormDef, at: &str, p: &mut Problems) {
    for (j, field) in form.fields.iter().enumerate() {
        if field.login || field.password {
            p.add(
                format!("{at}.fields[{j}]"),
                "a collection form holds no login or password field (rows never store them)",
            );
        }
        if field.phone && field.kind != FieldKind::String {
            p.add(
                format!("{at}.fields[{j}].phone"),
                "only string fields hold phone numbers",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::{check, problems};
    use super::*;

    #[test]
    fn collections_are_checked_where_they_are_written() {
        let found = problems(
            r#"
            [[forms]]
            identifier = "contact"
            kind = "data"

            [[forms]]
            identifier = "place"
            kind = "collection"
            fields = [
              { marker = "secret", password = true },
              { marker = "count", type = "integer", phone = true },
            ]

            [[collections]]
            identifier = "bad marker"
            form = "missing"

            [[collections]]
            identifier = "shops"
            form = "contact"
            title = { de_DE = "Läden" }

            [[collections]]
            identifier = "shops"
            form = "place"
            "#,
        );
        let expected = [
            "forms[1].fields[0]: a collection form holds no login or password field (rows never store them)",
            "forms[1].fields[1].phone: only string fields hold phone numbers",
            "collections[0].identifier: use 1-64 letters, digits, `_` or `-`",
            "collections[0].form: form \"missing\" is not defined in [[forms]]",
            "collections[1].title.de_DE: \"de_DE\" is not one of project.locales",
            "collections[1].form: form \"contact\" has kind \"data\", not collection",
            "collections[2].identifier: \"shops\" is used twice",
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn defaults_are_safe_and_not_written_out() {
        let def: ProjectDefinition = toml::from_str(
            "[[forms]]\nidentifier = \"w\"\nkind = \"collection\"\n\
             [[collections]]\nidentifier = \"wishlist\"\nform = \"w\"",
        )
        .unwrap();
        assert_eq!(check(&def), Ok(()));
        let c = &def.collections[0];
        assert_eq!(
            (c.read, c.write),
            (CollectionRead::Own, CollectionWrite::Operators)
        );
        let written = toml::to_string(&def).unwrap();
        assert!(
            !written.contains("read") && !written.contains("write"),
            "{written}"
        );
        let typo = toml::from_str::<ProjectDefinition>(
            "[[collections]]\nidentifier = \"w\"\nform = \"w\"\nread = \"everyone\"",
        );
        assert!(typo.is_err());
    }
}

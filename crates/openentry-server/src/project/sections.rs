//! The sections of the project definition the management API edits one entry at a time
//! (`/api/admin/project/{section}`), as one table rather than a module per kind: each entry is
//! edited as JSON in its file's shape and the whole definition goes back through its own serde
//! types, so the body of an edit is validated by the same code as `project import`.

use openentry_domain::project::{ProjectDefinition, SECRET_MARKER};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};

/// A write-only field of an entry: answered as [`SECRET_MARKER`], kept when an edit sends the
/// marker or leaves the field out.
#[derive(Debug)]
pub(crate) struct Secret {
    /// The field (`token`).
    pub(crate) field: &'static str,
    /// A field that names the secret's source instead (`token_env`): an edit that gives it
    /// and leaves the secret out drops the stored secret.
    pub(crate) instead: Option<&'static str>,
}

/// One array of the definition.
#[derive(Debug)]
pub(crate) struct Section {
    /// Its URL segment (`product-statuses`).
    pub(crate) path: &'static str,
    /// Its key in the definition (`product_statuses`).
    pub(crate) field: &'static str,
    /// The field that names an entry, unique in the section (`id` of products).
    pub(crate) key: &'static str,
    /// Whether its entries hold values an import rewrites (media, rich text, page HTML).
    pub(crate) prepared: bool,
    /// Its write-only fields.
    pub(crate) secrets: &'static [Secret],
}

const fn section(path: &'static str, field: &'static str, key: &'static str) -> Section {
    Section {
        path,
        field,
        key,
        prepared: false,
        secrets: &[],
    }
}

const fn prepared(path: &'static str, field: &'static str, key: &'static str) -> Section {
    Section {
        prepared: true,
        ..section(path, field, key)
    }
}

/// Every editable section. Secrets: only app tokens hold one in the file; payment accounts and
/// webhooks name environment variables (`secret_key_env`, `secret_env`), which are not
/// secrets themselves.
pub(crate) const SECTIONS: &[Section] = &[
    prepared("products", "products", "id"),
    section("product-statuses", "product_statuses", "identifier"),
    prepared("attribute-sets", "attribute_sets", "identifier"),
    prepared("pages", "pages", "url"),
    prepared("blocks", "blocks", "identifier"),
    section("menus", "menus", "identifier"),
    prepared("locales", "locales", "code"),
    prepared("templates", "templates", "identifier"),
    prepared("template-previews", "template_previews", "identifier"),
    prepared("admins", "admins", "identifier"),
    section("collections", "collections", "identifier"),
    section("forms", "forms", "identifier"),
    section("order-storages", "order_storages", "identifier"),
    section("payment-accounts", "payment_accounts", "identifier"),
    section("discounts", "discounts", "identifier"),
    section("events", "events", "identifier"),
    section("webhooks", "webhooks", "identifier"),
    section("auth-providers", "auth_providers", "identifier"),
    Section {
        secrets: &[Secret {
            field: "token",
            instead: Some("token_env"),
        }],
        ..section("app-tokens", "app_tokens", "name")
    },
];

/// The section whose URL segment is `path` (`pages`).
pub(crate) fn by_path(path: &str) -> ApiResult<&'static Section> {
    SECTIONS
        .iter()
        .find(|s| s.path == path)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no section {path}")))
}

/// The definition as JSON, in its file's shape.
pub(crate) fn to_json(def: &ProjectDefinition) -> ApiResult<Value> {
    serde_json::to_value(def).map_err(|e| ApiError::Internal(e.into()))
}

/// Each section's field of the definition and the field that keys its entries, for the macros
/// below (a unit test holds it equal to [`SECTIONS`]).
macro_rules! with_sections {
    ($then:ident) => {
        $then!(
            products: id, product_statuses: identifier, attribute_sets: identifier,
            pages: url, blocks: identifier, menus: identifier, locales: code,
            templates: identifier, template_previews: identifier, admins: identifier,
            collections: identifier, forms: identifier, order_storages: identifier,
            payment_accounts: identifier, discounts: identifier, events: identifier,
            webhooks: identifier, auth_providers: identifier, app_tokens: name
        )
    };
}

/// Only `s`'s array of the definition as JSON (`{field: [...]}`, the shape [`to_json`] gives,
/// which [`Section::entries`] reads): reads serialize one section, not the whole definition,
/// of which a large catalog is most.
pub(crate) fn section_json(def: &ProjectDefinition, s: &Section) -> ApiResult<Value> {
    macro_rules! pick {
        ($($field:ident: $key:ident),*) => {
            match s.field {
                $(stringify!($field) => serde_json::to_value(&def.$field),)*
                other => return Err(ApiError::Internal(anyhow::anyhow!("no section {other}"))),
            }
        };
    }
    let items = with_sections!(pick).map_err(|e| ApiError::Internal(e.into()))?;
    let mut out = serde_json::Map::new();
    out.insert(s.field.to_owned(), items);
    Ok(Value::Object(out))
}

/// The entry `key` of section `s` as JSON, found by its typed key so only it is serialized.
pub(crate) fn entry_json(
    def: &ProjectDefinition,
    s: &Section,
    key: &str,
) -> ApiResult<Option<Value>> {
    macro_rules! find {
        ($($field:ident: $key:ident),*) => {
            match s.field {
                $(stringify!($field) => def
                    .$field
                    .iter()
                    .find(|e| key_is(&e.$key, key))
                    .map(serde_json::to_value)
                    .transpose(),)*
                other => return Err(ApiError::Internal(anyhow::anyhow!("no section {other}"))),
            }
        };
    }
    with_sections!(find).map_err(|e| ApiError::Internal(e.into()))
}

/// Whether a typed key reads as `key`, as [`Section::key_of`] reads one from JSON.
#[allow(clippy::cmp_owned)] // one comparison for text keys and number ids alike
fn key_is(k: &impl std::fmt::Display, key: &str) -> bool {
    k.to_string() == key
}

/// A definition from JSON, through its serde types (unknown fields refused): a 400 in serde's
/// words, which name the field.
pub(crate) fn from_json(v: Value) -> ApiResult<ProjectDefinition> {
    serde_json::from_value(v).map_err(|e| ApiError::BadRequest(format!("Not valid: {e}")))
}

/// Every write-only value of a whole definition replaced by the marker.
pub(crate) fn redact_all(def: &mut Value) {
    for s in SECTIONS.iter().filter(|s| !s.secrets.is_empty()) {
        if let Some(items) = def.get_mut(s.field).and_then(Value::as_array_mut) {
            items.iter_mut().for_each(|e| s.redact(e));
        }
    }
}

impl Section {
    /// Its entries in a definition's JSON.
    pub(crate) fn entries<'a>(&self, def: &'a Value) -> &'a [Value] {
        def.get(self.field)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// Its entries, to change; the array is created when the definition has none.
    pub(crate) fn entries_mut<'a>(&self, def: &'a mut Value) -> ApiResult<&'a mut Vec<Value>> {
        let obj = def
            .as_object_mut()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a definition is an object")))?;
        obj.entry(self.field)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("{} is an array", self.field)))
    }

    /// The key of an entry as text (`16`, `catalog`), `None` when it has none.
    pub(crate) fn key_of(&self, entry: &Value) -> Option<String> {
        match entry.get(self.key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// Where the entry named `key` is.
    pub(crate) fn position(&self, def: &Value, key: &str) -> Option<usize> {
        self.entries(def)
            .iter()
            .position(|e| self.key_of(e).as_deref() == Some(key))
    }

    /// The 404 of an unknown key.
    pub(crate) fn missing(&self, key: &str) -> ApiError {
        ApiError::NotFound(format!(
            "There is no {} with {} \"{key}\"",
            self.path, self.key
        ))
    }

    /// The entry with its write-only values replaced by the marker.
    pub(crate) fn redact(&self, entry: &mut Value) {
        for s in self.secrets {
            if let Some(v) = entry.get_mut(s.field).filter(|v| !v.is_null()) {
                *v = Value::String(SECRET_MARKER.to_owned());
            }
        }
    }

    /// Puts the stored write-only values back into an edit that sent the marker, or left the
    /// field out without naming another source.
    pub(crate) fn keep_secrets(&self, body: &mut Value, stored: &Value) {
        let Some(obj) = body.as_object_mut() else {
            return;
        };
        for s in self.secrets {
            let Some(old) = stored.get(s.field).filter(|v| !v.is_null()) else {
                continue;
            };
            let marker = obj.get(s.field).and_then(Value::as_str) == Some(SECRET_MARKER);
            let elsewhere = s.instead.is_some_and(|f| obj.contains_key(f));
            if marker || (!obj.contains_key(s.field) && !elsewhere) {
                obj.insert(s.field.to_owned(), old.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The macros' table names every section, with its key, and nothing else.
    #[test]
    fn the_typed_table_is_the_section_table() {
        macro_rules! names {
            ($($field:ident: $key:ident),*) => { vec![$((stringify!($field), stringify!($key))),*] };
        }
        let typed: Vec<(&str, &str)> = with_sections!(names);
        let table: Vec<(&str, &str)> = SECTIONS.iter().map(|s| (s.field, s.key)).collect();
        assert_eq!(typed, table);
    }

    /// Reading one section, or one entry, gives what the whole definition's JSON holds.
    #[test]
    fn one_section_or_entry_reads_as_the_whole_definition_does() {
        let def =
            crate::project::io::parse_definition("demo", crate::project::io::DEMO_PROJECT).unwrap();
        let whole = to_json(&def).unwrap();
        for s in SECTIONS {
            let one = section_json(&def, s).unwrap();
            assert_eq!(s.entries(&one), s.entries(&whole), "{}", s.field);
            for e in s.entries(&whole) {
                let key = s.key_of(e).unwrap();
                assert_eq!(entry_json(&def, s, &key).unwrap().as_ref(), Some(e));
            }
            assert_eq!(entry_json(&def, s, "no-such-key").unwrap(), None);
        }
    }

    #[test]
    fn every_section_is_a_field_of_the_definition() {
        for s in SECTIONS {
            let def = json!({ s.field: [] });
            assert!(
                serde_json::from_value::<ProjectDefinition>(def).is_ok(),
                "{}",
                s.field
            );
        }
    }

    #[test]
    fn every_section_has_its_own_permission() {
        use crate::operators::permissions::need;
        let whole = need("/api/admin/project");
        for s in SECTIONS {
            let template = format!("/api/admin/project/{}/{{key}}", s.path);
            let own = need(&format!("/api/admin/project/{}", s.path));
            assert_eq!(need(&template), own, "{template}");
            // Settings are the whole project's resource; only these two sections share it.
            if !["auth-providers", "app-tokens"].contains(&s.path) {
                assert_ne!(
                    own, whole,
                    "{} falls back to the whole project's entry",
                    s.path
                );
            }
        }
    }

    #[test]
    fn the_demo_survives_the_json_round_trip() {
        let def =
            crate::project::io::parse_definition("demo", crate::project::io::DEMO_PROJECT).unwrap();
        assert_eq!(from_json(to_json(&def).unwrap()).unwrap(), def);
    }

    #[test]
    fn secrets_are_answered_as_the_marker_and_kept_unless_replaced() {
        let s = SECTIONS.iter().find(|s| s.path == "app-tokens").unwrap();
        let stored = json!({"name": "shop", "token": "a-very-secret-token-123"});
        let mut answered = stored.clone();
        s.redact(&mut answered);
        assert_eq!(answered["token"], SECRET_MARKER);
        let mut edit = answered.clone();
        s.keep_secrets(&mut edit, &stored);
        assert_eq!(edit, stored);
        let mut left_out = json!({"name": "shop"});
        s.keep_secrets(&mut left_out, &stored);
        assert_eq!(left_out, stored);
        let mut moved = json!({"name": "shop", "token_env": "SHOP_TOKEN"});
        s.keep_secrets(&mut moved, &stored);
        assert_eq!(moved, json!({"name": "shop", "token_env": "SHOP_TOKEN"}));
        let mut replaced = json!({"name": "shop", "token": "another-secret-token-456"});
        s.keep_secrets(&mut replaced, &stored);
        assert_eq!(replaced["token"], "another-secret-token-456");
    }
}

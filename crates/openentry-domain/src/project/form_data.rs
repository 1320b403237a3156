//! What a data form's definition says about its submissions: who reads them, whether they are
//! moderated, the message senders get, and the submissions the definition itself holds (seed
//! reviews of a demo shop). The rules that apply them are in [`crate::form_data`].

use std::collections::BTreeMap;

use openentry_types::form_data::{FormDataItem, SubmissionStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::check::{Problems, is_marker};
use super::{FieldKind, FormDef, FormKind, ProjectDefinition};
use crate::clock::Timestamp;

openentry_types::wire_names! {
    /// Who may read a data form's submissions through `getFormsDataByMarker`. Operators (the
    /// admin token) read every submission of every form.
    pub enum FormRead: "form read mode" {
        /// Each signed-in user reads their own submissions; anonymous callers read nothing
        /// (the default: nobody sees what others sent).
        Own = "own",
        /// Everyone reads approved submissions (reviews); a signed-in user also reads their
        /// own, whatever their status.
        PublicApproved = "public_approved",
        /// Nobody but operators (contact messages).
        Operators = "operators",
    }
}

// `wire_names!` owns the derive list, so the default is written by hand.
#[allow(clippy::derivable_impls)]
impl Default for FormRead {
    fn default() -> Self {
        Self::Own
    }
}

impl FormRead {
    /// Whether this is the default (`own`), which the definition does not write out.
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
    pub fn is_own(&self) -> bool {
        *self == Self::Own
    }
}

/// A submission the definition holds (`[[forms.seed]]`): imported like the rest of the
/// definition, keyed by `key`, so importing the file again changes nothing and removing an
/// entry from the file removes it from the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedDef {
    /// Stable key within the form (`bag-review-1`).
    pub key: String,
    /// The entity it is about (`entityIdentifier`: a product id for reviews).
    #[serde(default)]
    pub entity: String,
    /// `formModuleConfigId`.
    #[serde(default)]
    pub module_config: i64,
    /// When it was written: RFC 3339 (`2026-05-02T10:00:00Z`) or a date (`2026-05-02`).
    pub time: String,
    /// Language of the values; the project's default locale when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Written by the shop (`isUserAdmin`), e.g. an answer to a review.
    #[serde(default)]
    pub operator: bool,
    /// Moderation status (approved: the shop wrote it into its own definition).
    #[serde(default = "approved")]
    pub status: SubmissionStatus,
    /// The key of an earlier entry of the same form this one answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Field values by marker, checked like a submission.
    #[serde(default)]
    pub values: BTreeMap<String, Value>,
}

fn approved() -> SubmissionStatus {
    SubmissionStatus::Approved
}

impl SeedDef {
    /// The entry's items as a submission would store them, or why they do not fit the form.
    pub fn items(
        &self,
        form: &super::FormDef,
    ) -> Result<Vec<FormDataItem>, crate::form_data::Refusal> {
        let given = self
            .values
            .iter()
            .map(|(marker, value)| FormDataItem {
                marker: marker.clone(),
                kind: String::new(),
                value: value.clone(),
            })
            .collect();
        crate::form_data::check_submission(form, given)
    }

    /// When it was written.
    pub fn timestamp(&self) -> Option<Timestamp> {
        crate::form_data::parse_instant(self.time.trim(), false)
    }
}

/// Checks what a form says about its submissions: only data forms take them, hold no login or
/// password fields, and their seed entries are valid submissions with unique keys.
pub(super) fn check_form(def: &ProjectDefinition, form: &FormDef, at: &str, p: &mut Problems) {
    if form.kind != FormKind::Data {
        let data_only = [
            ("read", !form.read.is_own()),
            ("moderation", !form.moderation),
            ("action_message", !form.action_message.is_empty()),
            ("seed", !form.seed.is_empty()),
        ];
        for (key, set) in data_only {
            if set {
                p.add(format!("{at}.{key}"), "only data forms take submissions");
            }
        }
        return;
    }
    for (j, field) in form.fields.iter().enumerate() {
        if field.login || field.password {
            p.add(
                format!("{at}.fields[{j}]"),
                "a data form holds no login or password field (submissions never store them)",
            );
        }
        if field.phone && field.kind != FieldKind::String {
            p.add(
                format!("{at}.fields[{j}].phone"),
                "only string fields hold phone numbers",
            );
        }
    }
    let mut keys: Vec<&str> = Vec::new();
    for (k, seed) in form.seed.iter().enumerate() {
        check_seed(def, form, seed, &keys, &format!("{at}.seed[{k}]"), p);
        keys.push(&seed.key);
    }
}

fn check_seed(
    def: &ProjectDefinition,
    form: &FormDef,
    seed: &SeedDef,
    earlier: &[&str],
    at: &str,
    p: &mut Problems,
) {
    if !is_marker(&seed.key) {
        p.add(format!("{at}.key"), "use 1-64 letters, digits, `_` or `-`");
    }
    if earlier.contains(&seed.key.as_str()) {
        p.add(
            format!("{at}.key"),
            format!("\"{}\" is used twice", seed.key),
        );
    }
    if seed.timestamp().is_none() {
        p.add(
            format!("{at}.time"),
            "use an RFC 3339 date-time (2026-05-02T10:00:00Z) or a date (2026-05-02)",
        );
    }
    if let Some(lang) = &seed.lang
        && !def.project.locales.contains(lang)
    {
        p.add(
            format!("{at}.lang"),
            format!("\"{lang}\" is not one of project.locales"),
        );
    }
    if let Err(e) = crate::form_data::token(&Value::String(seed.entity.clone()), "entity") {
        p.add(format!("{at}.entity"), e.message);
    }
    if seed.module_config < 0 {
        p.add(format!("{at}.module_config"), "use a whole number ≥ 0");
    }
    if let Some(parent) = &seed.reply_to
        && !earlier.contains(&parent.as_str())
    {
        p.add(
            format!("{at}.reply_to"),
            format!("\"{parent}\" is not the key of an earlier entry of this form"),
        );
    }
    if let Err(e) = seed.items(form) {
        let place = e
            .field
            .map_or_else(|| format!("{at}.values"), |f| format!("{at}.values.{f}"));
        p.add(place, e.message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::problems;
    use super::*;

    #[test]
    fn data_form_settings_and_seed_entries_are_checked_where_they_are_written() {
        let found = problems(
            r#"
            [[forms]]
            identifier = "order"
            kind = "order"
            read = "public_approved"

            [[forms]]
            identifier = "reviews"
            kind = "data"
            fields = [
              { marker = "secret", password = true },
              { marker = "count", type = "integer", phone = true },
              { marker = "text", type = "text", required = true },
            ]

            [[forms.seed]]
            key = "a"
            time = "May 2"
            lang = "de_DE"
            values = { text = "fine" }

            [[forms.seed]]
            key = "a"
            time = "2026-05-02"
            reply_to = "later"
            values = { count = "many" }
            "#,
        );
        let expected = [
            "forms[0].read: only data forms take submissions",
            "forms[1].fields[0]: a data form holds no login or password field (submissions never store them)",
            "forms[1].fields[1].phone: only string fields hold phone numbers",
            "forms[1].seed[0].time: use an RFC 3339 date-time (2026-05-02T10:00:00Z) or a date (2026-05-02)",
            "forms[1].seed[0].lang: \"de_DE\" is not one of project.locales",
            "forms[1].seed[1].key: \"a\" is used twice",
            "forms[1].seed[1].reply_to: \"later\" is not the key of an earlier entry of this form",
            "forms[1].seed[1].values.count: field \"count\" expects a whole number",
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn defaults_are_safe_and_not_written_out() {
        let def: ProjectDefinition =
            toml::from_str("[[forms]]\nidentifier = \"contact\"\nkind = \"data\"").unwrap();
        let form = &def.forms[0];
        assert_eq!((form.read, form.moderation), (FormRead::Own, true));
        let written = toml::to_string(&def).unwrap();
        assert!(
            !written.contains("read") && !written.contains("moderation"),
            "{written}"
        );
    }
}

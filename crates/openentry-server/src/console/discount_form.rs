//! The discount form: the fields of a `[[discounts]]` entry a person edits (kind, titles,
//! priority, window, value, applicability, cap, condition logic, user groups), shown from a
//! definition and written onto the entry's JSON. Amounts and percentages stay the text typed,
//! never a float: the definition's check reads them as exact decimals. Conditions, gifts and
//! exclusions are kept as they are (edited in the project file or through the API).

use openentry_domain::project::{ConditionLogic, DiscountDef};
use serde_json::{Value, json};

use super::guard::Form;
use super::orders::Choice;
use super::page::Chrome;
use super::settings::text;
use crate::error::{ApiError, ApiResult};

const KINDS: &[&str] = &["DISCOUNT", "BONUS", "PERSONAL_DISCOUNT"];
const VALUE_TYPES: &[&str] = &["PERCENT", "FIXED_AMOUNT", "FIXED_PRICE", "NONE"];
const APPLICABILITY: &[&str] = &["TO_PRODUCT", "TO_ORDER"];
const LOGIC: &[&str] = &["AND", "OR"];

/// The form's values.
pub(super) struct Fields {
    pub(super) identifier: String,
    /// (locale, title) for each locale of the project.
    pub(super) titles: Vec<(String, String)>,
    pub(super) position: String,
    pub(super) start: String,
    pub(super) end: String,
    pub(super) value: String,
    pub(super) max_amount: String,
    pub(super) user_groups: String,
    pub(super) kinds: Vec<Choice>,
    pub(super) value_types: Vec<Choice>,
    pub(super) applicability: Vec<Choice>,
    pub(super) logic: Vec<Choice>,
}

fn choices(chrome: &Chrome, all: &[&str], current: &str) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            value: v.to_owned(),
            label: chrome.name(v),
            selected: v == current,
        })
        .collect()
}

/// The fields of `d`, or of a new discount.
pub(super) fn fields(chrome: &Chrome, d: Option<&DiscountDef>, locales: &[String]) -> Fields {
    let title = |l: &str| d.and_then(|d| d.title.get(l)).cloned().unwrap_or_default();
    let logic = match d.map(|d| d.condition_logic) {
        Some(ConditionLogic::Or) => "OR",
        _ => "AND",
    };
    Fields {
        identifier: d.map(|d| d.identifier.clone()).unwrap_or_default(),
        titles: locales.iter().map(|l| (l.clone(), title(l))).collect(),
        position: d.map_or_else(|| "0".to_owned(), |d| d.position.to_string()),
        start: d.and_then(|d| d.start.clone()).unwrap_or_default(),
        end: d.and_then(|d| d.end.clone()).unwrap_or_default(),
        value: d.map(|d| d.value.clone()).unwrap_or_default(),
        max_amount: d.and_then(|d| d.max_amount.clone()).unwrap_or_default(),
        user_groups: d.map(|d| d.user_groups.join(", ")).unwrap_or_default(),
        kinds: choices(chrome, KINDS, d.map_or("DISCOUNT", |d| d.kind.wire())),
        value_types: choices(
            chrome,
            VALUE_TYPES,
            d.map_or("PERCENT", |d| d.value_type.wire()),
        ),
        applicability: choices(
            chrome,
            APPLICABILITY,
            d.map_or("TO_PRODUCT", |d| d.applicability.wire()),
        ),
        logic: choices(chrome, LOGIC, logic),
    }
}

/// Sets or removes an optional field.
fn optional(entry: &mut Value, field: &str, v: Option<String>) {
    if let Some(obj) = entry.as_object_mut() {
        match v {
            Some(v) => obj.insert(field.to_owned(), json!(v)),
            None => obj.remove(field),
        };
    }
}

/// Writes the form's fields onto `entry` (a discount as the file writes it).
pub(super) fn apply(form: &Form, entry: &mut Value, locales: &[String]) -> ApiResult<()> {
    let position = text(form, "position").unwrap_or_else(|| "0".to_owned());
    let position: i64 = position.parse().map_err(|_| {
        ApiError::BadRequest(format!("Priority: \"{position}\" is not a whole number"))
    })?;
    let mut titles = serde_json::Map::new();
    for l in locales {
        if let Some(t) = text(form, &format!("title.{l}")) {
            titles.insert(l.clone(), json!(t));
        }
    }
    let groups: Vec<&str> = form
        .get("user_groups")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .collect();
    entry["type"] = json!(form.get("type").unwrap_or("DISCOUNT"));
    entry["title"] = Value::Object(titles);
    entry["position"] = json!(position);
    entry["value_type"] = json!(form.get("value_type").unwrap_or("PERCENT"));
    entry["value"] = json!(text(form, "value").unwrap_or_default());
    entry["applicability"] = json!(form.get("applicability").unwrap_or("TO_PRODUCT"));
    entry["condition_logic"] = json!(form.get("condition_logic").unwrap_or("AND"));
    optional(entry, "start", text(form, "start"));
    optional(entry, "end", text(form, "end"));
    optional(entry, "max_amount", text(form, "max_amount"));
    if groups.is_empty() {
        optional(entry, "user_groups", None);
    } else {
        entry["user_groups"] = json!(groups);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::i18n::Lang;
    use openentry_domain::operators::Role;

    /// A role or a discount's choice without a written word would show its wire name.
    #[test]
    fn every_role_and_choice_has_a_word() {
        let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        for wire in [KINDS, VALUE_TYPES, APPLICABILITY, LOGIC, &roles].concat() {
            for lang in [Lang::En, Lang::Ar, Lang::Fr] {
                assert_ne!(lang.name(wire), wire, "no word for {wire}");
            }
        }
    }
}

//! Checking submitted form data against a form definition.

use openentry_domain::login;
use openentry_domain::project::{FieldDef, FieldKind, FormDef};
use openentry_types::form_data::FormDataItem;
use serde_json::Value;

use crate::error::ApiError;

/// Longest text value accepted in a form field.
const MAX_VALUE_CHARS: usize = 10_000;

/// Checks one field's value against its declared type.
fn check_value(field: &FieldDef, value: &Value) -> Result<(), String> {
    use FieldKind as K;
    // Structured values are the shapes the SDK's form types send: `{htmlValue, plainValue}`
    // texts, `{fullDate, formattedValue}` dates, file objects of `FileUploading`, intervals.
    let ok = match (field.kind, value) {
        (_, Value::Null)
        | (K::Float | K::Real, Value::Number(_))
        | (K::Boolean, Value::Bool(_))
        | (
            K::List | K::RadioButton,
            Value::String(_) | Value::Number(_) | Value::Array(_) | Value::Object(_),
        )
        | (
            K::Text | K::TextWithHeader | K::Date | K::DateTime | K::Time | K::Json,
            Value::Object(_),
        )
        | (K::Image | K::GroupOfImages | K::File, Value::Object(_) | Value::Array(_))
        | (K::Entity | K::Json | K::TimeInterval, Value::Array(_)) => true,
        (K::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (K::Integer, Value::String(s)) => s.trim().parse::<i64>().is_ok(),
        (K::Float | K::Real, Value::String(s)) => s.trim().parse::<f64>().is_ok_and(f64::is_finite),
        (
            K::String
            | K::Text
            | K::TextWithHeader
            | K::Date
            | K::DateTime
            | K::Time
            | K::Email
            | K::Entity
            | K::Json,
            Value::String(s),
        ) => s.chars().count() <= MAX_VALUE_CHARS,
        _ => false,
    };
    if !ok {
        return Err(format!(
            "field \"{}\" expects a value of type {}",
            field.marker, field.kind
        ));
    }
    if (field.email || field.kind == K::Email)
        && let Value::String(s) = value
        && !s.is_empty()
        && !login::is_email(s)
    {
        return Err(format!(
            "field \"{}\" must be an e-mail address",
            field.marker
        ));
    }
    Ok(())
}

/// Whether a value counts as filled in.
pub(crate) fn is_filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// Checks items against the form: every marker must exist, values must fit their types, and
/// fields in `skip` (login and password, which travel in `authData`) may not appear.
pub(crate) fn check_items(
    form: &FormDef,
    items: &[FormDataItem],
    skip: &[&str],
) -> Result<(), ApiError> {
    for item in items {
        let field = form
            .field(&item.marker)
            .filter(|f| !skip.contains(&f.marker.as_str()))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "Form \"{}\" has no field \"{}\" that can be set here",
                    form.identifier, item.marker
                ))
            })?;
        check_value(field, &item.value).map_err(ApiError::BadRequest)?;
    }
    Ok(())
}

/// Every required field must be filled, by `items` or by `present` (markers filled elsewhere).
pub(crate) fn check_required(
    form: &FormDef,
    items: &[FormDataItem],
    present: &[&str],
) -> Result<(), ApiError> {
    let missing: Vec<&str> = form
        .fields
        .iter()
        .filter(|f| f.required && !present.contains(&f.marker.as_str()))
        .filter(|f| {
            !items
                .iter()
                .any(|i| i.marker == f.marker && is_filled(&i.value))
        })
        .map(|f| f.marker.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "Required fields are missing: {}",
            missing.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use openentry_domain::project::Localized;

    use super::*;
    use serde_json::json;

    fn field(kind: &str) -> FieldDef {
        FieldDef {
            marker: "f".into(),
            kind: kind.parse().unwrap_or_default(),
            title: Localized::default(),
            required: false,
            login: false,
            password: false,
            notification_email: false,
            email: false,
        }
    }

    #[test]
    fn values_must_fit_their_type() {
        assert!(check_value(&field("integer"), &json!(5)).is_ok());
        assert!(check_value(&field("integer"), &json!("5")).is_ok());
        assert!(check_value(&field("integer"), &json!("five")).is_err());
        assert!(check_value(&field("string"), &json!(5)).is_err());
        assert!(check_value(&field("email"), &json!("a@b.co")).is_ok());
        assert!(check_value(&field("email"), &json!("nope")).is_err());
        assert!(check_value(&field("string"), &json!("x".repeat(10_001))).is_err());
    }

    #[test]
    fn attribute_type_names_take_the_sdks_shapes() {
        let ok = [
            (
                "text",
                json!({"htmlValue": "<p>Hi</p>", "plainValue": "Hi"}),
            ),
            (
                "dateTime",
                json!({"fullDate": "2026-11-30T10:00:00.000Z", "formattedValue": "30-11-2026 10:00"}),
            ),
            ("time", json!("10:00")),
            ("real", json!("2.5")),
            ("radioButton", json!("2")),
            (
                "image",
                json!([{"filename": "a.png", "downloadLink": "https://x/a.png", "size": 1}]),
            ),
            (
                "file",
                json!({"filename": "a.pdf", "downloadLink": "https://x/a.pdf", "size": 1}),
            ),
            ("entity", json!(["bags"])),
            ("json", json!({"a": 1})),
            (
                "timeInterval",
                json!([["2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z"]]),
            ),
        ];
        for (kind, v) in ok {
            assert!(check_value(&field(kind), &v).is_ok(), "{kind}: {v}");
        }
        for (kind, v) in [
            ("image", json!("a.png")),
            ("timeInterval", json!("10:00")),
            ("real", json!(true)),
        ] {
            assert!(check_value(&field(kind), &v).is_err(), "{kind}: {v}");
        }
    }
}

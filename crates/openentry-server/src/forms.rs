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
        | (K::Text | K::TextWithHeader | K::Time | K::Json, Value::Object(_))
        | (K::Image | K::GroupOfImages | K::File, Value::Object(_) | Value::Array(_))
        | (K::Entity | K::Json | K::TimeInterval, Value::Array(_)) => true,
        // Wire quirk: the SDK's date shape, `{fullDate, formattedValue, formatString}` (what
        // OneEntry's shop template sends for its delivery date).
        (K::Date | K::DateTime, Value::Object(m)) => {
            m.get("fullDate").is_some_and(Value::is_string)
        }
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

/// The login and password fields of a sign-up form, with the values the request proves.
pub(crate) struct Credentials<'a> {
    /// Marker of the login field.
    pub(crate) login_marker: &'a str,
    /// The login (from `authData` at sign-up, the stored one afterwards).
    pub(crate) login: &'a str,
    /// Marker of the password field.
    pub(crate) password_marker: &'a str,
    /// The password from `authData`; `None` where no password is given (profile updates).
    pub(crate) password: Option<&'a str>,
}

/// Takes the login and password fields out of submitted form data.
///
/// Wire quirk: storefronts repeat the credentials of `authData` in `formData` (OneEntry's shop
/// template sends `email_reg` and `password_reg` in both at sign-up, and the stored form data,
/// login included, with every profile update). The login there must be the same login
/// (compared as logins are, so case does not matter in an e-mail address) and a password the
/// same password, or empty; anything else is refused, so the two can never disagree. Both are
/// dropped: form data holds the login once, as the server writes it, and never a password.
pub(crate) fn take_credentials(
    items: Vec<FormDataItem>,
    creds: &Credentials<'_>,
) -> Result<Vec<FormDataItem>, ApiError> {
    let text = |item: &FormDataItem| match &item.value {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        _ => Err(ApiError::BadRequest(format!(
            "field \"{}\" expects a string",
            item.marker
        ))),
    };
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        if item.marker == creds.login_marker {
            let given = text(&item)?;
            if login::normalize(given.trim()) != login::normalize(creds.login) {
                return Err(ApiError::BadRequest(format!(
                    "formData's \"{}\" must be the login given in authData; the login cannot be changed here",
                    creds.login_marker
                )));
            }
        } else if item.marker == creds.password_marker {
            let given = text(&item)?;
            match creds.password {
                _ if given.is_empty() => {}
                Some(p) if p == given => {}
                Some(_) => {
                    return Err(ApiError::BadRequest(format!(
                        "formData's \"{}\" must be the password given in authData",
                        creds.password_marker
                    )));
                }
                None => {
                    return Err(ApiError::BadRequest(
                        "The password cannot be changed here; use changePassword with a one-time code".to_owned(),
                    ));
                }
            }
        } else {
            kept.push(item);
        }
    }
    Ok(kept)
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
        // A captcha's token is checked (and taken out) before; it is never stored.
        .filter(|f| f.kind != FieldKind::Spam)
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
            phone: false,
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
        let date = json!({"fullDate": "2026-12-01T00:00:00.000Z", "formattedValue": "Tue Dec 01 2026 00:00", "formatString": "YYYY-MM-DD"});
        assert!(check_value(&field("date"), &date).is_ok());
        assert!(check_value(&field("date"), &json!({"when": 1})).is_err());
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

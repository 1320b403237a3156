//! `spam` fields (captcha): a form that declares one wants every submission to carry a token
//! a captcha service issued, which the server has verified before it stores anything. The
//! token is never stored: it is taken out of the submission here.

use openentry_types::form_data::FormDataItem;
use serde_json::Value;

use super::Refusal;
use crate::project::{FieldKind, FormDef};

/// Longest captcha token accepted (reCAPTCHA, hCaptcha and Turnstile tokens are ~2 KB).
pub const MAX_SPAM_TOKEN_CHARS: usize = 8 * 1024;

/// The form's spam field, if it has one.
pub fn spam_field(form: &FormDef) -> Option<&str> {
    form.fields
        .iter()
        .find(|f| f.kind == FieldKind::Spam)
        .map(|f| f.marker.as_str())
}

/// The captcha token of a submission to `form`: `None` when the form has no spam field; a
/// refusal when it has one and the submission carries no usable token.
pub fn spam_token(form: &FormDef, items: &[FormDataItem]) -> Result<Option<String>, Refusal> {
    let Some(marker) = spam_field(form) else {
        return Ok(None);
    };
    let refuse = |why: &str| Refusal {
        field: Some(marker.to_owned()),
        message: format!("field \"{marker}\" {why}"),
    };
    let value = items.iter().find(|i| i.marker == marker).map(|i| &i.value);
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            let s = s.trim();
            if s.chars().count() > MAX_SPAM_TOKEN_CHARS || s.chars().any(char::is_control) {
                return Err(refuse(&format!(
                    "must be a captcha token of at most {MAX_SPAM_TOKEN_CHARS} characters"
                )));
            }
            Ok(Some(s.to_owned()))
        }
        Some(Value::String(_) | Value::Null) | None => Err(refuse(
            "is a captcha: send the token the captcha widget gave",
        )),
        Some(_) => Err(refuse("must be the captcha token, a string")),
    }
}

/// The submission without the form's spam fields (their tokens are never stored).
pub fn without_spam(form: &FormDef, items: Vec<FormDataItem>) -> Vec<FormDataItem> {
    items
        .into_iter()
        .filter(|i| {
            form.field(&i.marker)
                .is_none_or(|f| f.kind != FieldKind::Spam)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn form(fields: &str) -> FormDef {
        toml::from_str(&format!(
            "identifier = \"contact\"\nkind = \"data\"\nfields = [{fields}]"
        ))
        .unwrap()
    }

    fn item(marker: &str, value: Value) -> FormDataItem {
        FormDataItem {
            marker: marker.to_owned(),
            kind: "spam".to_owned(),
            value,
        }
    }

    #[test]
    fn the_token_is_required_read_and_never_kept() {
        let f = form(r#"{ marker = "text" }, { marker = "captcha", type = "spam" }"#);
        assert_eq!(spam_field(&f), Some("captcha"));
        let items = vec![item("text", json!("hi")), item("captcha", json!(" tok "))];
        assert_eq!(spam_token(&f, &items), Ok(Some("tok".to_owned())));
        let kept = without_spam(&f, items);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].marker, "text");
        for bad in [json!(""), json!(null), json!(5), json!("a\u{0}b")] {
            let r = spam_token(&f, &[item("captcha", bad.clone())]);
            assert!(
                r.is_err_and(|r| r.field.as_deref() == Some("captcha")),
                "{bad}"
            );
        }
        assert!(spam_token(&f, &[]).is_err());
        let long = "x".repeat(MAX_SPAM_TOKEN_CHARS + 1);
        assert!(spam_token(&f, &[item("captcha", json!(long))]).is_err());
        // A form without a spam field asks for nothing.
        assert_eq!(spam_token(&form(r#"{ marker = "text" }"#), &[]), Ok(None));
    }

    #[test]
    fn a_form_has_at_most_one_spam_field_with_no_other_role() {
        let def: crate::project::ProjectDefinition = toml::from_str(
            r#"
            [[forms]]
            identifier = "contact"
            kind = "data"
            fields = [
              { marker = "a", type = "spam" },
              { marker = "b", type = "spam", email = true },
            ]
            "#,
        )
        .unwrap();
        let errors: Vec<String> = crate::project::check(&def)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(errors.iter().any(|e| e == "forms[0].fields[1]: a spam (captcha) field holds a token only; it has no other role"), "{errors:?}");
        assert!(
            errors.iter().any(|e| e
                == "forms[0].fields: a form has at most one spam (captcha) field, this one has 2"),
            "{errors:?}"
        );
    }
}

//! Form data outside the FormData module: sign-up, profile updates and checkout. The same value
//! rules as submissions (`values.rs`), so a user's or an order's form data is bounded, typed and
//! free of HTML exactly like a review; which fields are required is the caller's question (a
//! profile update sends only what changes, a sign-up fills the login from `authData`).

use openentry_types::form_data::FormDataItem;

use super::{Refusal, shown, values};
use crate::project::FormDef;

/// The items with their values normalized and typed by the form, in the order given. Every
/// marker must be a field of the form outside `skip`, given once.
pub fn normalize_items(
    form: &FormDef,
    items: Vec<FormDataItem>,
    skip: &[&str],
) -> Result<Vec<FormDataItem>, Refusal> {
    let mut out: Vec<FormDataItem> = Vec::with_capacity(items.len());
    for item in items {
        let Some(field) = form
            .field(&item.marker)
            .filter(|f| !skip.contains(&f.marker.as_str()))
        else {
            return Err(Refusal {
                field: Some(shown(&item.marker, 64)),
                message: format!(
                    "Form \"{}\" has no field \"{}\" that can be set here",
                    form.identifier,
                    shown(&item.marker, 64)
                ),
            });
        };
        if out.iter().any(|o| o.marker == field.marker) {
            return Err(Refusal {
                field: Some(field.marker.clone()),
                message: format!("field \"{}\" is given twice", field.marker),
            });
        }
        out.push(FormDataItem {
            marker: field.marker.clone(),
            kind: field.kind.as_str().to_owned(),
            value: values::normalize(field, item.value)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn form() -> FormDef {
        toml::from_str(
            r#"
            identifier = "order"
            kind = "order"
            fields = [
              { marker = "name" },
              { marker = "mail", type = "email" },
              { marker = "note", type = "text" },
              { marker = "date", type = "date" },
              { marker = "count", type = "integer" },
              { marker = "photo", type = "image" },
              { marker = "slot", type = "timeInterval" },
              { marker = "password", password = true },
            ]
            "#,
        )
        .unwrap_or_else(|e| panic!("form: {e}"))
    }

    fn one(marker: &str, value: Value) -> Result<Value, String> {
        let item = FormDataItem {
            marker: marker.into(),
            kind: "string".into(),
            value,
        };
        normalize_items(&form(), vec![item], &["password"])
            .map(|mut v| v.remove(0).value)
            .map_err(|r| r.message)
    }

    #[test]
    fn the_sdks_shapes_are_taken_and_normalized() {
        assert_eq!(one("count", json!("5")), Ok(json!(5)));
        assert_eq!(
            one("note", json!(" 12 Lane\nLondon ")),
            Ok(json!("12 Lane\nLondon"))
        );
        assert_eq!(
            one(
                "note",
                json!({"htmlValue": "<p>Hi</p>", "plainValue": "Hi"})
            ),
            Ok(json!("Hi"))
        );
        let date = json!({"fullDate": "2026-12-01T00:00:00.000Z", "formattedValue": "Tue Dec 01 2026 00:00", "formatString": "YYYY-MM-DD"});
        assert_eq!(one("date", date.clone()), Ok(date));
        let photo = json!({"filename": "a.png", "downloadLink": "https://x/a.png", "size": 1});
        assert_eq!(one("photo", photo.clone()), Ok(json!([photo])));
        let slot = json!([["2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z"]]);
        assert_eq!(one("slot", slot.clone()), Ok(slot));
    }

    #[test]
    fn what_does_not_fit_is_refused_saying_which_field() {
        for (marker, value) in [
            ("note", json!({"htmlValue": "<script>x()</script>"})),
            ("name", json!("x".repeat(1_001))),
            ("name", json!("a\u{7}b")),
            ("name", json!("two\nlines")),
            ("mail", json!("nope")),
            ("count", json!("five")),
            ("photo", json!("a.png")),
            (
                "photo",
                json!({"filename": "a", "downloadLink": "javascript:x", "size": 1}),
            ),
            ("slot", json!("10:00")),
        ] {
            let e = one(marker, value.clone()).expect_err(&format!("{marker}: {value}"));
            assert!(e.contains(&format!("\"{marker}\"")), "{e}");
        }
    }

    #[test]
    fn unknown_skipped_and_repeated_markers_are_refused() {
        assert!(one("nope", json!("x")).is_err());
        assert!(one("password", json!("x")).is_err());
        let twice = vec![
            FormDataItem {
                marker: "name".into(),
                kind: "string".into(),
                value: json!("a"),
            },
            FormDataItem {
                marker: "name".into(),
                kind: "string".into(),
                value: json!("b"),
            },
        ];
        assert!(normalize_items(&form(), twice, &[]).is_err());
    }
}

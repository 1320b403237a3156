//! Form data items (`{marker, type, value}`) and the shapes the SDK wraps them in.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One submitted form field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormDataItem {
    /// The field's marker in the form.
    pub marker: String,
    /// The field's type as the client states it (`string`, `integer`, ...).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The value; its JSON type depends on the field type.
    #[serde(default)]
    pub value: Value,
}

/// Why a `formData` value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormDataShapeError(pub String);

/// Reads `formData` in every shape the SDK sends it: `{"en_US": [items]}` (what `createOrder`,
/// `signUp` and `updateUser` send), a bare list, or a single item.
///
/// Wire quirk: a missing `formData` reaches the server as `{"en_US":[null]}` and a reused body
/// object as `{"en_US":[{"en_US":[...]}]}`; `null` entries are dropped and nested wrappers are
/// unwrapped, so both mean what the caller meant.
pub fn read_form_data(value: &Value, lang: &str) -> Result<Vec<FormDataItem>, FormDataShapeError> {
    let mut items = Vec::new();
    collect(value, lang, &mut items, 0)?;
    Ok(items)
}

fn collect(
    value: &Value,
    lang: &str,
    out: &mut Vec<FormDataItem>,
    depth: u8,
) -> Result<(), FormDataShapeError> {
    if depth > 4 {
        return Err(FormDataShapeError(
            "formData is nested too deeply".to_owned(),
        ));
    }
    match value {
        Value::Null => Ok(()),
        Value::Array(list) => list
            .iter()
            .try_for_each(|v| collect(v, lang, out, depth + 1)),
        Value::Object(map) if map.contains_key("marker") => {
            let item = serde_json::from_value(value.clone()).map_err(|e| {
                FormDataShapeError(format!("formData item is not {{marker, type, value}}: {e}"))
            })?;
            out.push(item);
            Ok(())
        }
        Value::Object(map) => {
            let inner = map
                .get(lang)
                .or_else(|| (map.len() == 1).then(|| map.values().next()).flatten());
            match inner {
                Some(inner) => collect(inner, lang, out, depth + 1),
                None if map.is_empty() => Ok(()),
                None => Err(FormDataShapeError(format!(
                    "formData has no entry for language {lang}"
                ))),
            }
        }
        _ => Err(FormDataShapeError(
            "formData must be a list of {marker, type, value} items".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_shape_the_sdk_sends() {
        let item = json!({"marker": "name", "type": "string", "value": "N"});
        for shape in [
            json!({"en_US": [item.clone()]}),
            json!([item.clone()]),
            item.clone(),
            json!({"en_US": [{"en_US": [item.clone()]}]}),
        ] {
            let items = read_form_data(&shape, "en_US").unwrap();
            assert_eq!(items.len(), 1, "{shape}");
            assert_eq!(items[0].marker, "name");
        }
        assert!(
            read_form_data(&json!({"en_US": [null]}), "en_US")
                .unwrap()
                .is_empty()
        );
        assert!(read_form_data(&json!(5), "en_US").is_err());
    }
}

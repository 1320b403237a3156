//! Values with structure: list choices, uploaded files, entity markers, JSON and time
//! intervals (the rest of the value rules are in `values.rs`).

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::values::{
    MAX_CHOICES, MAX_FILES, MAX_JSON_BYTES, MAX_STRING_CHARS, line, parse_time, refuse,
};
use super::{MAX_TOKEN_CHARS, Refusal};
use crate::project::FieldDef;

/// Longest link of an uploaded file.
const MAX_LINK_CHARS: usize = 2_048;

/// A choice: text or a number, bounded.
fn choice(field: &FieldDef, v: &Value) -> Result<Value, Refusal> {
    match v {
        Value::String(_) | Value::Number(_) => Ok(Value::String(line(field, v, MAX_TOKEN_CHARS)?)),
        _ => Err(refuse(field, "expects choices as text or numbers")),
    }
}

/// List and radio button values: a choice, or a list of choices or of the SDK's option objects
/// `{title, value, extended: {type, value}}` (only those keys are kept).
pub(super) fn choices(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    let option = |v: &Value| -> Result<Value, Refusal> {
        let Value::Object(m) = v else {
            return choice(field, v);
        };
        let mut out = Map::new();
        out.insert(
            "value".to_owned(),
            choice(field, m.get("value").unwrap_or(&Value::Null))?,
        );
        if let Some(t) = m.get("title").filter(|t| !t.is_null()) {
            out.insert(
                "title".to_owned(),
                Value::String(line(field, t, MAX_STRING_CHARS)?),
            );
        }
        if let Some(Value::Object(e)) = m.get("extended") {
            let mut ext = Map::new();
            for key in ["type", "value"] {
                if let Some(x) = e.get(key).filter(|x| !x.is_null()) {
                    ext.insert(
                        key.to_owned(),
                        Value::String(line(field, x, MAX_STRING_CHARS)?),
                    );
                }
            }
            out.insert("extended".to_owned(), Value::Object(ext));
        }
        Ok(Value::Object(out))
    };
    match value {
        Value::Array(list) if list.len() <= MAX_CHOICES => list
            .iter()
            .map(option)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Array(_) => Err(refuse(
            field,
            &format!("takes at most {MAX_CHOICES} choices"),
        )),
        other => option(&other),
    }
}

/// Uploaded files (`FileUploading.upload` results): `{filename, downloadLink, size}` objects,
/// alone or in a list; only those keys and `previewLink` are kept, and links must be web links.
pub(super) fn files(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    let link = |v: Option<&Value>| -> Result<Option<String>, Refusal> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(Some(String::new())),
            Some(Value::String(s))
                if s.chars().count() <= MAX_LINK_CHARS
                    && !s.chars().any(|c| c.is_control() || c.is_whitespace())
                    && (s.starts_with("https://")
                        || s.starts_with("http://")
                        || (s.starts_with('/') && !s.starts_with("//"))) =>
            {
                Ok(Some(s.clone()))
            }
            _ => Err(refuse(field, "expects files with web links (https://…)")),
        }
    };
    let file = |v: &Value| -> Result<Value, Refusal> {
        let (Some(name), Some(size)) = (
            v.get("filename").and_then(Value::as_str),
            v.get("size").and_then(Value::as_u64),
        ) else {
            return Err(refuse(
                field,
                "expects uploaded files ({filename, downloadLink, size})",
            ));
        };
        let Some(download) = link(v.get("downloadLink"))?.filter(|l| !l.is_empty()) else {
            return Err(refuse(
                field,
                "expects uploaded files ({filename, downloadLink, size})",
            ));
        };
        let mut out = Map::new();
        out.insert(
            "filename".to_owned(),
            Value::String(line(field, &Value::from(name), 512)?),
        );
        out.insert("downloadLink".to_owned(), Value::String(download));
        out.insert("size".to_owned(), Value::from(size));
        if let Some(p) = link(v.get("previewLink"))? {
            out.insert("previewLink".to_owned(), Value::String(p));
        }
        Ok(Value::Object(out))
    };
    match value {
        Value::Array(list) if list.len() <= MAX_FILES => list
            .iter()
            .map(file)
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::Array(_) => Err(refuse(field, &format!("takes at most {MAX_FILES} files"))),
        Value::Object(_) => Ok(Value::Array(vec![file(&value)?])),
        _ => Err(refuse(
            field,
            "expects uploaded files ({filename, downloadLink, size})",
        )),
    }
}

/// Markers or ids of other entities: one, or a list.
pub(super) fn entities(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    match value {
        Value::Array(list) if list.len() <= MAX_CHOICES => list
            .iter()
            .map(|v| choice(field, v))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Value::String(_) | Value::Number(_) => Ok(Value::Array(vec![choice(field, &value)?])),
        _ => Err(refuse(
            field,
            &format!("expects at most {MAX_CHOICES} markers"),
        )),
    }
}

/// Any JSON value up to [`MAX_JSON_BYTES`].
pub(super) fn json(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    let size = serde_json::to_vec(&value).map_or(usize::MAX, |b| b.len());
    if size > MAX_JSON_BYTES {
        return Err(refuse(
            field,
            &format!("must be at most {} KiB of JSON", MAX_JSON_BYTES / 1024),
        ));
    }
    Ok(value)
}

/// `[[from, to], …]` of times or date-times.
pub(super) fn intervals(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    let bad = || {
        refuse(
            field,
            &format!("expects at most {MAX_CHOICES} [from, to] pairs"),
        )
    };
    let Value::Array(list) = value else {
        return Err(bad());
    };
    if list.len() > MAX_CHOICES {
        return Err(bad());
    }
    for pair in &list {
        let ok = pair.as_array().is_some_and(|p| {
            p.len() == 2
                && p.iter().all(|t| {
                    t.as_str().is_some_and(|s| {
                        parse_time(s) || OffsetDateTime::parse(s, &Rfc3339).is_ok()
                    })
                })
        });
        if !ok {
            return Err(bad());
        }
    }
    Ok(Value::Array(list))
}

//! One typed attribute value as JSON, in the shapes the platform answers (the table is in
//! docs/decisions.md, "Attribute values and media").

use std::str::FromStr;

use openentry_domain::project::media::StoredMedia;
use openentry_domain::project::{
    AttributeDef, AttributeKind, IntervalEnd, ItemValue, MediaRef, TextValue, TypedValue,
};
use serde_json::{Number, Value, json};
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time, UtcOffset};

use super::attributes::{ImageShape, media_link, preview_link};
use super::text;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;

/// `value` of a typed attribute value.
pub(crate) fn typed_json(
    project: &Project,
    attr: &AttributeDef,
    v: &TypedValue,
    lang: &str,
    shape: ImageShape,
) -> ApiResult<Value> {
    Ok(match v {
        TypedValue::String(s) | TypedValue::Json(s) => Value::String(s.clone()),
        // Exact: the JSON number is read from the decimal text, never computed in floats.
        TypedValue::Number(t) => {
            Number::from_str(t).map_or_else(|_| Value::String(t.clone()), Value::Number)
        }
        TypedValue::Text(t) => text_json(t, None),
        TypedValue::TextWithHeader { header, text } => text_json(text, Some(header)),
        TypedValue::Media(list) => media_json(project, attr.kind, list, shape),
        TypedValue::Date(d) => date_json(*d, Time::MIDNIGHT, UtcOffset::UTC, "DD-MM-YYYY")?,
        TypedValue::DateTime(dt) => {
            date_json(dt.date(), dt.time(), dt.offset(), "DD-MM-YYYY HH:mm")?
        }
        TypedValue::Time(t) => date_json(
            Date::from_calendar_date(1970, time::Month::January, 1).map_err(internal)?,
            *t,
            UtcOffset::UTC,
            "HH:mm",
        )?,
        TypedValue::Items(values) => items_json(project, attr, values, lang),
        TypedValue::FreeItem(v) => Value::String(v.clone()),
        TypedValue::Entity(markers) => json!(markers),
        TypedValue::Intervals(list) => Value::Array(
            list.iter()
                .map(|[a, b]| Ok(json!([interval_end(*a)?, interval_end(*b)?])))
                .collect::<ApiResult<_>>()?,
        ),
        TypedValue::Boolean(b) => Value::Bool(*b),
    })
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("attribute value: {e}"))
}

/// `{htmlValue, plainValue, mdValue, params}` (plus `header`). Texts were sanitized on import;
/// one stored before that (no plain text yet) is sanitized here instead.
fn text_json(t: &TextValue, header: Option<&String>) -> Value {
    let owned;
    let t = if t.plain.is_some() {
        t
    } else {
        owned = text::normalize(t);
        &owned
    };
    let mut v = json!({
        "htmlValue": t.html,
        "plainValue": t.plain.clone().unwrap_or_default(),
        "mdValue": t.md.clone().unwrap_or_default(),
        "params": {
            "editorMode": if t.md.is_some() { "md" } else { "html" },
            "isEditorDisabled": false,
            "isImageCompressed": false,
        },
    });
    if let (Some(h), Value::Object(m)) = (header, &mut v) {
        m.insert("header".to_owned(), Value::String(h.clone()));
    }
    v
}

/// `image`: an object on products (an array when there are several), an array on pages and
/// blocks; `groupOfImages`: always an array; `file`: an object.
fn media_json(
    project: &Project,
    kind: AttributeKind,
    list: &[MediaRef],
    shape: ImageShape,
) -> Value {
    let mut objects: Vec<Value> = list
        .iter()
        .map(|m| media_object(project, kind, m))
        .collect();
    let one = match kind {
        AttributeKind::File => true,
        AttributeKind::Image => shape == ImageShape::Object && objects.len() == 1,
        _ => false,
    };
    if one && !objects.is_empty() {
        objects.swap_remove(0)
    } else {
        Value::Array(objects)
    }
}

/// One stored file: `{filename, downloadLink, previewLink, size, contentType, …}`.
pub(crate) fn media_object(project: &Project, kind: AttributeKind, m: &MediaRef) -> Value {
    let MediaRef::Stored(s) = m else {
        // Only imported definitions are served, and an import stores every path.
        return json!({ "filename": "", "downloadLink": "", "previewLink": "", "size": 0 });
    };
    stored_object(project, kind != AttributeKind::File, s)
}

/// A stored file as the platform describes one; `previewLink` is empty for non-images.
fn stored_object(project: &Project, is_image: bool, s: &StoredMedia) -> Value {
    let image = is_image && s.content_type.starts_with("image/");
    let mut v = json!({
        "filename": s.filename,
        "downloadLink": media_link(project, &s.key),
        "previewLink": if image { preview_link(project, &s.key) } else { String::new() },
        "size": s.size,
        "contentType": s.content_type,
        "params": { "isImageCompressed": false },
    });
    if let Value::Object(o) = &mut v {
        if let Some(t) = &s.title {
            o.insert("title".to_owned(), Value::String(t.clone()));
        }
        if let (Some(w), Some(h)) = (s.width, s.height) {
            o.insert("width".to_owned(), json!(w));
            o.insert("height".to_owned(), json!(h));
        }
    }
    v
}

/// `{fullDate, formattedValue, formatString}`: `fullDate` is the instant in UTC (ISO 8601
/// with milliseconds, as JavaScript writes it); `formattedValue` is the date as written, in
/// the offset it was written in.
fn date_json(date: Date, time: Time, offset: UtcOffset, format: &str) -> ApiResult<Value> {
    let at = date.with_time(time).assume_offset(offset);
    let formatted = match format {
        "DD-MM-YYYY" => at.format(format_description!("[day]-[month]-[year]")),
        "HH:mm" => at.format(format_description!("[hour]:[minute]")),
        _ => at.format(format_description!("[day]-[month]-[year] [hour]:[minute]")),
    }
    .map_err(internal)?;
    Ok(json!({
        "fullDate": iso_utc(at)?,
        "formattedValue": formatted,
        "formatString": format,
    }))
}

fn iso_utc(at: OffsetDateTime) -> ApiResult<String> {
    at.to_offset(UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        ))
        .map_err(internal)
}

fn interval_end(e: IntervalEnd) -> ApiResult<Value> {
    Ok(Value::String(match e {
        IntervalEnd::At(at) => iso_utc(at)?,
        IntervalEnd::TimeOfDay(t) => t
            .format(format_description!("[hour]:[minute]"))
            .map_err(internal)?,
    }))
}

/// `list`: the chosen items as `{title, value, position, extended}` (titles in `lang`);
/// `radioButton`: the chosen item's value, as text (how the platform answers).
fn items_json(project: &Project, attr: &AttributeDef, values: &[String], lang: &str) -> Value {
    if attr.kind == AttributeKind::RadioButton {
        return values
            .first()
            .map_or(Value::Null, |v| Value::String(v.clone()));
    }
    let items = values.iter().filter_map(|v| {
        let (i, item) = attr
            .list_items
            .iter()
            .enumerate()
            .find(|(_, i)| &i.value.text() == v)?;
        Some(json!({
            "title": project.text_in(&item.title, lang).unwrap_or(v),
            "value": item_value(&item.value),
            "position": i + 1,
            "extended": extended_json(project, item.extended.as_ref()),
        }))
    });
    Value::Array(items.collect())
}

pub(crate) fn item_value(v: &ItemValue) -> Value {
    match v {
        ItemValue::Int(i) => json!(i),
        ItemValue::Text(s) => json!(s),
    }
}

/// `extended` of a list item: `{type, value}`, an image as its file object; `null`s without one.
pub(crate) fn extended_json(
    project: &Project,
    ext: Option<&openentry_domain::project::ExtendedDef>,
) -> Value {
    let Some(ext) = ext else {
        return json!({ "type": null, "value": null });
    };
    let value = if ext.is_image() {
        MediaRef::parse(&ext.value).map_or(Value::Null, |m| {
            media_object(project, AttributeKind::Image, &m)
        })
    } else {
        ext.value.as_text().map_or(Value::Null, Value::String)
    };
    json!({ "type": ext.kind, "value": value })
}

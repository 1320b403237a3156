//! One submitted value against its field: the shapes each type accepts (the SDK's form types
//! and what storefronts send), the bounds, and the value stored.

use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

use super::Refusal;
use super::structured::{choices, entities, files, intervals, json};
use crate::clock::Timestamp;
use crate::login;
use crate::project::{FieldDef, FieldKind};

/// Longest one-line value.
pub const MAX_STRING_CHARS: usize = 1_000;
/// Longest text.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Most choices of a list, entities of an entity field, intervals of a time interval.
pub const MAX_CHOICES: usize = 50;
/// Most files of a file or image field.
pub const MAX_FILES: usize = 10;
/// Longest phone number.
pub const MAX_PHONE_CHARS: usize = 32;
/// Largest JSON value, serialized.
pub const MAX_JSON_BYTES: usize = 16 * 1024;

pub(super) fn refuse(field: &FieldDef, why: &str) -> Refusal {
    Refusal {
        field: Some(field.marker.clone()),
        message: format!("field \"{}\" {why}", field.marker),
    }
}

/// Whether a value counts as filled in: not null, not blank text, not an empty list, not an
/// object whose values are all empty.
pub fn is_filled(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => m.values().any(is_filled),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

/// The value to store for `field`, or why `value` does not fit it.
pub(super) fn normalize(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    use FieldKind as K;
    if value.is_null() {
        return Ok(Value::Null);
    }
    let v = match field.kind {
        K::String | K::Email | K::Spam => Value::String(line(field, &value, MAX_STRING_CHARS)?),
        K::Text => Value::String(text(field, &value)?),
        K::TextWithHeader => text_with_header(field, &value)?,
        K::Integer => integer(field, &value)?,
        K::Float | K::Real => float(field, &value)?,
        K::Boolean => boolean(field, &value)?,
        K::Date | K::DateTime | K::Time => date(field, value)?,
        K::List | K::RadioButton => choices(field, value)?,
        K::Image | K::GroupOfImages | K::File => files(field, value)?,
        K::Entity => entities(field, value)?,
        K::Json => json(field, value)?,
        K::TimeInterval => intervals(field, value)?,
    };
    if let Value::String(s) = &v
        && !s.is_empty()
    {
        if (field.email || field.kind == K::Email) && !login::is_email(s) {
            return Err(refuse(field, "must be an e-mail address"));
        }
        if field.phone && !is_phone(s) {
            return Err(refuse(field, "must be a phone number"));
        }
    }
    Ok(v)
}

/// Text within `max` characters without control characters (`allow_lines`: line breaks and
/// tabs allowed).
fn bounded(field: &FieldDef, s: &str, max: usize, allow_lines: bool) -> Result<String, Refusal> {
    let s = s.trim();
    if s.chars().nth(max).is_some() {
        return Err(refuse(field, &format!("must be at most {max} characters")));
    }
    let bad = |c: char| c.is_control() && !(allow_lines && matches!(c, '\n' | '\r' | '\t'));
    if s.chars().any(bad) {
        return Err(refuse(field, "must not hold control characters"));
    }
    Ok(s.to_owned())
}

/// A one-line value: text, or a number written in decimal.
pub(super) fn line(field: &FieldDef, value: &Value, max: usize) -> Result<String, Refusal> {
    match value {
        Value::String(s) => bounded(field, s, max, false),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(refuse(field, "expects text")),
    }
}

/// Plain text from a string, `{plainValue}` (the SDK's text shape) or a list of them (what
/// OneEntry's shop template sends). HTML is never stored: a value with only `htmlValue` is
/// refused, so no visitor's markup is ever served to other visitors.
fn text(field: &FieldDef, value: &Value) -> Result<String, Refusal> {
    let plain = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        Value::Object(m) => match (m.get("plainValue"), m.get("htmlValue")) {
            (Some(Value::String(p)), _) if !p.trim().is_empty() => Ok(p.clone()),
            (_, Some(Value::String(h))) if !h.trim().is_empty() => Err(refuse(
                field,
                "is plain text: send it as a string or in plainValue (HTML is not stored)",
            )),
            (None | Some(Value::String(_) | Value::Null), _) => Ok(String::new()),
            _ => Err(refuse(field, "expects plainValue to be text")),
        },
        _ => Err(refuse(field, "expects text")),
    };
    let joined = match value {
        Value::Array(parts) if parts.len() <= MAX_CHOICES => parts
            .iter()
            .map(plain)
            .collect::<Result<Vec<_>, _>>()?
            .join("\n"),
        Value::Array(_) => return Err(refuse(field, "expects text")),
        other => plain(other)?,
    };
    bounded(field, &joined, MAX_TEXT_CHARS, true)
}

/// `{header, plainValue}`: a header line over plain text.
fn text_with_header(field: &FieldDef, value: &Value) -> Result<Value, Refusal> {
    let header = match value.get("header") {
        None | Some(Value::Null) => String::new(),
        Some(h) => line(field, h, MAX_STRING_CHARS)?,
    };
    let body = match value {
        Value::Object(m) => {
            let mut rest = m.clone();
            rest.remove("header");
            text(field, &Value::Object(rest))?
        }
        other => text(field, other)?,
    };
    let mut out = Map::new();
    out.insert("header".to_owned(), Value::String(header));
    out.insert("plainValue".to_owned(), Value::String(body));
    Ok(Value::Object(out))
}

/// A whole number, given as a number or its decimal text; blank text is no value.
fn integer(field: &FieldDef, value: &Value) -> Result<Value, Refusal> {
    let n = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().is_empty() => return Ok(Value::Null),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    n.map(Value::from)
        .ok_or_else(|| refuse(field, "expects a whole number"))
}

/// A finite decimal number, given as a number or its text; blank text is no value.
fn float(field: &FieldDef, value: &Value) -> Result<Value, Refusal> {
    let n = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s.trim().is_empty() => return Ok(Value::Null),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    n.filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| refuse(field, "expects a number"))
}

fn boolean(field: &FieldDef, value: &Value) -> Result<Value, Refusal> {
    match value {
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::String(s) if s == "true" => Ok(Value::Bool(true)),
        Value::String(s) if s == "false" => Ok(Value::Bool(false)),
        _ => Err(refuse(field, "expects true or false")),
    }
}

/// A date (`2026-05-02`), a date-time (RFC 3339), a time (`10:00`), or the SDK's date object
/// `{fullDate, formattedValue, formatString}` whose `fullDate` is a date-time.
fn date(field: &FieldDef, value: Value) -> Result<Value, Refusal> {
    let ok_text = |s: &str| match field.kind {
        FieldKind::Time => parse_time(s),
        FieldKind::Date => parse_date(s).is_some() || OffsetDateTime::parse(s, &Rfc3339).is_ok(),
        _ => OffsetDateTime::parse(s, &Rfc3339).is_ok(),
    };
    match value {
        Value::String(s) if s.trim().is_empty() => Ok(Value::String(String::new())),
        Value::String(s) if ok_text(s.trim()) => Ok(Value::String(s.trim().to_owned())),
        Value::Object(m) => {
            let full = m.get("fullDate").and_then(Value::as_str).map(str::trim);
            if !full.is_some_and(|f| {
                OffsetDateTime::parse(f, &Rfc3339).is_ok() || parse_date(f).is_some()
            }) {
                return Err(refuse(
                    field,
                    "expects fullDate to be an RFC 3339 date-time",
                ));
            }
            let mut out = Map::new();
            for key in ["fullDate", "formattedValue", "formatString"] {
                match m.get(key) {
                    None | Some(Value::Null) => {}
                    Some(v) => {
                        out.insert(key.to_owned(), Value::String(line(field, v, 64)?));
                    }
                }
            }
            Ok(Value::Object(out))
        }
        _ => Err(refuse(
            field,
            match field.kind {
                FieldKind::Time => "expects a time (10:00)",
                FieldKind::Date => "expects a date (2026-05-02)",
                _ => "expects an RFC 3339 date-time",
            },
        )),
    }
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

pub(super) fn parse_time(s: &str) -> bool {
    Time::parse(s, format_description!("[hour]:[minute]")).is_ok()
        || Time::parse(s, format_description!("[hour]:[minute]:[second]")).is_ok()
}

/// An instant from a date (its first instant, or with `end_of_day` the next day's) or an RFC
/// 3339 date-time.
pub fn parse_instant(s: &str, end_of_day: bool) -> Option<Timestamp> {
    let at = match parse_date(s) {
        Some(d) => {
            let d = if end_of_day { d.next_day()? } else { d };
            d.midnight().assume_utc()
        }
        None => OffsetDateTime::parse(s, &Rfc3339).ok()?,
    };
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000)
        .ok()
        .map(Timestamp)
}

/// A phone number: digits with the usual separators (spaces, `-`, `.`, `(`, `)`, `/`), an
/// optional leading `+`, 5 to 20 digits, at most [`MAX_PHONE_CHARS`] characters.
fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().count() <= MAX_PHONE_CHARS
        && (5..=20).contains(&digits)
        && s.char_indices().all(|(i, c)| {
            c.is_ascii_digit()
                || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/')
                || (c == '+' && i == 0)
        })
}

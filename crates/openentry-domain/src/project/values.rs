//! Attribute values read by their attribute's type: what `project check` refuses and what the
//! server renders. The shapes a definition may use are in the README ("Attribute values").

use std::collections::BTreeMap;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

use super::media::MediaRef;
use super::{AttrValue, AttributeDef, AttributeKind};

/// Rich text: HTML (sanitized on import), its plain text (derived on import) and the Markdown
/// it was written in, if it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextValue {
    /// HTML.
    pub html: String,
    /// Plain text; `None` until an import derived it.
    pub plain: Option<String>,
    /// The Markdown source, when written in Markdown.
    pub md: Option<String>,
}

/// One end of a time interval: an instant or a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalEnd {
    /// `2026-11-30T10:00:00Z`.
    At(OffsetDateTime),
    /// `10:00`.
    TimeOfDay(Time),
}

/// A value read by its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedValue {
    /// `string`.
    String(String),
    /// `integer`, `float`, `real`: the exact decimal text (`"19.99"`, `"400"`).
    Number(String),
    /// `text`.
    Text(TextValue),
    /// `textWithHeader`.
    TextWithHeader {
        /// The header.
        header: String,
        /// The body.
        text: TextValue,
    },
    /// `image`, `groupOfImages`, `file` (one for files).
    Media(Vec<MediaRef>),
    /// `date`.
    Date(Date),
    /// `dateTime`.
    DateTime(OffsetDateTime),
    /// `time`.
    Time(Time),
    /// `list`, `radioButton`: values of the attribute's items (one for radio buttons).
    Items(Vec<String>),
    /// A `list` or `radioButton` attribute without items takes free values; one written as a
    /// single text stays one (a currency code, `"USD"`).
    FreeItem(String),
    /// `entity`: markers.
    Entity(Vec<String>),
    /// `json`: the JSON text.
    Json(String),
    /// `timeInterval`.
    Intervals(Vec<[IntervalEnd; 2]>),
    /// `boolean`.
    Boolean(bool),
}

/// A value with the values of its attribute's additional fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedValue {
    /// The value.
    pub value: TypedValue,
    /// Additional field values the entity gives, by marker.
    pub additional: BTreeMap<String, TypedValue>,
}

/// Splits `{ value = …, additional = { … } }` into its parts; any other value is its own main
/// value with no additional values.
pub fn split_additional(v: &AttrValue) -> (&AttrValue, Option<&BTreeMap<String, AttrValue>>) {
    if let AttrValue::Table(t) = v
        && let (Some(main), Some(AttrValue::Table(extra))) = (t.get("value"), t.get("additional"))
        && t.len() == 2
    {
        return (main, Some(extra));
    }
    (v, None)
}

/// Reads a value of `attr`, with its additional field values.
pub fn parse_value(attr: &AttributeDef, v: &AttrValue) -> Result<ParsedValue, String> {
    let (main, extra) = split_additional(v);
    let value = parse_typed(attr, main)?;
    let mut additional = BTreeMap::new();
    for (marker, v) in extra.into_iter().flatten() {
        let Some(field) = attr.additional_fields.iter().find(|f| &f.marker == marker) else {
            return Err(format!(
                "attribute \"{}\" has no additional field \"{marker}\"",
                attr.marker
            ));
        };
        let value = parse_typed(&field.as_attribute(), v).map_err(|e| format!("{marker}: {e}"))?;
        additional.insert(marker.clone(), value);
    }
    Ok(ParsedValue { value, additional })
}

/// The values of a list or a single value.
pub fn items_of(v: &AttrValue) -> Vec<AttrValue> {
    match v {
        AttrValue::List(l) => l.iter().cloned().map(AttrValue::Text).collect(),
        AttrValue::Items(i) => i.clone(),
        other => vec![other.clone()],
    }
}

/// Reads a value (without additional fields) by the type of `attr`.
pub fn parse_typed(attr: &AttributeDef, v: &AttrValue) -> Result<TypedValue, String> {
    use AttributeKind as K;
    let kind = attr.kind;
    let want = |shape: &str| Err(format!("a {kind} value is {shape}"));
    Ok(match (kind, v) {
        (K::String, AttrValue::Text(s)) => TypedValue::String(s.clone()),
        (K::String, AttrValue::Int(i)) => TypedValue::String(i.to_string()),
        (K::String, _) => return want("text"),
        (K::Integer | K::Float | K::Real, _) => TypedValue::Number(number(kind, v)?),
        (K::Text, _) => TypedValue::Text(text(v, &[])?),
        (K::TextWithHeader, AttrValue::Table(t)) => {
            let header = match t.get("header") {
                Some(AttrValue::Text(h)) => h.clone(),
                _ => return want("{ header = \"…\", html = \"…\" }"),
            };
            TypedValue::TextWithHeader {
                header,
                text: text(v, &["header"])?,
            }
        }
        (K::TextWithHeader, _) => return want("{ header = \"…\", html = \"…\" }"),
        (K::Image | K::GroupOfImages, _) => {
            let list = items_of(v)
                .iter()
                .map(MediaRef::parse)
                .collect::<Result<Vec<_>, _>>()?;
            if kind == K::Image && list.is_empty() {
                return want("at least one media path");
            }
            TypedValue::Media(list)
        }
        (K::File, AttrValue::Text(_) | AttrValue::Table(_)) => {
            TypedValue::Media(vec![MediaRef::parse(v)?])
        }
        (K::File, _) => return want("one media path"),
        (K::Date, AttrValue::Text(s)) => TypedValue::Date(
            Date::parse(s, format_description!("[year]-[month]-[day]"))
                .map_err(|_| format!("\"{s}\" is not a date like 2026-11-30"))?,
        ),
        (K::DateTime, AttrValue::Text(s)) => TypedValue::DateTime(date_time(s)?),
        (K::Time, AttrValue::Text(s)) => TypedValue::Time(time_of_day(s)?),
        (K::Date | K::DateTime | K::Time, _) => return want("text (see the README)"),
        (K::List | K::RadioButton, AttrValue::Text(t)) if attr.list_items.is_empty() => {
            TypedValue::FreeItem(t.clone())
        }
        (K::List | K::RadioButton, _) => TypedValue::Items(chosen(attr, v)?),
        (K::Entity, _) => TypedValue::Entity(
            items_of(v)
                .iter()
                .map(|m| match m {
                    AttrValue::Text(s) if !s.trim().is_empty() => Ok(s.clone()),
                    _ => Err("an entity value is a list of markers".to_owned()),
                })
                .collect::<Result<_, _>>()?,
        ),
        (K::Json, AttrValue::Text(s)) => {
            serde_json::from_str::<serde_json::Value>(s).map_err(|e| format!("not JSON: {e}"))?;
            TypedValue::Json(s.clone())
        }
        (K::Json, _) => return want("a string holding JSON"),
        (K::TimeInterval, _) => TypedValue::Intervals(intervals(v)?),
        (K::Boolean, AttrValue::Bool(b)) => TypedValue::Boolean(*b),
        (K::Boolean, _) => return want("true or false"),
    })
}

/// An exact number: a TOML integer, or text such as `"19.99"` (never a TOML float).
fn number(kind: AttributeKind, v: &AttrValue) -> Result<String, String> {
    let text = match v {
        AttrValue::Int(i) => return Ok(i.to_string()),
        AttrValue::Text(t) => t.trim(),
        _ => {
            return Err(format!(
                "a {kind} value is an integer or text like \"19.99\""
            ));
        }
    };
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() != digits.contains('.'))
        && frac.len() <= 12
        && whole.len() <= 18;
    if !ok {
        return Err(format!("\"{text}\" is not an exact number like 19.99"));
    }
    if kind == AttributeKind::Integer && !frac.bytes().all(|b| b == b'0') {
        return Err(format!("\"{text}\" is not a whole number"));
    }
    Ok(text.to_owned())
}

/// A text value: an HTML string, or a table of `html`, `md` and `plain` (plus `extra` keys).
fn text(v: &AttrValue, extra: &[&str]) -> Result<TextValue, String> {
    let t = match v {
        AttrValue::Text(html) => {
            return Ok(TextValue {
                html: html.clone(),
                plain: None,
                md: None,
            });
        }
        AttrValue::Table(t) => t,
        _ => return Err("a text value is HTML, { html = \"…\" } or { md = \"…\" }".into()),
    };
    let get = |k: &str| match t.get(k) {
        None => Ok(None),
        Some(AttrValue::Text(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{k}` must be text")),
    };
    let (html, md, plain) = (get("html")?, get("md")?, get("plain")?);
    if let Some(k) = t
        .keys()
        .find(|k| !["html", "md", "plain"].contains(&k.as_str()) && !extra.contains(&k.as_str()))
    {
        return Err(format!("unknown key `{k}` (a text has html, md and plain)"));
    }
    if html.is_none() && md.is_none() {
        return Err("a text value needs `html` or `md`".into());
    }
    Ok(TextValue {
        html: html.unwrap_or_default(),
        // Plain text only counts once HTML is there to derive it from.
        plain: plain.filter(|_| t.contains_key("html")),
        md,
    })
}

fn date_time(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|_| format!("\"{s}\" is not a date and time like 2026-11-30T10:00:00Z"))
}

fn time_of_day(s: &str) -> Result<Time, String> {
    Time::parse(s, format_description!("[hour]:[minute]"))
        .or_else(|_| Time::parse(s, format_description!("[hour]:[minute]:[second]")))
        .map_err(|_| format!("\"{s}\" is not a time like 10:00"))
}

/// The chosen items of a list or radio button, each one of the attribute's items.
fn chosen(attr: &AttributeDef, v: &AttrValue) -> Result<Vec<String>, String> {
    let picked: Vec<String> = items_of(v)
        .iter()
        .map(|i| {
            i.as_text()
                .ok_or_else(|| "a list value is an item value or a list of them".to_owned())
        })
        .collect::<Result<_, _>>()?;
    if attr.kind == AttributeKind::RadioButton && picked.len() != 1 {
        return Err("a radioButton value is exactly one item value".into());
    }
    for p in &picked {
        // Without items a list takes any values (free tags, a currency code).
        if !attr.list_items.is_empty() && attr.item(p).is_none() {
            let known: Vec<String> = attr.list_items.iter().map(|i| i.value.text()).collect();
            return Err(format!(
                "\"{p}\" is not an item of attribute \"{}\" (items: {})",
                attr.marker,
                known.join(", ")
            ));
        }
    }
    Ok(picked)
}

fn intervals(v: &AttrValue) -> Result<Vec<[IntervalEnd; 2]>, String> {
    let shape = "a timeInterval value is a list of [from, to] pairs";
    items_of(v)
        .iter()
        .map(|pair| {
            let ends = match pair {
                AttrValue::List(l) if l.len() == 2 => [l[0].as_str(), l[1].as_str()],
                _ => return Err(shape.to_owned()),
            };
            let end = |s: &str| {
                date_time(s)
                    .map(IntervalEnd::At)
                    .or_else(|_| time_of_day(s).map(IntervalEnd::TimeOfDay))
                    .map_err(|_| {
                        format!("\"{s}\" is neither a date and time nor a time like 10:00")
                    })
            };
            let (from, to) = (end(ends[0])?, end(ends[1])?);
            let ordered = match (from, to) {
                (IntervalEnd::At(a), IntervalEnd::At(b)) => a < b,
                (IntervalEnd::TimeOfDay(a), IntervalEnd::TimeOfDay(b)) => a < b,
                _ => {
                    return Err(
                        "both ends of an interval are times, or both are dates and times".into(),
                    );
                }
            };
            if !ordered {
                return Err(format!(
                    "interval {} – {} ends before it starts",
                    ends[0], ends[1]
                ));
            }
            Ok([from, to])
        })
        .collect()
}

#[cfg(test)]
#[path = "values_tests.rs"]
mod tests;

//! The input rules every JSON body, query string and path passes before a handler sees it, so
//! that a value the database would refuse (PostgreSQL takes no NUL in text) or a shape that
//! could mean two things (a key given twice) is a 400 that names the field, the same on every
//! database. Handlers still apply their own rules (lengths, formats) on top.
//!
//! - No string (value or key) may hold a NUL or another control character; free text may keep
//!   tab, line feed and carriage return. Keys and path segments are never free text.
//! - A JSON object may not repeat a key (serde_json would keep the last one silently, so a
//!   second `"productId"` could slip past a check made on the first).
//! - A path parameter is at most [`MAX_PATH_PARAM`] bytes.
//! - JSON nests at most [`MAX_DEPTH`] levels (the SDK's bodies need five).
//! - JSON numbers: integers fit in an `i64`, and other numbers stay within ±2^53, beyond which
//!   JavaScript (the SDK's language) cannot hold them exactly.

use std::collections::HashSet;
use std::fmt::{self, Write};

use serde::Deserializer;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::ApiError;

/// Longest path parameter in bytes. Parameters are identifiers (markers, ids, push tokens,
/// page URLs); the longest real one, an FCM registration token, is about 250.
pub(crate) const MAX_PATH_PARAM: usize = 1024;

/// Deepest nesting of arrays and objects in a body.
pub(crate) const MAX_DEPTH: usize = 32;

/// Largest magnitude of a non-integer JSON number: 2^53.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Why a string breaks the character rule, if it does. `text` allows tab and line breaks.
pub(crate) fn bad_char(s: &str, text: bool) -> Option<&'static str> {
    s.chars().find_map(|c| {
        if c == '\0' {
            Some("a NUL character")
        } else if c.is_control() && !(text && matches!(c, '\t' | '\n' | '\r')) {
            Some("a control character")
        } else {
            None
        }
    })
}

/// Checks a path parameter (an identifier, marker or token: never free text, never long).
pub(crate) fn path_param(name: &str, value: &str) -> Result<(), ApiError> {
    if value.len() > MAX_PATH_PARAM {
        return Err(ApiError::BadRequest(format!(
            "Invalid path: the parameter `{name}` is longer than {MAX_PATH_PARAM} bytes"
        )));
    }
    if let Some(what) = bad_char(value, false) {
        return Err(ApiError::BadRequest(format!(
            "Invalid path: the parameter `{name}` contains {what}"
        )));
    }
    if (name == "id" || name.ends_with("_id")) && !canonical_number(value) {
        return Err(ApiError::BadRequest(format!(
            "Invalid path: the id `{}` must be written as a plain number (like 15, not 015 or +15)",
            shown(value)
        )));
    }
    Ok(())
}

/// Whether an id is written in its one canonical form: an id has exactly one spelling, so
/// `/orders/015` and `/orders/+15` can never name order 15 behind a check made on the text.
/// Non-numeric text is left to the parameter's type (a 400 there).
fn canonical_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let numeric = value.starts_with('+')
        || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    !numeric || canonical_id(value).is_some()
}

/// An id written as text (a path segment, a map key) in its one canonical decimal form:
/// `"15"`, not `"015"`, `"+15"` or `" 15"`.
pub(crate) fn canonical_id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|n| n.to_string() == text)
}

/// Checks the decoded pairs of a query string.
pub(crate) fn query<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<(), ApiError> {
    for (key, value) in pairs {
        let what = bad_char(key, false)
            .map(|w| (w, "name"))
            .or_else(|| bad_char(value, true).map(|w| (w, "value")));
        if let Some((what, part)) = what {
            return Err(ApiError::BadRequest(format!(
                "Invalid query string: the {part} of the parameter `{}` contains {what}",
                shown(key)
            )));
        }
    }
    Ok(())
}

/// Checks a JSON body against the rules above (and its syntax).
pub(crate) fn json(bytes: &[u8]) -> Result<(), ApiError> {
    let mut walk = Walk::default();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = Node(&mut walk).deserialize(&mut de).and_then(|()| de.end());
    match (result, walk.refused) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(why)) => Err(ApiError::BadRequest(format!("Invalid request body: {why}"))),
        (Err(e), None) => Err(ApiError::BadRequest(format!(
            "Malformed JSON in the request body: {e}"
        ))),
    }
}

/// A step from the body's root to a value.
enum Step {
    Key(String),
    Index(usize),
}

/// State of one walk over a body: where it is, and why it stopped.
#[derive(Default)]
struct Walk {
    path: Vec<Step>,
    refused: Option<String>,
}

impl Walk {
    /// Records why the body is refused and stops the walk.
    fn refuse<E: serde::de::Error>(&mut self, what: impl fmt::Display) -> E {
        let mut at = String::new();
        for step in &self.path {
            // Writing to a String cannot fail.
            let _ = match step {
                Step::Key(k) if at.is_empty() => write!(at, "{}", shown(k)),
                Step::Key(k) => write!(at, ".{}", shown(k)),
                Step::Index(i) => write!(at, "[{i}]"),
            };
        }
        let why = if at.is_empty() {
            format!("the body {what}")
        } else {
            format!("the field `{at}` {what}")
        };
        self.refused = Some(why);
        E::custom("refused")
    }
}

/// A key as it can be shown in a message: escaped, and cut to 64 characters.
/// A value as echoed in an error message: at most 64 characters, control characters escaped.
pub(crate) fn shown(key: &str) -> String {
    let mut out: String = key.chars().take(64).flat_map(char::escape_debug).collect();
    if key.chars().nth(64).is_some() {
        out.push('…');
    }
    out
}

/// Visits one JSON value, checking everything under it.
struct Node<'w>(&'w mut Walk);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        if i64::try_from(v).is_err() {
            return Err(self
                .0
                .refuse(format_args!("is a number out of range ({v})")));
        }
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        if !v.is_finite() || v.abs() > MAX_EXACT {
            return Err(self
                .0
                .refuse(format_args!("is a number out of range ({v})")));
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        match bad_char(v, true) {
            Some(what) => Err(self.0.refuse(format_args!("contains {what}"))),
            None => Ok(()),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let walk = self.0;
        enter(walk)?;
        let mut i = 0;
        loop {
            walk.path.push(Step::Index(i));
            let more = seq.next_element_seed(Node(&mut *walk))?;
            walk.path.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let walk = self.0;
        enter(walk)?;
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            walk.path.push(Step::Key(key.clone()));
            if let Some(what) = bad_char(&key, false) {
                return Err(walk.refuse(format_args!("has a name that contains {what}")));
            }
            if !seen.insert(key) {
                return Err(walk.refuse("is given twice"));
            }
            map.next_value_seed(Node(&mut *walk))?;
            walk.path.pop();
        }
        Ok(())
    }
}

/// Refuses nesting deeper than [`MAX_DEPTH`]; the path's length is the current depth.
fn enter<E: serde::de::Error>(walk: &mut Walk) -> Result<(), E> {
    if walk.path.len() >= MAX_DEPTH {
        return Err(walk.refuse(format_args!("is nested deeper than {MAX_DEPTH} levels")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_one_spelling() {
        for ok in ["15", "0", "-3", "abc", "page-url", "-"] {
            assert!(path_param("id", ok).is_ok(), "{ok}");
        }
        for bad in ["015", "+15", "-0", "00", "99999999999999999999", "+x"] {
            assert!(path_param("order_id", bad).is_err(), "{bad}");
        }
        assert!(path_param("marker", "015").is_ok(), "markers are text");
    }

    fn refusal(body: &str) -> Option<String> {
        json(body.as_bytes()).err().map(|e| e.to_string())
    }

    #[test]
    fn ordinary_bodies_pass() {
        for ok in [
            "{}",
            "[]",
            "null",
            r#"{"a":[1,-2,3.5,true,null,"x\ny\tz\r"],"b":{"c":"é"}}"#,
            r#"{"n":9223372036854775807,"m":-9223372036854775808,"f":9007199254740992.0}"#,
        ] {
            assert_eq!(refusal(ok), None, "{ok}");
        }
    }

    #[test]
    fn refusals_name_the_field() {
        for (body, says) in [
            (
                r#"{"a":[{"v":"x\u0000"}]}"#,
                "field `a[0].v` contains a NUL",
            ),
            (r#"{"a\u0000":1}"#, "contains a NUL"),
            (r#"{"a":"\u0007"}"#, "field `a` contains a control"),
            (r#"{"a":"\u0085"}"#, "contains a control"),
            (r#"{"a":1,"b":{"c":1,"c":2}}"#, "field `b.c` is given twice"),
            (
                r#"{"id":9223372036854775808}"#,
                "`id` is a number out of range",
            ),
            (r#"{"x":1e300}"#, "out of range"),
            (r#"{"x":"a"} x"#, "Malformed JSON"),
            (r#"{"x":1e309}"#, "Malformed JSON"),
            (r#""\u0001""#, "the body contains a control"),
            ("\"\u{1}\"", "Malformed JSON"),
        ] {
            let got = refusal(body).unwrap_or_default();
            assert!(got.contains(says), "{body}: {got}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(refusal(&deep).unwrap_or_default().contains("nested deeper"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(refusal(&ok), None);
        let very = "[".repeat(100_000);
        assert!(refusal(&very).is_some());
    }

    #[test]
    fn query_and_path_rules() {
        assert!(query([("name", "a\tb\nc")]).is_ok());
        assert!(query([("langCode", "en\0")]).is_err());
        assert!(query([("a\u{1b}", "x")]).is_err());
        assert!(path_param("marker", "email").is_ok());
        assert!(path_param("token", "a\nb").is_err());
        assert!(path_param("token", "a\0b").is_err());
        assert!(path_param("token", &"t".repeat(MAX_PATH_PARAM)).is_ok());
        assert!(path_param("token", &"t".repeat(MAX_PATH_PARAM + 1)).is_err());
    }
}

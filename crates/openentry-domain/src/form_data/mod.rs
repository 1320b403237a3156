//! Form submissions (the FormData module): the checks a submission passes before it is stored,
//! who reads which submissions, and the status a submission gets. No I/O: the server reads the
//! request and the store, and asks these rules.
//!
//! A submission is checked against its form's fields in the project definition: unknown markers,
//! markers given twice and missing required fields are refused, each value must fit its field's
//! type and bounds (see `values.rs`), and the stored items follow the form's field order with the
//! field's type (not the type the client claims). Login and password fields are never stored.

mod items;
mod spam;
mod structured;
mod values;

use openentry_types::form_data::{FormDataItem, SubmissionStatus};
use serde_json::Value;

use crate::clock::Timestamp;
use crate::project::{FormDef, FormRead};

pub use items::normalize_items;
pub use spam::{MAX_SPAM_TOKEN_CHARS, spam_field, spam_token, without_spam};
pub use values::{
    MAX_CHOICES, MAX_FILES, MAX_JSON_BYTES, MAX_PHONE_CHARS, MAX_STRING_CHARS, MAX_TEXT_CHARS,
    is_filled, parse_instant,
};

/// Longest entity identifier, fingerprint or list value.
pub const MAX_TOKEN_CHARS: usize = 128;
/// Deepest reply (a reply to a reply … this many levels below a top-level submission).
pub const MAX_DEPTH: i64 = 8;

/// A refused submission or request: the field at fault, when there is one, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// The field's marker.
    pub field: Option<String>,
    /// The sentence for the client.
    pub message: String,
}

impl Refusal {
    /// A refusal about the request as a whole (a body key, not a field).
    pub fn request(message: impl Into<String>) -> Self {
        Self {
            field: None,
            message: message.into(),
        }
    }
}

/// At most `n` characters of a client's text, for messages.
pub(crate) fn shown(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// Checks a submission against its form and returns the items to store: in the form's field
/// order, typed by the form, values normalized (see `values.rs`); login and password fields dropped.
pub fn check_submission(
    form: &FormDef,
    items: Vec<FormDataItem>,
) -> Result<Vec<FormDataItem>, Refusal> {
    let mut given: Vec<Option<Value>> = vec![None; form.fields.len()];
    for item in items {
        let Some(i) = form.fields.iter().position(|f| f.marker == item.marker) else {
            return Err(Refusal {
                field: Some(shown(&item.marker, 64)),
                message: format!(
                    "Form \"{}\" has no field \"{}\"",
                    form.identifier,
                    shown(&item.marker, 64)
                ),
            });
        };
        if given[i].is_some() {
            return Err(Refusal {
                field: Some(item.marker.clone()),
                message: format!("field \"{}\" is given twice", item.marker),
            });
        }
        given[i] = Some(item.value);
    }
    let mut out = Vec::with_capacity(form.fields.len());
    for (field, value) in form.fields.iter().zip(given) {
        // Credentials travel in `authData`; a captcha token is verified, never stored.
        if field.login || field.password || field.kind == crate::project::FieldKind::Spam {
            continue;
        }
        let given_at = value.is_some();
        let value = match value {
            Some(v) => values::normalize(field, v)?,
            None => Value::Null,
        };
        if field.required && !is_filled(&value) {
            return Err(Refusal {
                field: Some(field.marker.clone()),
                message: format!("field \"{}\" is required", field.marker),
            });
        }
        // Every given field is kept, empty or not, in the form's order: storefronts read
        // reviews by position (OneEntry's shop template takes the rating from the first item).
        if given_at {
            out.push(FormDataItem {
                marker: field.marker.clone(),
                kind: field.kind.as_str().to_owned(),
                value,
            });
        }
    }
    Ok(out)
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The shop (the admin token).
    Operator,
    /// A signed-in user.
    User(i64),
    /// Nobody signed in.
    Anonymous,
}

/// Which submissions of a form a viewer reads: every one, the approved ones, the viewer's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visibility {
    /// Every submission.
    pub all: bool,
    /// Approved submissions.
    pub approved: bool,
    /// The submissions of this user.
    pub own: Option<i64>,
}

/// What `viewer` may read of a form that reads as `read`.
pub fn visibility(read: FormRead, viewer: Viewer) -> Visibility {
    let none = Visibility {
        all: false,
        approved: false,
        own: None,
    };
    match (viewer, read) {
        (Viewer::Operator, _) => Visibility { all: true, ..none },
        (Viewer::User(id), FormRead::PublicApproved) => Visibility {
            approved: true,
            own: Some(id),
            ..none
        },
        (Viewer::Anonymous, FormRead::PublicApproved) => Visibility {
            approved: true,
            ..none
        },
        (Viewer::User(id), FormRead::Own) => Visibility {
            own: Some(id),
            ..none
        },
        (_, FormRead::Own | FormRead::Operators) => none,
    }
}

impl Visibility {
    /// Whether a submission in `status` sent by `owner` is visible.
    pub fn allows(&self, status: SubmissionStatus, owner: Option<i64>) -> bool {
        self.all
            || (self.approved && status == SubmissionStatus::Approved)
            || (owner.is_some() && owner == self.own)
    }

    /// Whether the viewer sees who sent a submission (login, fingerprint): operators and the
    /// sender, nobody else.
    pub fn reveals_sender(&self, owner: Option<i64>) -> bool {
        self.all || (owner.is_some() && owner == self.own)
    }
}

/// The status of a new submission: an operator's is approved, and so is any submission to a
/// form without moderation; the rest wait. The status a client asks for is not consulted.
pub fn initial_status(form: &FormDef, viewer: Viewer) -> SubmissionStatus {
    if viewer == Viewer::Operator || !form.moderation {
        SubmissionStatus::Approved
    } else {
        SubmissionStatus::New
    }
}

/// The status after the sender changes a submission: moderated forms check it again (an
/// approved review edited into spam must not stay public); other forms keep it.
pub fn status_after_edit(form: &FormDef, current: SubmissionStatus) -> SubmissionStatus {
    if form.moderation {
        SubmissionStatus::New
    } else {
        current
    }
}

/// The depth of a reply to a submission at `parent_depth`.
pub fn reply_depth(parent_depth: i64) -> Result<i64, Refusal> {
    if parent_depth >= MAX_DEPTH {
        return Err(Refusal::request(format!(
            "Replies nest at most {MAX_DEPTH} levels deep"
        )));
    }
    Ok(parent_depth + 1)
}

/// A token a client sends (entity identifier, fingerprint): trimmed, at most
/// [`MAX_TOKEN_CHARS`] characters, no control characters; a number is written in decimal.
pub fn token(value: &Value, what: &str) -> Result<String, Refusal> {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => {
            return Err(Refusal::request(format!(
                "{what} must be a string or a whole number"
            )));
        }
    };
    if text.chars().count() > MAX_TOKEN_CHARS || text.chars().any(char::is_control) {
        return Err(Refusal::request(format!(
            "{what} must be at most {MAX_TOKEN_CHARS} characters of text"
        )));
    }
    Ok(text)
}

/// `formModuleConfigId`: a whole number ≥ 0 (a number or its decimal text); 0 when absent.
pub fn module_config(value: &Value) -> Result<i64, Refusal> {
    let n = match value {
        Value::Null => Some(0),
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().is_empty() => Some(0),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    n.filter(|n| *n >= 0)
        .ok_or_else(|| Refusal::request("formModuleConfigId must be a whole number ≥ 0"))
}

/// The submission a new one answers: `parentId`, else a numeric `replayTo`.
///
/// Wire quirk: the SDK documents `replayTo` as a reply-to address, and OneEntry's shop template
/// sends the id of the review a comment answers in it. A `replayTo` that is not a number (an
/// address) names no parent and is not stored.
pub fn parent_ref(parent_id: &Value, replay_to: &Value) -> Result<Option<i64>, Refusal> {
    let id = |v: &Value| match v {
        Value::Number(n) => n.as_i64().filter(|p| *p > 0),
        Value::String(s)
            if (1..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse().ok().filter(|p: &i64| *p > 0)
        }
        _ => None,
    };
    let parent = match parent_id {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::Number(n) if n.as_i64() == Some(0) => None,
        v => {
            Some(id(v).ok_or_else(|| Refusal::request("parentId must be the id of a submission"))?)
        }
    };
    Ok(parent.or_else(|| id(replay_to)))
}

/// The statuses a filter asks for: `None` for any (absent, `""`, `[]`); names the server does
/// not know match nothing.
pub fn status_filter(value: &Value) -> Result<Option<Vec<SubmissionStatus>>, Refusal> {
    let names: Vec<&str> = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(s) => vec![s.trim()],
        Value::Array(a) if a.is_empty() => return Ok(None),
        Value::Array(a) if a.len() <= 10 => a
            .iter()
            .map(|v| v.as_str().map(str::trim))
            .collect::<Option<_>>()
            .ok_or_else(|| Refusal::request("status must be a status or a list of them"))?,
        _ => {
            return Err(Refusal::request(
                "status must be a status or a list of at most 10",
            ));
        }
    };
    Ok(Some(
        names.into_iter().filter_map(|n| n.parse().ok()).collect(),
    ))
}

/// A filter's date bound: `None` when absent or empty; a date means its first instant (or with
/// `end_of_day`, the first instant of the next day); an RFC 3339 date-time means itself.
pub fn date_bound(
    value: &Value,
    what: &str,
    end_of_day: bool,
) -> Result<Option<Timestamp>, Refusal> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_instant(s.trim(), end_of_day)
            .map(Some)
            .ok_or_else(|| {
                Refusal::request(format!(
                    "{what} must be a date (2026-05-02) or an RFC 3339 date-time"
                ))
            }),
        _ => Err(Refusal::request(format!("{what} must be a date"))),
    }
}

#[cfg(test)]
mod tests;

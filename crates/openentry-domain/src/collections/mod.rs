//! Integration collection rows: which rows a caller reads, who may add and change them, and the
//! checks a row passes. No I/O: the server reads the request and the store and asks these rules.
//!
//! Every row belongs to whoever wrote it (a user, an operator, or an anonymous visitor). A user
//! changes and deletes only their own rows, operators any row; a row the caller may not change
//! is answered exactly like a missing one, so nobody learns which ids other users hold.
//! A row's values are checked by the same rules as form submissions
//! ([`crate::form_data::check_submission`]) against the collection's form.

use openentry_types::form_data::FormDataItem;
use serde_json::Value;

use crate::form_data::{MAX_TOKEN_CHARS, Refusal, Viewer, check_submission};
use crate::project::{CollectionRead, CollectionWrite, FormDef};

/// The rows a caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every row.
    All,
    /// The rows this user wrote.
    Own(i64),
    /// None.
    Nothing,
}

impl Scope {
    /// Whether a row written by `owner` (a user id, `None` for operators and visitors) is in it.
    pub fn allows(self, owner: Option<i64>) -> bool {
        match self {
            Self::All => true,
            Self::Own(id) => owner == Some(id),
            Self::Nothing => false,
        }
    }
}

/// Why a caller may not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// Signing in would help (401).
    SignIn,
    /// Nobody but operators writes here (403).
    Operators,
}

/// Which rows `viewer` reads in a collection that reads as `read`.
pub fn read_scope(read: CollectionRead, viewer: Viewer) -> Scope {
    use CollectionRead as R;
    match (viewer, read) {
        (Viewer::Operator, _) | (_, R::Public) | (Viewer::User(_), R::Users) => Scope::All,
        (Viewer::User(id), R::Own) => Scope::Own(id),
        (Viewer::Anonymous, R::Users | R::Own) | (_, R::Operators) => Scope::Nothing,
    }
}

/// Whether `viewer` may add a row to a collection written as `write`.
pub fn may_create(write: CollectionWrite, viewer: Viewer) -> Result<(), Denied> {
    use CollectionWrite as W;
    match (viewer, write) {
        (Viewer::Operator, _) | (_, W::Public) | (Viewer::User(_), W::Users) => Ok(()),
        (Viewer::Anonymous, W::Users) => Err(Denied::SignIn),
        (_, W::Operators) => Err(Denied::Operators),
    }
}

/// The rows `viewer` may change or delete: operators any, a user their own (while the
/// collection lets users write). Anonymous visitors own nothing they could prove is theirs.
pub fn change_scope(write: CollectionWrite, viewer: Viewer) -> Result<Scope, Denied> {
    use CollectionWrite as W;
    match (viewer, write) {
        (Viewer::Operator, _) => Ok(Scope::All),
        (Viewer::User(id), W::Public | W::Users) => Ok(Scope::Own(id)),
        (Viewer::User(_), W::Operators) => Err(Denied::Operators),
        (Viewer::Anonymous, _) => Err(Denied::SignIn),
    }
}

/// A row's values checked against the collection's form (as a form submission is), in the
/// form's field order; a row holds at least one value.
pub fn check_row(form: &FormDef, items: Vec<FormDataItem>) -> Result<Vec<FormDataItem>, Refusal> {
    let items = check_submission(form, items)?;
    if items.is_empty() {
        return Err(Refusal::request(
            "formData holds no value: a row needs at least one field",
        ));
    }
    Ok(items)
}

/// `entityType` of a row or a filter: `None` when absent or empty; else trimmed text of at most
/// [`MAX_TOKEN_CHARS`] characters without control characters.
pub fn entity_type(value: &Value) -> Result<Option<String>, Refusal> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::String(s) => s.trim(),
        _ => return Err(Refusal::request("entityType must be text")),
    };
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_TOKEN_CHARS || text.chars().any(char::is_control) {
        return Err(Refusal::request(format!(
            "entityType must be at most {MAX_TOKEN_CHARS} characters of text"
        )));
    }
    Ok(Some(text.to_owned()))
}

/// `entityId` of a row or a filter: `None` when absent or empty; else a whole number ≥ 0 (a
/// number or its decimal text, as query strings carry it).
pub fn entity_id(value: &Value) -> Result<Option<i64>, Refusal> {
    let n = match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    n.filter(|n| *n >= 0)
        .map(Some)
        .ok_or_else(|| Refusal::request("entityId must be a whole number ≥ 0"))
}

#[cfg(test)]
mod tests;

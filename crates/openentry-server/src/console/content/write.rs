//! The writes of the content screens and the form fields they are made of. A write is the
//! management API's flow for one entry of one section and the audit entry its route writes;
//! an edit carries the version (`ETag`) its form was read at, so one made since is refused.

use axum::response::Response;
use http::StatusCode;
use serde_json::{Map, Value};

use super::super::guard::Form;
use super::super::page::{self, Chrome, Message};
use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::operators::Operator;
use crate::project::manage::{self, Versioned};
use crate::project::sections::by_path;
use crate::project::settings;
use crate::state::AppState;

/// One entry of a section, as `GET /api/admin/project/{section}/{key}` answers it.
pub(super) async fn read(state: &AppState, section: &str, key: &str) -> ApiResult<Versioned> {
    manage::read(state, by_path(section)?, key).await
}

/// Adds an entry (`POST /api/admin/project/{section}`).
pub(super) async fn create(
    state: &AppState,
    by: &Operator,
    section: &str,
    body: Value,
) -> ApiResult<()> {
    let s = by_path(section)?;
    let (_, change) = manage::create(state, s, body).await?;
    audit::project_edit(state, by, Some(s), change).await
}

/// Replaces an entry read at `version` (`PUT …/{key}` with `If-Match`; none is a 428).
pub(super) async fn replace(
    state: &AppState,
    by: &Operator,
    section: &str,
    key: &str,
    version: &str,
    body: Value,
) -> ApiResult<()> {
    let s = by_path(section)?;
    let given = Some(version).filter(|v| !v.is_empty());
    let (_, change) = manage::replace(state, s, key, given, body).await?;
    audit::project_edit(state, by, Some(s), change).await
}

/// Deletes an entry read at `version` (`DELETE …/{key}` with `If-Match`).
pub(super) async fn remove(
    state: &AppState,
    by: &Operator,
    section: &str,
    key: &str,
    version: &str,
) -> ApiResult<()> {
    let s = by_path(section)?;
    let given = Some(version).filter(|v| !v.is_empty());
    let change = manage::remove(state, s, key, given).await?;
    audit::project_edit(state, by, Some(s), change).await
}

/// Adds `code` to the project's locales (`PUT /api/admin/project/settings` over the settings
/// as just read), when it is not one of them already.
pub(super) async fn add_project_locale(
    state: &AppState,
    by: &Operator,
    code: &str,
) -> ApiResult<()> {
    let current = settings::settings(state).await?;
    let mut body = current.body;
    let Some(locales) = body
        .pointer_mut("/project/locales")
        .and_then(Value::as_array_mut)
    else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "settings without locales"
        )));
    };
    if locales.iter().any(|l| l.as_str() == Some(code)) {
        return Ok(());
    }
    locales.push(Value::from(code));
    let (_, change) = settings::replace_settings(state, Some(&current.etag), body).await?;
    audit::project_edit(state, by, None, change).await
}

/// The answer of a console write: the page it leads to, the page saying a stale form was
/// refused (412), or the flow's error as a page.
pub(super) fn answer(chrome: &Chrome, result: ApiResult<Response>) -> Response {
    match result {
        Ok(res) => res,
        Err(ApiError::PreconditionFailed(why)) => page::render(
            StatusCode::PRECONDITION_FAILED,
            &Message {
                chrome,
                heading: "stale",
                text: format!("{} ({why})", chrome.t("stale_text")),
            },
        ),
        Err(e) => page::failed(chrome, &e),
    }
}

/// A field's value, trimmed (empty when absent).
pub(super) fn field(form: &Form, name: &str) -> String {
    form.get(name).unwrap_or_default().trim().to_owned()
}

/// Whether a checkbox was ticked.
pub(super) fn ticked(form: &Form, name: &str) -> bool {
    form.get(name).is_some()
}

/// Every value of a repeated field (checkboxes of one name), in the form's order.
pub(super) fn all(form: &Form, name: &str) -> Vec<String> {
    form.0
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// An optional whole number; a value that is not one is a 400 naming the field.
pub(super) fn number(form: &Form, name: &str) -> ApiResult<Option<i64>> {
    let v = field(form, name);
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| ApiError::BadRequest(format!("Not valid: {name} must be a whole number")))
}

/// Sets `entry[key]`, or removes it for `None` (the file leaves absent values out).
pub(super) fn set(entry: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            entry.insert(key.to_owned(), v);
        }
        None => {
            entry.remove(key);
        }
    }
}

/// Sets the text of `locale` in the localized field `key`; an empty text removes it.
pub(super) fn set_text(entry: &mut Map<String, Value>, key: &str, locale: &str, text: String) {
    let slot = entry
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    if let Some(texts) = slot.as_object_mut() {
        if text.is_empty() {
            texts.remove(locale);
        } else {
            texts.insert(locale.to_owned(), Value::String(text));
        }
    }
}

/// The entry as an object to edit (the flows answer objects).
pub(super) fn object(body: Value) -> ApiResult<Map<String, Value>> {
    match body {
        Value::Object(m) => Ok(m),
        _ => Err(ApiError::Internal(anyhow::anyhow!("an entry is an object"))),
    }
}

/// A typed view of an entry, for a form to show.
pub(super) fn typed<T: serde::de::DeserializeOwned>(body: &Value) -> ApiResult<T> {
    serde_json::from_value(body.clone()).map_err(|e| ApiError::Internal(e.into()))
}

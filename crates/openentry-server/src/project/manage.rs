//! The management API's edits of the project definition, one entry of one section at a time
//! (docs/decisions.md, "Project management API"). An edit is made on the stored definition,
//! checked as `project check` checks a file, prepared as an import prepares one (media keys,
//! rich text, page HTML) and imported over the revision it was made from; other nodes load it
//! on their next poll. Each entry has a version tag (`ETag`): a replace or a delete must name
//! the version it was made from (`If-Match`), so an edit made since is refused, not lost.

use serde_json::{Value, json};

use super::edit::{checked, fresh, import_over};
use super::sections::{Section, entry_json, from_json, redact_all, section_json, to_json};
use crate::error::{ApiError, ApiResult};
use crate::media::source::MediaSource;
use crate::state::AppState;

/// An answer with its version tag.
#[derive(Debug)]
pub(crate) struct Versioned {
    /// The entry as the file writes it, secrets replaced by the marker.
    pub(crate) body: Value,
    /// Its `ETag`.
    pub(crate) etag: String,
}

/// What an edit changed, for the audit log (write-only values already replaced).
#[derive(Debug)]
pub(crate) struct Change {
    /// `products/16`, `settings`.
    pub(crate) target: String,
    /// The entry before (none for a creation).
    pub(crate) before: Option<Value>,
    /// The entry after (none for a deletion).
    pub(crate) after: Option<Value>,
}

pub(super) fn version(state: &AppState, entry: &Value) -> ApiResult<String> {
    let canonical = serde_json::to_vec(entry).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(state.keys.etag(&canonical))
}

fn versioned(state: &AppState, s: &Section, entry: &Value) -> ApiResult<Versioned> {
    let etag = version(state, entry)?;
    let mut body = entry.clone();
    s.redact(&mut body);
    Ok(Versioned { body, etag })
}

/// The `If-Match` an edit must carry (428 without one).
pub(crate) fn required(if_match: Option<&str>) -> ApiResult<&str> {
    if_match.ok_or_else(|| {
        ApiError::PreconditionRequired(
            "Send If-Match with the ETag your read of this item answered, so that an edit made \
             since is not overwritten"
                .to_owned(),
        )
    })
}

/// Refuses an edit whose `If-Match` names another version than `current` (412).
pub(super) fn precondition(given: &str, current: &str) -> ApiResult<()> {
    if given.split(',').any(|tag| tag.trim() == current) {
        Ok(())
    } else {
        Err(ApiError::PreconditionFailed(format!(
            "The item changed since your read (If-Match {given}, now {current}): read it again, \
             apply your edit to what it is now, and send its new ETag"
        )))
    }
}

/// The whole definition as JSON, write-only values replaced by the marker.
pub(crate) async fn whole(state: &AppState) -> ApiResult<Value> {
    let mut def = to_json(&fresh(state).await?.def)?;
    redact_all(&mut def);
    Ok(def)
}

/// The whole definition (as [`whole`] answers it) as the file `openentry project export`
/// writes: TOML, media as `media/<key>` paths.
pub(crate) async fn as_file(state: &AppState, def: Value) -> ApiResult<String> {
    let def = from_json(def)?;
    super::io::export(&def, &*state.media, None)
        .await
        .map_err(ApiError::Internal)
}

/// Every entry of a section.
pub(crate) async fn list(state: &AppState, s: &Section) -> ApiResult<Value> {
    let def = section_json(&fresh(state).await?.def, s)?;
    let items: Vec<Value> = s
        .entries(&def)
        .iter()
        .map(|e| {
            let mut e = e.clone();
            s.redact(&mut e);
            e
        })
        .collect();
    Ok(json!({ "total": items.len(), "items": items }))
}

/// One entry.
pub(crate) async fn read(state: &AppState, s: &Section, key: &str) -> ApiResult<Versioned> {
    let entry = entry_json(&fresh(state).await?.def, s, key)?.ok_or_else(|| s.missing(key))?;
    versioned(state, s, &entry)
}

/// Adds an entry (409 when its key is taken).
pub(crate) async fn create(
    state: &AppState,
    s: &Section,
    body: Value,
) -> ApiResult<(Versioned, Change)> {
    let key = s
        .key_of(&body)
        .ok_or_else(|| ApiError::BadRequest(format!("Not valid: the body has no `{}`", s.key)))?;
    let after = apply(state, s, Some(&key), |def| {
        if s.position(def, &key).is_some() {
            return Err(ApiError::Conflict(format!(
                "A {} with {} \"{key}\" exists already: replace it (PUT) or choose another",
                s.path, s.key
            )));
        }
        s.entries_mut(def)?.push(body);
        Ok(None)
    })
    .await?;
    changed(state, s, &key, None, &after)
}

/// Replaces the entry `key` with `body`, if `if_match` names its current version.
pub(crate) async fn replace(
    state: &AppState,
    s: &Section,
    key: &str,
    if_match: Option<&str>,
    mut body: Value,
) -> ApiResult<(Versioned, Change)> {
    let if_match = required(if_match)?;
    if s.key_of(&body).as_deref() != Some(key) {
        return Err(ApiError::BadRequest(format!(
            "Not valid: the body's `{}` must be \"{key}\" (a key is never renamed: create \
             another entry and delete this one)",
            s.key
        )));
    }
    let after = apply(state, s, Some(key), |def| {
        let i = s.position(def, key).ok_or_else(|| s.missing(key))?;
        let entries = s.entries_mut(def)?;
        precondition(if_match, &version(state, &entries[i])?)?;
        s.keep_secrets(&mut body, &entries[i]);
        let before = std::mem::replace(&mut entries[i], body);
        Ok(Some(before))
    })
    .await?;
    let before = after.before.clone();
    changed(state, s, key, before, &after)
}

/// Deletes the entry `key`, if `if_match` names its current version.
pub(crate) async fn remove(
    state: &AppState,
    s: &Section,
    key: &str,
    if_match: Option<&str>,
) -> ApiResult<Change> {
    let if_match = required(if_match)?;
    let after = apply(state, s, None, |def| {
        let i = s.position(def, key).ok_or_else(|| s.missing(key))?;
        let entries = s.entries_mut(def)?;
        precondition(if_match, &version(state, &entries[i])?)?;
        Ok(Some(entries.remove(i)))
    })
    .await?;
    let mut before = after.before;
    if let Some(b) = before.as_mut() {
        s.redact(b);
    }
    Ok(Change {
        target: format!("{}/{key}", s.path),
        before,
        after: None,
    })
}

/// The definition after an edit, and the entry it replaced.
struct Applied {
    def: Value,
    before: Option<Value>,
}

/// Applies `change` to the stored definition's JSON, checks and prepares the result (the
/// entry `prepare` only) and imports it over the revision it was made from.
async fn apply(
    state: &AppState,
    s: &Section,
    prepare: Option<&str>,
    change: impl FnOnce(&mut Value) -> ApiResult<Option<Value>>,
) -> ApiResult<Applied> {
    let current = fresh(state).await?;
    let mut json = to_json(&current.def)?;
    let before = change(&mut json)?;
    let mut def = from_json(json)?;
    checked(&def)?;
    if let Some(key) = prepare.filter(|_| s.prepared) {
        prepare_entry(state, s, &mut def, key).await?;
    }
    import_over(state, current.revision, &def).await?;
    Ok(Applied {
        def: to_json(&def)?,
        before,
    })
}

/// Rewrites one entry as an import would (media named by key, rich text normalized, page HTML
/// sanitized), on a definition holding only it and the attribute sets that type its values, so
/// the rest of the project is not walked again.
async fn prepare_entry(
    state: &AppState,
    s: &Section,
    def: &mut openentry_domain::project::ProjectDefinition,
    key: &str,
) -> ApiResult<()> {
    let mut full = to_json(def)?;
    let i = s.position(&full, key).ok_or_else(|| s.missing(key))?;
    let mut sub = json!({ "project": full["project"].clone() });
    if let Some(sets) = full.get("attribute_sets") {
        sub["attribute_sets"] = sets.clone();
    }
    sub[s.field] = json!([s.entries(&full)[i].clone()]);
    let mut sub = from_json(sub)?;
    crate::media::import::prepare(&mut sub, &*state.media, &MediaSource::Stored)
        .await
        .map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
            ApiError::BadRequest(format!("Not valid: {}", lines.join("; ")))
        })?;
    let prepared = to_json(&sub)?;
    s.entries_mut(&mut full)?[i] = s.entries(&prepared)[0].clone();
    *def = from_json(full)?;
    Ok(())
}

/// The answer and the audit record of an edit that left the entry `key` in `after`.
fn changed(
    state: &AppState,
    s: &Section,
    key: &str,
    mut before: Option<Value>,
    after: &Applied,
) -> ApiResult<(Versioned, Change)> {
    let i = s
        .position(&after.def, key)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("{} {key} vanished", s.path)))?;
    let answer = versioned(state, s, &s.entries(&after.def)[i])?;
    if let Some(b) = before.as_mut() {
        s.redact(b);
    }
    let change = Change {
        target: format!("{}/{key}", s.path),
        before,
        after: Some(answer.body.clone()),
    };
    Ok((answer, change))
}

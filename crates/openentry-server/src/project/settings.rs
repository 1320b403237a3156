//! The project-wide settings through the management API (`/api/admin/project/settings`):
//! `[project]`, `[discount_settings]` and `[bonus_settings]` edited together, versioned like
//! the entries of a section (`manage`).

use openentry_domain::project::{
    BonusSettingsDef, DiscountSettingsDef, ProjectDefinition, ProjectSettings,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::edit::{checked, fresh, import_over};
use super::manage::{Change, Versioned, precondition, required, version};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The project-wide settings, edited together.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    project: ProjectSettings,
    #[serde(default)]
    discount_settings: DiscountSettingsDef,
    #[serde(default)]
    bonus_settings: BonusSettingsDef,
}

/// The project-wide settings.
pub(crate) async fn settings(state: &AppState) -> ApiResult<Versioned> {
    settings_of(state, &fresh(state).await?.def)
}

fn settings_of(state: &AppState, def: &ProjectDefinition) -> ApiResult<Versioned> {
    let body = serde_json::to_value(Settings {
        project: def.project.clone(),
        discount_settings: def.discount_settings.clone(),
        bonus_settings: def.bonus_settings.clone(),
    })
    .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(Versioned {
        etag: version(state, &body)?,
        body,
    })
}

/// Replaces the project-wide settings, if `if_match` names their current version.
pub(crate) async fn replace_settings(
    state: &AppState,
    if_match: Option<&str>,
    body: Value,
) -> ApiResult<(Versioned, Change)> {
    let if_match = required(if_match)?;
    let given: Settings = serde_json::from_value(body)
        .map_err(|e| ApiError::BadRequest(format!("Not valid: {e}")))?;
    let current = fresh(state).await?;
    let before = settings_of(state, &current.def)?;
    precondition(if_match, &before.etag)?;
    let mut def = current.def.clone();
    def.project = given.project;
    def.discount_settings = given.discount_settings;
    def.bonus_settings = given.bonus_settings;
    checked(&def)?;
    import_over(state, current.revision, &def).await?;
    let after = settings_of(state, &def)?;
    let change = Change {
        target: "settings".to_owned(),
        before: Some(before.body),
        after: Some(after.body.clone()),
    };
    Ok((after, change))
}

//! The project's app tokens on the settings page (`[[app_tokens]]`, the storefront's keys):
//! listed as set or not set, never shown; a new secret replaces the stored one, an empty field
//! keeps it. The flow behind `/api/admin/project/app-tokens`, each token's version carried in
//! its form.

use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use serde_json::{Value, json};

use super::guard::Form;
use super::page::{self, Chrome, OrFail};
use super::sessions::Current;
use super::settings::text;
use crate::audit;
use crate::error::ApiResult;
use crate::project::manage;
use crate::project::sections::by_path;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings/app-tokens", post(create))
        .route("/admin/settings/app-tokens/secret", post(replace))
}

/// An app token as the page shows it: never its secret.
pub(super) struct AppToken {
    pub(super) name: String,
    /// A secret is stored in the definition.
    pub(super) set: bool,
    /// The environment variable read instead (a name, not a secret).
    pub(super) env: Option<String>,
    /// Its version, for the form that replaces the secret.
    pub(super) version: String,
}

/// Every app token of the project.
pub(super) async fn list(state: &AppState) -> ApiResult<Vec<AppToken>> {
    let s = by_path("app-tokens")?;
    let all = manage::list(state, s).await?;
    let mut out = Vec::new();
    for e in all["items"].as_array().map_or(&[][..], Vec::as_slice) {
        let Some(name) = s.key_of(e) else { continue };
        let v = manage::read(state, s, &name).await?;
        out.push(AppToken {
            set: v.body.get("token").is_some_and(|t| !t.is_null()),
            env: v
                .body
                .get("token_env")
                .and_then(Value::as_str)
                .map(str::to_owned),
            name,
            version: v.etag,
        });
    }
    Ok(out)
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    async {
        let body = json!({
            "name": text(&form, "name").unwrap_or_default(),
            "token": text(&form, "token").unwrap_or_default(),
        });
        let s = by_path("app-tokens")?;
        let (_, change) = manage::create(&state, s, body).await?;
        audit::project_edit(&state, &current.operator, Some(s), change).await?;
        Ok(page::see("/admin/settings?done=token"))
    }
    .await
    .or_fail(&chrome)
}

/// A new secret for a token; an empty field changes nothing (the stored one is kept).
async fn replace(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    async {
        let s = by_path("app-tokens")?;
        let name = form.get("name").unwrap_or_default();
        let Some(secret) = text(&form, "token") else {
            return Ok(page::see("/admin/settings"));
        };
        let body = json!({"name": name, "token": secret});
        let (_, change) = manage::replace(&state, s, name, form.get("version"), body).await?;
        audit::project_edit(&state, &current.operator, Some(s), change).await?;
        Ok(page::see("/admin/settings?done=token"))
    }
    .await
    .or_fail(&chrome)
}

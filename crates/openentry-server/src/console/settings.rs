//! Settings (managers read, owners write): the project-wide settings (name, locales, discount
//! and bonus rules) through the flow behind `GET`/`PUT /api/admin/project/settings`, their
//! version carried in the form so an edit made since is refused (412), not lost. The app
//! tokens, whose secrets are write-only, are `super::app_tokens`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::{BonusSettingsDef, DiscountSettingsDef, ProjectSettings};
use serde::Deserialize;
use serde_json::{Value, json};

use super::app_tokens::{self, AppToken};
use super::guard::Form;
use super::page::{self, Chrome, DoneQuery, OrFail};
use super::sessions::Current;
use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::project::settings as flow;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings", get(show).post(save))
        .merge(app_tokens::router())
}

/// The settings as the flow answers them.
#[derive(Debug, Deserialize)]
struct Settings {
    project: ProjectSettings,
    #[serde(default)]
    discount_settings: DiscountSettingsDef,
    #[serde(default)]
    bonus_settings: BonusSettingsDef,
}

#[derive(Template)]
#[template(path = "console/settings.html")]
struct SettingsPage<'a> {
    chrome: &'a Chrome,
    s: Settings,
    locales: String,
    version: String,
    tokens: Vec<AppToken>,
    done: bool,
    may_write: bool,
}

async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<DoneQuery>,
) -> Response {
    async {
        let v = flow::settings(&state).await?;
        let s: Settings =
            serde_json::from_value(v.body).map_err(|e| ApiError::Internal(e.into()))?;
        Ok(page::ok(&SettingsPage {
            locales: s.project.locales.join(", "),
            s,
            version: v.etag,
            tokens: app_tokens::list(&state).await?,
            done: q.done.is_some(),
            may_write: chrome.may(Resource::Settings, Action::Write),
            chrome: &chrome,
        }))
    }
    .await
    .or_fail(&chrome)
}

/// A text field: trimmed, `None` when empty.
pub(super) fn text(form: &Form, name: &str) -> Option<String> {
    form.get(name)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The settings a form gives, in the flow's shape (amounts and percentages stay the exact
/// text typed; the definition's check reads them).
fn body_of(form: &Form) -> ApiResult<Value> {
    let locales: Vec<&str> = form
        .get("locales")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let expiry = match text(form, "expiry_days") {
        None => None,
        Some(d) => Some(d.parse::<u32>().map_err(|_| {
            ApiError::BadRequest(format!("Bonus expiry: \"{d}\" is not a number of days"))
        })?),
    };
    let mut body = json!({
        "project": {"name": form.get("name").unwrap_or_default().trim(), "locales": locales},
        "discount_settings": {
            "allow_stacking": form.get("allow_stacking").is_some(),
            "allow_gift_stacking": form.get("allow_gift_stacking").is_some(),
        },
        "bonus_settings": {},
    });
    if let Some(p) = text(form, "max_discount_percent") {
        body["discount_settings"]["max_discount_percent"] = json!(p);
    }
    for field in ["max_payment_percent", "min_balance", "min_order_amount"] {
        if let Some(v) = text(form, field) {
            body["bonus_settings"][field] = json!(v);
        }
    }
    if let Some(d) = expiry {
        body["bonus_settings"]["expiry_days"] = json!(d);
    }
    Ok(body)
}

async fn save(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    async {
        let (_, change) =
            flow::replace_settings(&state, form.get("version"), body_of(&form)?).await?;
        audit::project_edit(&state, &current.operator, None, change).await?;
        Ok(page::see("/admin/settings?done=saved"))
    }
    .await
    .or_fail(&chrome)
}

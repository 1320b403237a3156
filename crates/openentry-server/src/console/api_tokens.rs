//! API tokens on the admins page (owners only): created with a role, their secret shown once
//! on the answer to the form that made them and never again, and revoked. The same flows and
//! audit entries as `/api/admin/tokens`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use openentry_domain::operators::Resource;
use openentry_types::audit::{CreatedToken, NewTokenBody};

use super::admins::role_of;
use super::guard::Form;
use super::page::{self, Chrome, OrFail};
use super::sessions::Current;
use crate::audit::{self, Change};
use crate::operators::tokens;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/admins/tokens", post(create))
        .route("/admin/admins/tokens/{id}/revoke", post(revoke))
}

/// The answer to the creation: the one page that holds the secret. It is this POST's answer
/// rather than a redirect, because no later GET may show the secret (docs/decisions.md,
/// "Operator console"); pages are never cached (`no-store`).
#[derive(Template)]
#[template(path = "console/token_created.html")]
struct CreatedPage<'a> {
    chrome: &'a Chrome,
    created: CreatedToken,
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    async {
        let body = NewTokenBody {
            name: form.get("name").unwrap_or_default().to_owned(),
            role: role_of(&form)?,
        };
        let created = tokens::create(&state, &current.operator, &body).await?;
        let change = Change {
            action: "create",
            resource: Resource::Admins,
            target: format!("tokens/{}", created.view.id),
            before: None,
            after: serde_json::to_value(&created.view).ok(),
        };
        audit::record(&state, &current.operator, change).await?;
        Ok(page::ok(&CreatedPage {
            chrome: &chrome,
            created,
        }))
    }
    .await
    .or_fail(&chrome)
}

async fn revoke(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
) -> Response {
    async {
        tokens::revoke(&state, id).await?;
        let change = Change {
            action: "revoke",
            resource: Resource::Admins,
            target: format!("tokens/{id}"),
            before: None,
            after: None,
        };
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see("/admin/admins?done=revoked"))
    }
    .await
    .or_fail(&chrome)
}

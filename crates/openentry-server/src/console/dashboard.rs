//! `GET /admin`: the day's orders and money, and what waits for an operator.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};

use super::page::{self, Chrome, OrFail};
use super::sessions::Current;
use crate::dashboard::Figures;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin", get(show))
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct Dashboard<'a> {
    chrome: &'a Chrome,
    f: Figures,
}

async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
) -> Response {
    async {
        let f = crate::dashboard::figures(&state, &current.operator).await?;
        Ok(page::ok(&Dashboard { chrome: &chrome, f }))
    }
    .await
    .or_fail(&chrome)
}

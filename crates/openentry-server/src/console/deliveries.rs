//! Events and deliveries: the delivery log filtered by state, and replaying a dead delivery
//! (the flows behind `GET /api/admin/deliveries` and `POST /api/admin/deliveries/{id}/replay`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_store::deliveries::LogFilter;
use openentry_types::paging::Paging;
use serde::Deserialize;

use super::orders::Choice;
use super::page::{self, Chrome, OrFail};
use super::sessions::Current;
use crate::audit;
use crate::relay::admin::DeliveryView;
use crate::state::AppState;

/// Deliveries per page.
const PER_PAGE: u32 = 50;

/// The states an operator filters by (`failed`: pending a retry after an error).
const STATES: [&str; 5] = ["pending", "sending", "sent", "failed", "dead"];

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/deliveries", get(list))
        .route("/admin/deliveries/{id}/replay", post(replay))
}

#[derive(Template)]
#[template(path = "console/deliveries.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    items: Vec<DeliveryView>,
    states: Vec<Choice>,
    page: u32,
    pages: u32,
    keep: String,
    may_replay: bool,
    done: bool,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    state: Option<String>,
    page: Option<u32>,
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    async {
        let chosen = q.state.filter(|s| STATES.contains(&s.as_str()));
        let page = q.page.unwrap_or(1).max(1);
        let paging = Paging::new((page - 1).saturating_mul(PER_PAGE), PER_PAGE);
        let filter = LogFilter {
            state: chosen.clone(),
            ..LogFilter::default()
        };
        let found = crate::relay::admin::log(&state, &filter, paging).await?;
        let states = STATES
            .iter()
            .map(|s| Choice {
                value: (*s).to_owned(),
                label: (*s).to_owned(),
                selected: chosen.as_deref() == Some(*s),
            })
            .collect();
        let pages = u32::try_from(found.total)
            .unwrap_or(u32::MAX)
            .div_ceil(PER_PAGE)
            .max(1);
        let keep = serde_urlencoded::to_string([("state", chosen.unwrap_or_default())])
            .unwrap_or_default();
        Ok(page::ok(&ListPage {
            may_replay: chrome.may(Resource::Events, Action::Write),
            chrome: &chrome,
            items: found.items,
            states,
            page,
            pages,
            keep,
            done: q.done.is_some(),
        }))
    }
    .await
    .or_fail(&chrome)
}

async fn replay(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
) -> Response {
    async {
        let d = crate::relay::admin::replay(&state, &id).await?;
        let change = audit::after("replay", Resource::Events, format!("deliveries/{id}"), &d);
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see("/admin/deliveries?done=replay"))
    }
    .await
    .or_fail(&chrome)
}

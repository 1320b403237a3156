//! Events and deliveries: the delivery log filtered by state, and replaying a dead delivery
//! (the flows behind `GET /api/admin/deliveries` and `POST /api/admin/deliveries/{id}/replay`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_store::deliveries::LogFilter;
use serde::Deserialize;

use super::orders::Choice;
use super::page::{self, Chrome, OrFail};
use super::pager::Pager;
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
    pager: Pager,
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
        let filter = LogFilter {
            state: chosen.clone(),
            ..LogFilter::default()
        };
        let keep = serde_urlencoded::to_string([("state", chosen.clone().unwrap_or_default())])
            .unwrap_or_default();
        let pager = Pager::new("/admin/deliveries", &keep, q.page, PER_PAGE);
        let found = crate::relay::admin::log(&state, &filter, pager.paging()).await?;
        let states = STATES
            .iter()
            .map(|s| Choice {
                value: (*s).to_owned(),
                label: (*s).to_owned(),
                selected: chosen.as_deref() == Some(*s),
            })
            .collect();
        Ok(page::ok(&ListPage {
            may_replay: chrome.may(Resource::Events, Action::Write),
            chrome: &chrome,
            items: found.items,
            states,
            pager: pager.total(found.total),
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

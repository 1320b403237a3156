//! The catalog's definitions, read only: product statuses and attribute sets as the project
//! defines them (edited through the management API, `/api/admin/project/product-statuses` and
//! `/attribute-sets`).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use super::orders::text;
use super::page::{self, Chrome};
use super::pager::Pager;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/catalog/statuses", get(statuses))
        .route("/admin/catalog/attribute-sets", get(sets))
}

/// Entries a page shows.
const PER_PAGE: u32 = 50;

#[derive(Debug, serde::Deserialize)]
struct ListQuery {
    page: Option<u32>,
}

/// A product status as the list shows it.
struct Status {
    identifier: String,
    title: String,
    default: bool,
    orderable: bool,
}

#[derive(Template)]
#[template(path = "console/product_statuses.html")]
struct StatusesPage<'a> {
    chrome: &'a Chrome,
    items: Vec<Status>,
    pager: Pager,
}

/// An attribute set as the list shows it: its attributes as `marker (type)`.
struct Set {
    identifier: String,
    title: String,
    attributes: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "console/attribute_sets.html")]
struct SetsPage<'a> {
    chrome: &'a Chrome,
    items: Vec<Set>,
    pager: Pager,
}

fn pager(path: &str, page: Option<u32>, total: usize) -> Pager {
    Pager::new(path, "", page, PER_PAGE).total(total)
}

async fn statuses(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    let all = &project.def.product_statuses;
    let pager = pager("/admin/catalog/statuses", q.page, all.len());
    let items = all
        .iter()
        .skip(pager.skip())
        .take(pager.take())
        .map(|s| Status {
            title: text(&project, &s.title, &locale, &s.identifier),
            identifier: s.identifier.clone(),
            default: s.default,
            orderable: s.orderable,
        })
        .collect();
    page::ok(&StatusesPage {
        chrome: &chrome,
        items,
        pager,
    })
}

async fn sets(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    let all = &project.def.attribute_sets;
    let pager = pager("/admin/catalog/attribute-sets", q.page, all.len());
    let items = all
        .iter()
        .skip(pager.skip())
        .take(pager.take())
        .map(|s| Set {
            title: text(&project, &s.title, &locale, &s.identifier),
            identifier: s.identifier.clone(),
            attributes: s
                .attributes
                .iter()
                .map(|a| (a.marker.clone(), a.kind.to_string()))
                .collect(),
        })
        .collect();
    page::ok(&SetsPage {
        chrome: &chrome,
        items,
        pager,
    })
}

//! Content: the pages tree, blocks, menus and locales of the project definition. Every change
//! is the management API's flow for one entry (`project::manage`, as
//! `/api/admin/project/{pages,blocks,menus,locales}` call it): checked exactly as `project
//! import` checks a file, made over the version the form was read at (a stale form is refused,
//! never applied), and written to the audit log as the API writes it.

mod blocks;
mod locales;
mod menus;
mod pages;
mod tree;
mod write;

use axum::Router;

use super::pager::Pager;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .merge(tree::router())
        .merge(pages::router())
        .merge(blocks::router())
        .merge(menus::router())
        .merge(locales::router())
}

/// What a content screen's address asks for: the notice of a change just made, a list's page.
#[derive(Debug, serde::Deserialize)]
struct DoneQuery {
    done: Option<String>,
    page: Option<u32>,
}

/// Rows a page of the blocks, menus and locales lists shows. The pages tree is not cut into
/// pages: a cut would separate children from their parent.
const PER_PAGE: u32 = 50;

/// The pager of a list of `total` rows held in memory.
fn pager(path: &str, asked: Option<u32>, total: usize) -> Pager {
    Pager::new(path, "", asked, PER_PAGE).total(total)
}

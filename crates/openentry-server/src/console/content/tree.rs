//! The content screen (`/admin/content`): the pages as a tree, each page under the page its
//! `parent` names in the definition's order, flattened into the pieces a template writes as
//! nested lists.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::PageDef;

use super::super::orders::text;
use super::super::page::{self, Chrome};
use super::DoneQuery;
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/content", get(index))
}

#[derive(Template)]
#[template(path = "console/content.html")]
struct TreePage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    tree: Vec<Piece>,
    may_write: bool,
    done: bool,
}

async fn index(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<DoneQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    page::ok(&TreePage {
        tree: pieces(&project, &locale),
        may_write: chrome.may(Resource::Content, Action::Write),
        chrome: &chrome,
        tab: "pages",
        done: q.done.is_some(),
    })
}

/// A page of the tree.
pub(super) struct Node {
    pub(super) url: String,
    pub(super) title: String,
    pub(super) visible: bool,
}

/// One piece of the nested lists: a page (`opens` when its children follow, in a list of
/// their own), or the end of a page's children (`node` is `None`).
pub(super) struct Piece {
    pub(super) node: Option<Node>,
    pub(super) opens: bool,
}

/// The tree of the project's pages in `locale`.
fn pieces(project: &Project, locale: &str) -> Vec<Piece> {
    let pages = &project.def.pages;
    let mut children: HashMap<Option<&str>, Vec<&PageDef>> = HashMap::new();
    for p in pages {
        // A parent that is not a page cannot pass the check; shown at the root if it did.
        let parent = p
            .parent
            .as_deref()
            .filter(|u| project.def.page(u).is_some());
        children.entry(parent).or_default().push(p);
    }
    let mut out = Vec::with_capacity(pages.len() * 2);
    // The check refuses cycles; the depth bound keeps a bad definition from looping here.
    walk(project, locale, &children, None, &mut out, pages.len());
    out
}

fn walk(
    project: &Project,
    locale: &str,
    children: &HashMap<Option<&str>, Vec<&PageDef>>,
    parent: Option<&str>,
    out: &mut Vec<Piece>,
    depth_left: usize,
) {
    let Some(list) = children.get(&parent) else {
        return;
    };
    for p in list {
        let opens = depth_left > 0 && children.contains_key(&Some(p.url.as_str()));
        out.push(Piece {
            node: Some(Node {
                url: p.url.clone(),
                title: text(project, &p.title, locale, &p.url),
                visible: p.visible,
            }),
            opens,
        });
        if opens {
            walk(
                project,
                locale,
                children,
                Some(p.url.as_str()),
                out,
                depth_left - 1,
            );
            out.push(Piece {
                node: None,
                opens: false,
            });
        }
    }
}

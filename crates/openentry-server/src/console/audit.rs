//! The audit log: every change made through the management API or the console, newest first,
//! filtered by actor, resource and target, each with the thing before and after it as indented
//! JSON (escaped like everything the console shows). The flow behind `GET /api/admin/audit`.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use openentry_domain::operators::Resource;
use openentry_store::audit::AuditFilter;
use openentry_types::audit::AuditEntry;
use serde::Deserialize;

use super::orders::Choice;
use super::page::{self, Chrome, OrFail};
use super::pager::Pager;
use crate::state::AppState;

/// Entries per page.
const PER_PAGE: u32 = 25;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(list))
}

/// One entry with its JSON laid out for reading.
struct Row {
    entry: AuditEntry,
    before: Option<String>,
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    rows: Vec<Row>,
    resources: Vec<Choice>,
    actor: String,
    target: String,
    total: i64,
    pager: Pager,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    actor: Option<String>,
    resource: Option<String>,
    target: Option<String>,
    page: Option<u32>,
}

fn pretty(v: Option<&serde_json::Value>) -> Option<String> {
    v.map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    async {
        let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        // An unknown resource matches nothing rather than everything.
        let filter = AuditFilter {
            actor: given(q.actor),
            resource: given(q.resource),
            target: given(q.target),
        };
        let keep = serde_urlencoded::to_string([
            ("actor", filter.actor.clone().unwrap_or_default()),
            ("resource", filter.resource.clone().unwrap_or_default()),
            ("target", filter.target.clone().unwrap_or_default()),
        ])
        .unwrap_or_default();
        let pager = Pager::new("/admin/audit", &keep, q.page, PER_PAGE);
        let entries = crate::audit::entries(&state, &filter, pager.paging()).await?;
        let total = crate::audit::count(&state, &filter).await?;
        let rows = entries
            .into_iter()
            .map(|entry| Row {
                before: pretty(entry.before.as_ref()),
                after: pretty(entry.after.as_ref()),
                entry,
            })
            .collect();
        let resources = Resource::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: r.as_str().to_owned(),
                selected: filter.resource.as_deref() == Some(r.as_str()),
            })
            .collect();
        Ok(page::ok(&ListPage {
            chrome: &chrome,
            rows,
            resources,
            actor: filter.actor.unwrap_or_default(),
            target: filter.target.unwrap_or_default(),
            total,
            pager: pager.total(total),
        }))
    }
    .await
    .or_fail(&chrome)
}

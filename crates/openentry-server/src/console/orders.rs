//! Orders: the list with its filters, one order with its lines, payments, refund requests and
//! history, and the operator's changes (status, refund decision). Each change is the flow the
//! API's handler calls, then 303 back to the order.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::refunds::RefundStatus;
use openentry_types::admin::{AdminOrder, HistoryEntry};
use openentry_types::orders::RefundRequest;
use openentry_types::payments::PaymentSession;
use serde::Deserialize;

use super::guard::Form;
use super::page::{self, Chrome, DoneQuery, OrFail};
use super::pager::Pager;
use super::sessions::Current;
use crate::audit;
use crate::error::ApiError;
use crate::orders::admin::Filter;
use crate::project::Project;
use crate::state::AppState;

/// Orders per page.
const PER_PAGE: u32 = 25;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/orders", get(list))
        .route("/admin/orders/{id}", get(detail))
        .route("/admin/orders/{id}/status", post(set_status))
        .route("/admin/orders/{id}/refund", post(decide_refund))
}

/// A choice of a filter or a status form.
pub(super) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// One row of the list.
struct Row {
    order: AdminOrder,
    status: String,
    storage: String,
}

#[derive(Template)]
#[template(path = "console/orders.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    rows: Vec<Row>,
    storages: Vec<Choice>,
    statuses: Vec<Choice>,
    total: i64,
    pager: Pager,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    status: Option<String>,
    storage: Option<String>,
    page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    async {
        let filter = Filter {
            storage: q.storage.filter(|s| !s.is_empty()),
            status: q.status.filter(|s| !s.is_empty()),
        };
        let keep = serde_urlencoded::to_string([
            ("status", filter.status.clone().unwrap_or_default()),
            ("storage", filter.storage.clone().unwrap_or_default()),
        ])
        .unwrap_or_default();
        let pager = Pager::new("/admin/orders", &keep, q.page, PER_PAGE);
        let found = crate::orders::admin::list_all(&state, &filter, pager.paging()).await?;
        let project = state.project();
        let locale = chrome.locale(&project);
        let rows = found
            .items
            .into_iter()
            .map(|order| Row {
                status: status_title(&project, &order.order.status_identifier, &locale),
                storage: storage_title(&project, order.order.storage_id, &locale),
                order,
            })
            .collect();
        let storages = project
            .order_storages
            .iter()
            .map(|s| Choice {
                value: s.def.identifier.clone(),
                label: text(&project, &s.def.title, &locale, &s.def.identifier),
                selected: filter.storage.as_deref() == Some(s.def.identifier.as_str()),
            })
            .collect();
        let statuses = project
            .order_statuses
            .iter()
            .map(|s| Choice {
                value: s.def.status.identifier.clone(),
                label: text(
                    &project,
                    &s.def.status.title,
                    &locale,
                    &s.def.status.identifier,
                ),
                selected: filter.status.as_deref() == Some(s.def.status.identifier.as_str()),
            })
            .collect();
        Ok(page::ok(&ListPage {
            chrome: &chrome,
            rows,
            storages,
            statuses,
            total: found.total,
            pager: pager.total(found.total),
        }))
    }
    .await
    .or_fail(&chrome)
}

#[derive(Template)]
#[template(path = "console/order.html")]
struct DetailPage<'a> {
    chrome: &'a Chrome,
    order: AdminOrder,
    status: String,
    storage: String,
    statuses: Vec<Choice>,
    sessions: Vec<(PaymentSession, bool)>,
    refunds: Vec<RefundRequest>,
    history: Vec<HistoryEntry>,
    form_data: String,
    done: bool,
    may_status: bool,
    may_refund: bool,
    may_settle: bool,
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    async {
        let order = crate::orders::admin::get(&state, id).await?;
        let history = crate::orders::admin::history(&state, id).await?;
        // What this role may not read is not read (the API would refuse it as well).
        let sessions = if current
            .operator
            .require(Resource::Payments, Action::Read)
            .is_ok()
        {
            settleable(&state, crate::payments::admin::for_order(&state, id).await?)
        } else {
            Vec::new()
        };
        let refunds = if current
            .operator
            .require(Resource::Refunds, Action::Read)
            .is_ok()
        {
            crate::orders::refunds::list_any(&state, id).await?
        } else {
            Vec::new()
        };
        let project = state.project();
        let locale = chrome.locale(&project);
        let statuses = storage_statuses(&project, &order, &locale);
        let form_data = serde_json::to_string_pretty(&order.order.form_data).unwrap_or_default();
        Ok(page::ok(&DetailPage {
            status: status_title(&project, &order.order.status_identifier, &locale),
            storage: storage_title(&project, order.order.storage_id, &locale),
            may_status: chrome.may(Resource::Orders, Action::Write),
            may_refund: chrome.may(Resource::Refunds, Action::Write),
            may_settle: chrome.may(Resource::Payments, Action::Write),
            chrome: &chrome,
            order,
            statuses,
            sessions,
            refunds,
            history,
            form_data,
            done: q.done.is_some(),
        }))
    }
    .await
    .or_fail(&chrome)
}

/// Sessions, each with whether an operator may settle it here (waiting, offline account).
fn settleable(state: &AppState, sessions: Vec<PaymentSession>) -> Vec<(PaymentSession, bool)> {
    let project = state.project();
    sessions
        .into_iter()
        .map(|s| {
            let offline = project
                .payment_accounts
                .by_id(s.payment_account_id)
                .is_some_and(|a| a.def.kind == openentry_domain::project::AccountKind::Custom);
            let may = offline && s.status == "waiting";
            (s, may)
        })
        .collect()
}

async fn set_status(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let to = form
            .get("status")
            .ok_or_else(|| ApiError::BadRequest("Choose a status".to_owned()))?;
        let order = crate::orders::update::set_status(&state, id, to).await?;
        // The same entry as `PUT /api/admin/orders/{id}/status` writes.
        let change = audit::after("status", Resource::Orders, format!("orders/{id}"), &order);
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see(&format!("/admin/orders/{id}?done=status")))
    }
    .await
    .or_fail(&chrome)
}

async fn decide_refund(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let status = match form.get("decision") {
            Some("approved") => RefundStatus::Approved,
            Some("rejected") => RefundStatus::Rejected,
            _ => return Err(ApiError::BadRequest("Approve or refuse".to_owned())),
        };
        let decided = crate::orders::refund_admin::decide(&state, id, status).await?;
        let change = audit::after(
            "refund",
            Resource::Refunds,
            format!("orders/{id}"),
            &decided,
        );
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see(&format!("/admin/orders/{id}?done=refund")))
    }
    .await
    .or_fail(&chrome)
}

/// The statuses of the order's storage, the current one selected.
fn storage_statuses(project: &Project, order: &AdminOrder, locale: &str) -> Vec<Choice> {
    let storage = project
        .order_storages
        .by_id(order.order.storage_id)
        .map(|s| s.def.identifier.as_str())
        .unwrap_or_default();
    project
        .order_statuses
        .iter()
        .filter(|s| s.def.storage == storage)
        .map(|s| Choice {
            value: s.def.status.identifier.clone(),
            label: text(
                project,
                &s.def.status.title,
                locale,
                &s.def.status.identifier,
            ),
            selected: s.def.status.identifier == order.order.status_identifier,
        })
        .collect()
}

pub(super) fn status_title(project: &Project, marker: &str, locale: &str) -> String {
    project.order_statuses.by_marker(marker).map_or_else(
        || marker.to_owned(),
        |s| text(project, &s.def.status.title, locale, marker),
    )
}

fn storage_title(project: &Project, id: i64, locale: &str) -> String {
    project.order_storages.by_id(id).map_or_else(
        || id.to_string(),
        |s| text(project, &s.def.title, locale, &s.def.identifier),
    )
}

/// A localized text, or the marker when the project gives none.
pub(super) fn text(
    project: &Project,
    texts: &openentry_domain::project::Localized,
    locale: &str,
    marker: &str,
) -> String {
    project.text_in(texts, locale).unwrap_or(marker).to_owned()
}

//! Payments: every session, newest first, and settling an offline (cash) session when the
//! money arrived: the flow behind `POST /api/admin/payments/sessions/{id}/complete`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::Resource;
use openentry_domain::payments::SessionStatus;
use openentry_types::payments::PaymentSession;
use serde::Deserialize;

use super::guard::Form;
use super::page::{self, Chrome, OrFail};
use super::pager::Pager;
use super::sessions::Current;
use crate::audit;
use crate::state::AppState;

/// Sessions per page.
const PER_PAGE: u32 = 25;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/payments", get(list))
        .route("/admin/payments/{id}/complete", post(complete))
}

#[derive(Template)]
#[template(path = "console/payments.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    sessions: Vec<PaymentSession>,
    pager: Pager,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    async {
        let pager = Pager::new("/admin/payments", "", q.page, PER_PAGE);
        let found = crate::payments::admin::sessions(&state, pager.paging()).await?;
        Ok(page::ok(&ListPage {
            chrome: &chrome,
            pager: pager.total(found.total),
            sessions: found.items,
        }))
    }
    .await
    .or_fail(&chrome)
}

/// Settles the session, then back to its order (the form names it) or to the list.
async fn complete(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let s = crate::payments::admin::operator_set(&state, id, SessionStatus::Completed).await?;
        let change = audit::after(
            "settle",
            Resource::Payments,
            format!("payments/sessions/{id}"),
            &s,
        );
        audit::record(&state, &current.operator, change).await?;
        let back = match form.get("order").and_then(|o| o.parse::<i64>().ok()) {
            Some(order) if order == s.order_id => format!("/admin/orders/{order}?done=paid"),
            _ => "/admin/payments".to_owned(),
        };
        Ok(page::see(&back))
    }
    .await
    .or_fail(&chrome)
}

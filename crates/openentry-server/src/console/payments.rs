//! Payments: every session, newest first, and settling an offline (cash) session when the
//! money arrived: the flow behind `POST /api/admin/payments/sessions/{id}/complete`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::Resource;
use openentry_domain::payments::SessionStatus;
use openentry_types::paging::Paging;
use openentry_types::payments::PaymentSession;
use serde::Deserialize;

use super::guard::Form;
use super::page::{self, Chrome, OrFail};
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
    page: u32,
    pages: u32,
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
        let page = q.page.unwrap_or(1).max(1);
        let paging = Paging::new((page - 1).saturating_mul(PER_PAGE), PER_PAGE);
        let found = crate::payments::admin::sessions(&state, paging).await?;
        let pages = u32::try_from(found.total)
            .unwrap_or(u32::MAX)
            .div_ceil(PER_PAGE)
            .max(1);
        Ok(page::ok(&ListPage {
            chrome: &chrome,
            sessions: found.items,
            page,
            pages,
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

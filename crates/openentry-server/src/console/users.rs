//! Users: the list with a login search, one user (profile, groups, access, bonus balance and
//! ledger), and the operator's changes: block or unblock, a password-reset code sent to the
//! user, a bonus adjustment. Each change is the flow `/api/admin` calls, with the same audit
//! entry, then 303 back to the user.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_types::admin_data::{AdminUser, AdminUserDetail, BonusEntry};
use openentry_types::form_data::read_form_data;
use serde::Deserialize;

use super::guard::Form;
use super::page::{self, Chrome, DoneQuery, OrFail};
use super::pager::Pager;
use super::sessions::Current;
use crate::audit::{self, Change};
use crate::bonus_admin;
use crate::error::ApiError;
use crate::state::AppState;
use crate::user_admin;

/// Users per page.
const PER_PAGE: u32 = 25;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/{id}", get(detail))
        .route("/admin/users/{id}/block", post(block))
        .route("/admin/users/{id}/reset", post(reset))
        .route("/admin/users/{id}/bonus", post(adjust))
}

#[derive(Template)]
#[template(path = "console/users.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    rows: Vec<AdminUser>,
    q: String,
    total: i64,
    pager: Pager,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    async {
        let search = q.q.unwrap_or_default().trim().to_owned();
        let keep = if search.is_empty() {
            String::new()
        } else {
            serde_urlencoded::to_string([("q", &search)]).unwrap_or_default()
        };
        let pager = Pager::new("/admin/users", &keep, q.page, PER_PAGE);
        let found = user_admin::list(&state, Some(&search), pager.paging()).await?;
        Ok(page::ok(&ListPage {
            chrome: &chrome,
            rows: found.items,
            q: search,
            total: found.total,
            pager: pager.total(found.total),
        }))
    }
    .await
    .or_fail(&chrome)
}

#[derive(Template)]
#[template(path = "console/user.html")]
struct DetailPage<'a> {
    chrome: &'a Chrome,
    user: AdminUserDetail,
    groups: Vec<String>,
    /// The profile's fields (marker, value), or the raw JSON when it is not a list of fields.
    profile: Vec<(String, String)>,
    raw_profile: String,
    /// The ledger, newest first.
    ledger: Vec<BonusEntry>,
    done: Option<String>,
    may_write: bool,
    may_bonus: bool,
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    async {
        let user = user_admin::get(&state, id).await?;
        let mut ledger = user_admin::bonus(&state, id).await?.entries;
        ledger.reverse();
        let project = state.project();
        let groups = project
            .providers
            .by_marker(&user.user.provider)
            .map(|p| p.def.user_group.clone())
            .into_iter()
            .filter(|g| !g.is_empty())
            .collect();
        let (profile, raw_profile) = match read_form_data(&user.form_data, &user.locale) {
            Ok(items) => (
                items
                    .into_iter()
                    .map(|i| (i.marker, super::submissions::shown(&i.value)))
                    .collect(),
                String::new(),
            ),
            Err(_) => (
                Vec::new(),
                serde_json::to_string_pretty(&user.form_data).unwrap_or_default(),
            ),
        };
        Ok(page::ok(&DetailPage {
            may_write: chrome.may(Resource::Users, Action::Write),
            may_bonus: chrome.may(Resource::Discounts, Action::Write),
            chrome: &chrome,
            user,
            groups,
            profile,
            raw_profile,
            ledger,
            done: q.done,
        }))
    }
    .await
    .or_fail(&chrome)
}

async fn block(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let blocked = match form.get("blocked") {
            Some("true") => true,
            Some("false") => false,
            _ => return Err(ApiError::BadRequest("Block or unblock".to_owned())),
        };
        let (before, after) = user_admin::set_blocked(&state, id, blocked).await?;
        // The same entry as `PATCH /api/admin/users/{id}` writes.
        let change = Change {
            action: if blocked { "block" } else { "unblock" },
            resource: Resource::Users,
            target: format!("users/{id}"),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        };
        audit::record(&state, &current.operator, change).await?;
        let done = if blocked { "blocked" } else { "unblocked" };
        Ok(page::see(&format!("/admin/users/{id}?done={done}")))
    }
    .await
    .or_fail(&chrome)
}

async fn reset(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
) -> Response {
    async {
        let sent = user_admin::reset(&state, id).await?;
        let change = audit::after("reset", Resource::Users, format!("users/{id}"), &sent);
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see(&format!("/admin/users/{id}?done=reset")))
    }
    .await
    .or_fail(&chrome)
}

async fn adjust(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        let delta = form
            .get("delta")
            .and_then(bonus_admin::parse_delta)
            .ok_or_else(bonus_admin::bad_delta)?;
        let reason = form.get("reason").map(str::trim).filter(|r| !r.is_empty());
        let change = bonus_admin::adjust(&state, id, delta, reason).await?;
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see(&format!("/admin/users/{id}?done=bonus")))
    }
    .await
    .or_fail(&chrome)
}

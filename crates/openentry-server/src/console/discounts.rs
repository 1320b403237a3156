//! Discounts: the project's discounts (`[[discounts]]`), a new one, and one discount's form
//! with its coupons (`super::coupons`). The flow behind `/api/admin/project/discounts`: each
//! edit is checked as `project check` checks the file, carries the version it was made from
//! (an edit made since is refused, 412) and is audited as the API audits it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::DiscountDef;
use serde::Deserialize;
use serde_json::{Value, json};

use super::discount_form::{Fields, apply, fields};
use super::guard::Form;
use super::page::{self, Chrome, DoneQuery, OrFail};
use super::pager::Pager;
use super::sessions::Current;
use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::orders::coupon_list::{CouponRow, codes_of};
use crate::project::manage;
use crate::project::sections::by_path;
use crate::state::AppState;

/// Discounts per page.
const PER_PAGE: u32 = 25;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/discounts", get(list).post(create))
        .route("/admin/discounts/{marker}", get(detail).post(update))
        .merge(super::coupons::router())
}

/// The project's locales (one title field each).
fn locales(state: &AppState) -> Vec<String> {
    state.project().def.project.locales.clone()
}

pub(super) fn definition(v: &Value) -> ApiResult<DiscountDef> {
    serde_json::from_value(v.clone()).map_err(|e| ApiError::Internal(e.into()))
}

#[derive(Template)]
#[template(path = "console/discounts.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    discounts: Vec<DiscountDef>,
    f: Fields,
    may_write: bool,
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
        let all = manage::list(&state, by_path("discounts")?).await?;
        let items = all["items"].as_array().map_or(&[][..], Vec::as_slice);
        let pager = Pager::new("/admin/discounts", "", q.page, PER_PAGE);
        let discounts = items
            .iter()
            .skip(pager.skip())
            .take(pager.take())
            .map(definition)
            .collect::<ApiResult<_>>()?;
        Ok(page::ok(&ListPage {
            pager: pager.total(items.len()),
            discounts,
            f: fields(&chrome, None, &locales(&state)),
            may_write: chrome.may(Resource::Discounts, Action::Write),
            chrome: &chrome,
        }))
    }
    .await
    .or_fail(&chrome)
}

#[derive(Template)]
#[template(path = "console/discount.html")]
struct DetailPage<'a> {
    chrome: &'a Chrome,
    f: Fields,
    coupons: Vec<CouponRow>,
    version: String,
    done: Option<String>,
    may_write: bool,
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(marker): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    async {
        let v = manage::read(&state, by_path("discounts")?, &marker).await?;
        let d = definition(&v.body)?;
        Ok(page::ok(&DetailPage {
            f: fields(&chrome, Some(&d), &locales(&state)),
            coupons: codes_of(&state, &marker).await?,
            version: v.etag,
            done: q.done.filter(|d| !d.is_empty()),
            may_write: chrome.may(Resource::Discounts, Action::Write),
            chrome: &chrome,
        }))
    }
    .await
    .or_fail(&chrome)
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    async {
        let marker = form.get("identifier").unwrap_or_default().trim().to_owned();
        let mut entry = json!({ "identifier": marker });
        apply(&form, &mut entry, &locales(&state))?;
        let s = by_path("discounts")?;
        let (_, change) = manage::create(&state, s, entry).await?;
        audit::project_edit(&state, &current.operator, Some(s), change).await?;
        Ok(page::see(&format!(
            "/admin/discounts/{marker}?done=created"
        )))
    }
    .await
    .or_fail(&chrome)
}

/// Replaces the discount `marker` with `change` applied to it, if the form's version is still
/// the current one; the same edit and audit entry as `PUT /api/admin/project/discounts/{key}`.
pub(super) async fn edit(
    state: &AppState,
    current: &Current,
    marker: &str,
    form: &Form,
    change: impl FnOnce(&mut Value) -> ApiResult<()>,
) -> ApiResult<()> {
    let s = by_path("discounts")?;
    let mut entry = manage::read(state, s, marker).await?.body;
    change(&mut entry)?;
    let (_, change) = manage::replace(state, s, marker, form.get("version"), entry).await?;
    audit::project_edit(state, &current.operator, Some(s), change).await
}

async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(marker): Path<String>,
    form: Form,
) -> Response {
    async {
        let locales = locales(&state);
        edit(&state, &current, &marker, &form, |e| {
            apply(&form, e, &locales)
        })
        .await?;
        Ok(page::see(&format!("/admin/discounts/{marker}?done=saved")))
    }
    .await
    .or_fail(&chrome)
}

//! Submissions (form data): the list across forms, newest first, filtered by form and by
//! moderation status; one submission with every field; moderation and deletion through the
//! flows behind `/api/admin/form-data`, with the same audit entries.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::FormKind;
use openentry_types::admin_data::AdminSubmission;
use openentry_types::form_data::{FormDataItem, SubmissionStatus, UpdateStatusRequest};
use serde::Deserialize;
use serde_json::Value;

use super::guard::Form;
use super::orders::{Choice, text};
use super::page::{self, Chrome, DoneQuery, OrFail};
use super::pager::Pager;
use super::sessions::Current;
use crate::audit::{self, Change};
use crate::error::ApiError;
use crate::form_data::admin;
use crate::project::Project;
use crate::state::AppState;

/// Submissions per page.
const PER_PAGE: u32 = 25;

/// The longest excerpt in the list, in characters.
const EXCERPT: usize = 80;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/submissions", get(list))
        .route("/admin/submissions/{id}", get(detail))
        .route("/admin/submissions/{id}/status", post(moderate))
        .route("/admin/submissions/{id}/delete", post(remove))
}

/// One row of the list.
struct Row {
    sub: AdminSubmission,
    form: String,
    status: &'static str,
    excerpt: String,
}

#[derive(Template)]
#[template(path = "console/submissions.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    rows: Vec<Row>,
    forms: Vec<Choice>,
    statuses: Vec<Choice>,
    total: i64,
    deleted: bool,
    pager: Pager,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    form: Option<String>,
    status: Option<String>,
    page: Option<u32>,
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    async {
        let form = q.form.filter(|s| !s.is_empty());
        let status = q.status.filter(|s| !s.is_empty());
        let keep = serde_urlencoded::to_string([
            ("form", form.clone().unwrap_or_default()),
            ("status", status.clone().unwrap_or_default()),
        ])
        .unwrap_or_default();
        let pager = Pager::new("/admin/submissions", &keep, q.page, PER_PAGE);
        let found = admin::list(&state, form.as_deref(), status.as_deref(), pager.paging()).await?;
        let project = state.project();
        let locale = chrome.locale(&project);
        let rows = found
            .items
            .into_iter()
            .map(|sub| Row {
                form: form_title(&project, &sub.form_identifier, &locale),
                status: chrome.t(status_key(sub.status.as_str())),
                excerpt: excerpt(&sub.form_data),
                sub,
            })
            .collect();
        let forms = project
            .forms
            .iter()
            .filter(|f| f.def.kind == FormKind::Data)
            .map(|f| Choice {
                value: f.def.identifier.clone(),
                label: text(&project, &f.def.title, &locale, &f.def.identifier),
                selected: form.as_deref() == Some(f.def.identifier.as_str()),
            })
            .collect();
        Ok(page::ok(&ListPage {
            statuses: status_choices(&chrome, status.as_deref()),
            chrome: &chrome,
            rows,
            forms,
            total: found.total,
            deleted: q.done.as_deref() == Some("deleted"),
            pager: pager.total(found.total),
        }))
    }
    .await
    .or_fail(&chrome)
}

#[derive(Template)]
#[template(path = "console/submission.html")]
struct DetailPage<'a> {
    chrome: &'a Chrome,
    sub: AdminSubmission,
    form: String,
    status: &'static str,
    fields: Vec<(FormDataItem, String)>,
    /// The statuses it may be moved to, each with the word of its button.
    moves: Vec<(&'static str, &'static str)>,
    done: bool,
    may_write: bool,
    may_users: bool,
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    async {
        let sub = admin::one(&state, id).await?;
        let project = state.project();
        let locale = chrome.locale(&project);
        let fields = sub
            .form_data
            .iter()
            .map(|item| (item.clone(), shown(&item.value)))
            .collect();
        let moves = SubmissionStatus::ALL
            .iter()
            .filter(|s| **s != sub.status)
            .map(|s| (s.as_str(), move_key(s.as_str())))
            .collect();
        Ok(page::ok(&DetailPage {
            form: form_title(&project, &sub.form_identifier, &locale),
            status: chrome.t(status_key(sub.status.as_str())),
            may_write: chrome.may(Resource::Submissions, Action::Write),
            may_users: chrome.may(Resource::Users, Action::Read),
            chrome: &chrome,
            sub,
            fields,
            moves,
            done: q.done.is_some(),
        }))
    }
    .await
    .or_fail(&chrome)
}

async fn moderate(
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
        let body = UpdateStatusRequest {
            status: Value::from(to),
        };
        let (before, after) = admin::set_status(&state, id, &body).await?;
        // The same entry as `PUT /api/admin/form-data/{id}/status` writes.
        let change = Change {
            action: "moderate",
            resource: Resource::Submissions,
            target: format!("form-data/{id}"),
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        };
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see(&format!("/admin/submissions/{id}?done=status")))
    }
    .await
    .or_fail(&chrome)
}

async fn remove(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
) -> Response {
    async {
        // No script asks "are you sure?": the form's own box must be ticked.
        if form.get("confirm") != Some("yes") {
            return Err(ApiError::BadRequest(
                "Tick the box to confirm the deletion".to_owned(),
            ));
        }
        let gone = admin::delete(&state, id).await?;
        // The same entry as `DELETE /api/admin/form-data/{id}` writes.
        let change = Change {
            action: "delete",
            resource: Resource::Submissions,
            target: format!("form-data/{id}"),
            before: serde_json::to_value(&gone).ok(),
            after: None,
        };
        audit::record(&state, &current.operator, change).await?;
        Ok(page::see("/admin/submissions?done=deleted"))
    }
    .await
    .or_fail(&chrome)
}

/// The moderation statuses as filter choices, in the console's words.
fn status_choices(chrome: &Chrome, selected: Option<&str>) -> Vec<Choice> {
    SubmissionStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: chrome.t(status_key(s.as_str())).to_owned(),
            selected: selected == Some(s.as_str()),
        })
        .collect()
}

/// The word for a moderation status.
fn status_key(status: &str) -> &'static str {
    match status {
        "approved" => "sub_status_approved",
        "rejected" => "sub_status_rejected",
        _ => "sub_status_new",
    }
}

/// The word of the button that moves a submission to `status`.
fn move_key(status: &str) -> &'static str {
    match status {
        "approved" => "sub_to_approved",
        "rejected" => "sub_to_rejected",
        _ => "sub_to_new",
    }
}

fn form_title(project: &Project, marker: &str, locale: &str) -> String {
    project.forms.by_marker(marker).map_or_else(
        || marker.to_owned(),
        |f| text(project, &f.def.title, locale, marker),
    )
}

/// A field's value as text: strings as they are, anything else as compact JSON.
pub(super) fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The first non-empty text of a submission, cut to [`EXCERPT`] characters.
fn excerpt(items: &[FormDataItem]) -> String {
    let Some(first) = items
        .iter()
        .filter_map(|i| i.value.as_str())
        .map(str::trim)
        .find(|s| !s.is_empty())
    else {
        return String::new();
    };
    let mut cut: String = first.chars().take(EXCERPT).collect();
    if first.chars().nth(EXCERPT).is_some() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_take_the_first_text_and_cut_long_ones() {
        let item = |v: Value| FormDataItem {
            marker: "m".to_owned(),
            kind: "string".to_owned(),
            value: v,
        };
        assert_eq!(
            excerpt(&[item(Value::from(5)), item(Value::from(" Nice "))]),
            "Nice"
        );
        let long = excerpt(&[item(Value::from("é".repeat(100)))]);
        assert_eq!(long.chars().count(), EXCERPT + 1);
        assert!(long.ends_with('…'));
        assert_eq!(excerpt(&[]), "");
    }
}

//! Locales: the project's locales with their details, adding one, and editing one's details
//! (name, native name, offered to visitors, right to left). A code the project does not serve
//! yet is added to `project.locales` first, as `PUT /api/admin/project/settings` would: that is
//! a settings change, so only a role that may write settings adds a new code.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::LocaleDef;
use serde_json::{Map, Value};

use super::super::guard::Form;
use super::super::page::{self, Chrome};
use super::super::pager::Pager;
use super::super::sessions::Current;
use super::write::{self, field, set, ticked};
use super::{DoneQuery, pager};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/content/locales", get(list).post(add))
        .route("/admin/content/locales/{code}", get(detail).post(update))
}

struct Row {
    code: String,
    name: String,
    native_name: String,
    active: bool,
    rtl: bool,
    default: bool,
}

#[derive(Template)]
#[template(path = "console/content_locales.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    rows: Vec<Row>,
    may_write: bool,
    done: bool,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<DoneQuery>,
) -> Response {
    let project = state.project();
    let default = project.default_locale();
    // Every code the project serves, described or not.
    let pager = pager(
        "/admin/content/locales",
        q.page,
        project.def.project.locales.len(),
    );
    let rows = project
        .def
        .project
        .locales
        .iter()
        .skip(pager.skip())
        .take(pager.take())
        .map(|code| {
            let d = project.def.locales.iter().find(|l| &l.code == code);
            Row {
                code: code.clone(),
                name: d.map(|d| d.name.clone()).unwrap_or_default(),
                native_name: d.map(|d| d.native_name.clone()).unwrap_or_default(),
                active: d.is_none_or(|d| d.active),
                rtl: d.is_some_and(|d| d.rtl),
                default: code == default,
            }
        })
        .collect();
    page::ok(&ListPage {
        may_write: chrome.may(Resource::Content, Action::Write),
        chrome: &chrome,
        tab: "locales",
        rows,
        done: q.done.is_some(),
        pager,
    })
}

/// The form's details over `entry`.
fn apply(entry: &mut Map<String, Value>, form: &Form) {
    entry.insert("name".to_owned(), Value::from(field(form, "name")));
    let native = field(form, "native_name");
    entry.insert("native_name".to_owned(), Value::from(native));
    entry.insert("active".to_owned(), Value::Bool(ticked(form, "active")));
    entry.insert("rtl".to_owned(), Value::Bool(ticked(form, "rtl")));
}

async fn add(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    let made: ApiResult<Response> = async {
        let code = field(&form, "code");
        if code.is_empty() {
            return Err(ApiError::BadRequest(
                "Not valid: code is required".to_owned(),
            ));
        }
        if !state.project().def.project.locales.contains(&code) {
            current
                .operator
                .require(Resource::Settings, Action::Write)?;
            write::add_project_locale(&state, &current.operator, &code).await?;
        }
        let mut entry = Map::new();
        entry.insert("code".to_owned(), Value::from(code.clone()));
        apply(&mut entry, &form);
        write::create(&state, &current.operator, "locales", Value::Object(entry)).await?;
        Ok(page::see("/admin/content/locales?done=added"))
    }
    .await;
    write::answer(&chrome, made)
}

#[derive(Template)]
#[template(path = "console/content_locale.html")]
struct FormPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    code: String,
    /// Empty when the code has no details yet (saving creates them).
    version: String,
    def: LocaleDef,
    may_write: bool,
    done: bool,
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(code): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let shown: ApiResult<Response> = async {
        let (def, version) = match write::read(&state, "locales", &code).await {
            Ok(read) => (write::typed::<LocaleDef>(&read.body)?, read.etag),
            // A served code without details: the form describes it.
            Err(ApiError::NotFound(_)) if state.project().def.project.locales.contains(&code) => (
                LocaleDef {
                    code: code.clone(),
                    short_code: None,
                    name: String::new(),
                    native_name: String::new(),
                    image: None,
                    active: true,
                    rtl: false,
                },
                String::new(),
            ),
            Err(e) => return Err(e),
        };
        Ok(page::ok(&FormPage {
            may_write: chrome.may(Resource::Content, Action::Write),
            chrome: &chrome,
            tab: "locales",
            code: code.clone(),
            version,
            def,
            done: q.done.is_some(),
        }))
    }
    .await;
    write::answer(&chrome, shown)
}

async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(code): Path<String>,
    form: Form,
) -> Response {
    let saved: ApiResult<Response> = async {
        let version = field(&form, "version");
        if version.is_empty() {
            let mut entry = Map::new();
            set(&mut entry, "code", Some(Value::from(code.clone())));
            apply(&mut entry, &form);
            write::create(&state, &current.operator, "locales", Value::Object(entry)).await?;
        } else {
            let read = write::read(&state, "locales", &code).await?;
            let mut entry = write::object(read.body)?;
            apply(&mut entry, &form);
            let body = Value::Object(entry);
            write::replace(&state, &current.operator, "locales", &code, &version, body).await?;
        }
        Ok(page::see(&format!(
            "/admin/content/locales/{code}?done=saved"
        )))
    }
    .await;
    write::answer(&chrome, saved)
}

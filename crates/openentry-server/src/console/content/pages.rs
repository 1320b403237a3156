//! The pages: the tree (`/admin/content`), one page with its edit form, a new page, and
//! deleting one after a confirmation. The form edits the texts of the project's default locale;
//! whatever else the entry holds (other locales, attribute values, forms) is kept as read.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::{GeneralType, PageDef};
use serde_json::{Map, Value};

use super::super::guard::Form;
use super::super::orders::{Choice, text};
use super::super::page::{self, Chrome};
use super::super::sessions::Current;
use super::DoneQuery;
use super::write::{self, all, field, set, set_text, ticked};
use crate::error::ApiResult;
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/content/pages/new", get(blank))
        .route("/admin/content/pages", axum::routing::post(create))
        .route("/admin/content/pages/{url}", get(detail).post(update))
        .route(
            "/admin/content/pages/{url}/delete",
            get(confirm).post(delete),
        )
}

/// A block offered to the page, ticked when the page shows it.
pub(super) struct Pick {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) picked: bool,
}

#[derive(Template)]
#[template(path = "console/content_page.html")]
struct FormPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    /// The page's URL when editing one, `None` for a new page.
    editing: Option<String>,
    /// The version the form was read at.
    version: String,
    /// The locale the texts are edited in (the project's default).
    locale: String,
    title: String,
    content: String,
    visible: bool,
    parents: Vec<Choice>,
    types: Vec<Choice>,
    blocks: Vec<Pick>,
    may_write: bool,
    done: bool,
}

fn form_page<'a>(
    chrome: &'a Chrome,
    project: &Project,
    page: &PageDef,
    editing: Option<String>,
    version: String,
) -> FormPage<'a> {
    let locale = project.default_locale().to_owned();
    let shown = chrome.locale(project);
    let mut parents = vec![Choice {
        value: String::new(),
        label: chrome.t("no_parent").to_owned(),
        selected: page.parent.is_none(),
    }];
    parents.extend(
        project
            .def
            .pages
            .iter()
            .filter(|p| editing.as_deref() != Some(p.url.as_str()))
            .map(|p| Choice {
                value: p.url.clone(),
                label: format!("{} ({})", text(project, &p.title, &shown, &p.url), p.url),
                selected: page.parent.as_deref() == Some(p.url.as_str()),
            }),
    );
    let types = GeneralType::ALL
        .iter()
        .filter(|t| t.is_page_type())
        .map(|t| Choice {
            value: t.as_str().to_owned(),
            label: t.as_str().to_owned(),
            selected: *t == page.kind,
        })
        .collect();
    let blocks = project
        .def
        .blocks
        .iter()
        .map(|b| Pick {
            value: b.identifier.clone(),
            label: text(project, &b.title, &shown, &b.identifier),
            picked: page.blocks.contains(&b.identifier),
        })
        .collect();
    FormPage {
        title: page.title.get(&locale).cloned().unwrap_or_default(),
        content: page.content.get(&locale).cloned().unwrap_or_default(),
        visible: page.visible,
        may_write: chrome.may(Resource::Content, Action::Write),
        chrome,
        tab: "pages",
        editing,
        version,
        locale,
        parents,
        types,
        blocks,
        done: false,
    }
}

async fn blank(State(state): State<AppState>, chrome: Chrome) -> Response {
    let project = state.project();
    let new = PageDef {
        url: String::new(),
        parent: None,
        kind: GeneralType::CommonPage,
        title: BTreeMap::new(),
        menu_title: BTreeMap::new(),
        content: BTreeMap::new(),
        template: None,
        attribute_set: None,
        values: BTreeMap::new(),
        localized_values: BTreeMap::new(),
        blocks: Vec::new(),
        forms: Vec::new(),
        visible: true,
        rows_per_page: None,
        products_per_row: None,
    };
    page::ok(&form_page(&chrome, &project, &new, None, String::new()))
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(url): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let shown: ApiResult<Response> = async {
        let read = write::read(&state, "pages", &url).await?;
        let def: PageDef = write::typed(&read.body)?;
        let project = state.project();
        let mut form = form_page(&chrome, &project, &def, Some(url.clone()), read.etag);
        form.done = q.done.is_some();
        Ok(page::ok(&form))
    }
    .await;
    write::answer(&chrome, shown)
}

/// The form's fields over `entry`: the parent, type, texts in `locale`, visibility and blocks
/// (those it showed keep their order; newly ticked ones follow in the list's order).
fn apply(entry: &mut Map<String, Value>, form: &Form, locale: &str) {
    let parent = field(form, "parent");
    set(
        entry,
        "parent",
        (!parent.is_empty()).then(|| Value::from(parent)),
    );
    let kind = field(form, "type");
    set(entry, "type", (!kind.is_empty()).then(|| Value::from(kind)));
    set_text(entry, "title", locale, field(form, "title"));
    set_text(entry, "content", locale, field(form, "content"));
    if entry
        .get("content")
        .and_then(Value::as_object)
        .is_some_and(Map::is_empty)
    {
        entry.remove("content");
    }
    entry.insert("visible".to_owned(), Value::Bool(ticked(form, "visible")));
    let chosen = all(form, "blocks");
    let before: Vec<String> = entry
        .get("blocks")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|b| b.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut blocks: Vec<String> = before.into_iter().filter(|b| chosen.contains(b)).collect();
    for b in chosen {
        if !blocks.contains(&b) {
            blocks.push(b);
        }
    }
    set(
        entry,
        "blocks",
        (!blocks.is_empty()).then(|| Value::from(blocks)),
    );
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    let made: ApiResult<Response> = async {
        let url = field(&form, "url");
        let locale = state.project().default_locale().to_owned();
        let mut entry = Map::new();
        entry.insert("url".to_owned(), Value::from(url.clone()));
        apply(&mut entry, &form, &locale);
        write::create(&state, &current.operator, "pages", Value::Object(entry)).await?;
        Ok(page::see(&format!(
            "/admin/content/pages/{url}?done=created"
        )))
    }
    .await;
    write::answer(&chrome, made)
}

async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(url): Path<String>,
    form: Form,
) -> Response {
    let saved: ApiResult<Response> = async {
        let read = write::read(&state, "pages", &url).await?;
        let mut entry = write::object(read.body)?;
        let locale = state.project().default_locale().to_owned();
        apply(&mut entry, &form, &locale);
        let version = field(&form, "version");
        let body = Value::Object(entry);
        write::replace(&state, &current.operator, "pages", &url, &version, body).await?;
        Ok(page::see(&format!("/admin/content/pages/{url}?done=saved")))
    }
    .await;
    write::answer(&chrome, saved)
}

#[derive(Template)]
#[template(path = "console/content_delete.html")]
struct ConfirmPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    /// Where the confirmation posts.
    action: String,
    /// What is deleted, as people know it.
    what: String,
    version: String,
}

async fn confirm(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(url): Path<String>,
) -> Response {
    let shown: ApiResult<Response> = async {
        let read = write::read(&state, "pages", &url).await?;
        let def: PageDef = write::typed(&read.body)?;
        let project = state.project();
        let locale = chrome.locale(&project);
        Ok(page::ok(&ConfirmPage {
            action: format!("/admin/content/pages/{url}/delete"),
            what: format!("{} ({url})", text(&project, &def.title, &locale, &url)),
            chrome: &chrome,
            tab: "pages",
            version: read.etag,
        }))
    }
    .await;
    write::answer(&chrome, shown)
}

async fn delete(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(url): Path<String>,
    form: Form,
) -> Response {
    let gone: ApiResult<Response> = async {
        let version = field(&form, "version");
        write::remove(&state, &current.operator, "pages", &url, &version).await?;
        Ok(page::see("/admin/content?done=deleted"))
    }
    .await;
    write::answer(&chrome, gone)
}

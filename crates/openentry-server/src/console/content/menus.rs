//! Menus: the list, a new menu, and one menu's items (the page each links, their order, taking
//! one out, adding one). Sub-items and an item's own titles are kept with their item.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::MenuDef;
use serde_json::{Map, Value, json};

use super::super::guard::Form;
use super::super::orders::{Choice, text};
use super::super::page::{self, Chrome};
use super::super::pager::Pager;
use super::super::sessions::Current;
use super::write::{self, field, number, set_text, ticked};
use super::{DoneQuery, pager};
use crate::error::ApiResult;
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/content/menus", get(list).post(create))
        .route("/admin/content/menus/{id}", get(detail).post(update))
}

struct Row {
    identifier: String,
    title: String,
    items: usize,
}

#[derive(Template)]
#[template(path = "console/content_menus.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    rows: Vec<Row>,
    locale: String,
    may_write: bool,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<DoneQuery>,
) -> Response {
    let project = state.project();
    let shown = chrome.locale(&project);
    let pager = pager("/admin/content/menus", q.page, project.def.menus.len());
    let rows = project
        .def
        .menus
        .iter()
        .skip(pager.skip())
        .take(pager.take())
        .map(|m| Row {
            identifier: m.identifier.clone(),
            title: text(&project, &m.title, &shown, &m.identifier),
            items: m.items.len(),
        })
        .collect();
    page::ok(&ListPage {
        locale: project.default_locale().to_owned(),
        may_write: chrome.may(Resource::Content, Action::Write),
        chrome: &chrome,
        tab: "menus",
        rows,
        pager,
    })
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
) -> Response {
    let made: ApiResult<Response> = async {
        let id = field(&form, "identifier");
        let locale = state.project().default_locale().to_owned();
        let mut entry = Map::new();
        entry.insert("identifier".to_owned(), Value::from(id.clone()));
        set_text(&mut entry, "title", &locale, field(&form, "title"));
        entry.insert("items".to_owned(), json!([]));
        write::create(&state, &current.operator, "menus", Value::Object(entry)).await?;
        Ok(page::see(&format!(
            "/admin/content/menus/{id}?done=created"
        )))
    }
    .await;
    write::answer(&chrome, made)
}

/// An item of the menu as its form row shows it.
struct ItemRow {
    /// The row's number in the form.
    index: usize,
    pages: Vec<Choice>,
    /// How many sub-items it keeps.
    children: usize,
}

#[derive(Template)]
#[template(path = "console/content_menu.html")]
struct FormPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    identifier: String,
    version: String,
    locale: String,
    title: String,
    items: Vec<ItemRow>,
    /// The pages to add, with an empty first choice.
    add: Vec<Choice>,
    may_write: bool,
    done: bool,
}

fn page_choices(project: &Project, shown: &str, chosen: &str) -> Vec<Choice> {
    project
        .def
        .pages
        .iter()
        .map(|p| Choice {
            value: p.url.clone(),
            label: format!("{} ({})", text(project, &p.title, shown, &p.url), p.url),
            selected: p.url == chosen,
        })
        .collect()
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let shown: ApiResult<Response> = async {
        let read = write::read(&state, "menus", &id).await?;
        let def: MenuDef = write::typed(&read.body)?;
        let project = state.project();
        let locale = project.default_locale().to_owned();
        let here = chrome.locale(&project);
        let items = def
            .items
            .iter()
            .enumerate()
            .map(|(index, item)| ItemRow {
                index,
                pages: page_choices(&project, &here, &item.page),
                children: item.children.len(),
            })
            .collect();
        let mut add = vec![Choice {
            value: String::new(),
            label: chrome.t("none").to_owned(),
            selected: true,
        }];
        add.extend(page_choices(&project, &here, ""));
        Ok(page::ok(&FormPage {
            title: def.title.get(&locale).cloned().unwrap_or_default(),
            may_write: chrome.may(Resource::Content, Action::Write),
            chrome: &chrome,
            tab: "menus",
            identifier: id.clone(),
            version: read.etag,
            locale,
            items,
            add,
            done: q.done.is_some(),
        }))
    }
    .await;
    write::answer(&chrome, shown)
}

/// The items the form leaves: each row's page at its position (ties keep the rows' order),
/// without the ones taken out, and the added one.
fn items_of(form: &Form, before: &[Value]) -> ApiResult<Vec<Value>> {
    let mut placed: Vec<(i64, usize, Value)> = Vec::new();
    for (i, old) in before.iter().enumerate() {
        if ticked(form, &format!("remove_{i}")) {
            continue;
        }
        let mut item = old.clone();
        let page = field(form, &format!("page_{i}"));
        if let (Some(obj), false) = (item.as_object_mut(), page.is_empty()) {
            obj.insert("page".to_owned(), Value::from(page));
        }
        let at = number(form, &format!("position_{i}"))?
            .unwrap_or_else(|| i64::try_from(i + 1).unwrap_or(i64::MAX));
        placed.push((at, i, item));
    }
    let added = field(form, "page_new");
    if !added.is_empty() {
        let at = number(form, "position_new")?.unwrap_or(i64::MAX);
        placed.push((at, before.len(), json!({ "page": added })));
    }
    placed.sort_by_key(|(at, seq, _)| (*at, *seq));
    Ok(placed.into_iter().map(|(.., item)| item).collect())
}

async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let saved: ApiResult<Response> = async {
        let read = write::read(&state, "menus", &id).await?;
        let mut entry = write::object(read.body)?;
        let locale = state.project().default_locale().to_owned();
        set_text(&mut entry, "title", &locale, field(&form, "title"));
        let before = entry
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        entry.insert("items".to_owned(), Value::from(items_of(&form, &before)?));
        let version = field(&form, "version");
        let body = Value::Object(entry);
        write::replace(&state, &current.operator, "menus", &id, &version, body).await?;
        Ok(page::see(&format!("/admin/content/menus/{id}?done=saved")))
    }
    .await;
    write::answer(&chrome, saved)
}

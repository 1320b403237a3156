//! Blocks: the list, a new block, and one block with its edit form (marker, type, title in the
//! project's default locale, template, visibility, and the products of product blocks).
//! Attribute values and other locales' texts are kept as read.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::{BlockDef, GeneralType};
use serde_json::{Map, Value};

use super::super::guard::Form;
use super::super::orders::{Choice, text};
use super::super::page::{self, Chrome};
use super::super::pager::Pager;
use super::super::sessions::Current;
use super::write::{self, field, number, set, set_text, ticked};
use super::{DoneQuery, pager};
use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/content/blocks", get(list).post(create))
        .route("/admin/content/blocks/new", get(blank))
        .route("/admin/content/blocks/{id}", get(detail).post(update))
}

/// A block as the list shows it.
struct Row {
    identifier: String,
    title: String,
    kind: String,
    visible: bool,
    pages: usize,
}

#[derive(Template)]
#[template(path = "console/content_blocks.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    rows: Vec<Row>,
    may_write: bool,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<DoneQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    let pager = pager("/admin/content/blocks", q.page, project.def.blocks.len());
    let rows = project
        .def
        .blocks
        .iter()
        .skip(pager.skip())
        .take(pager.take())
        .map(|b| Row {
            title: text(&project, &b.title, &locale, &b.identifier),
            kind: b.kind.as_str().to_owned(),
            visible: b.visible,
            pages: project
                .def
                .pages
                .iter()
                .filter(|p| p.blocks.contains(&b.identifier))
                .count(),
            identifier: b.identifier.clone(),
        })
        .collect();
    page::ok(&ListPage {
        may_write: chrome.may(Resource::Content, Action::Write),
        chrome: &chrome,
        tab: "blocks",
        rows,
        pager,
    })
}

#[derive(Template)]
#[template(path = "console/content_block.html")]
struct FormPage<'a> {
    chrome: &'a Chrome,
    tab: &'static str,
    editing: Option<String>,
    version: String,
    locale: String,
    title: String,
    visible: bool,
    types: Vec<Choice>,
    templates: Vec<Choice>,
    products: String,
    per_row: String,
    quantity: String,
    may_write: bool,
    done: bool,
}

fn form_page<'a>(
    chrome: &'a Chrome,
    project: &Project,
    block: &BlockDef,
    editing: Option<String>,
    version: String,
) -> FormPage<'a> {
    let locale = project.default_locale().to_owned();
    let shown = chrome.locale(project);
    let types = GeneralType::ALL
        .iter()
        .filter(|t| t.is_block_type())
        .map(|t| Choice {
            value: t.as_str().to_owned(),
            label: t.as_str().to_owned(),
            selected: *t == block.kind,
        })
        .collect();
    let mut templates = vec![Choice {
        value: String::new(),
        label: chrome.t("none").to_owned(),
        selected: block.template.is_none(),
    }];
    templates.extend(project.def.templates.iter().map(|t| Choice {
        value: t.identifier.clone(),
        label: text(project, &t.title, &shown, &t.identifier),
        selected: block.template.as_deref() == Some(t.identifier.as_str()),
    }));
    let shown_number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    FormPage {
        title: block.title.get(&locale).cloned().unwrap_or_default(),
        visible: block.visible,
        products: block
            .products
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        per_row: shown_number(block.per_row),
        quantity: shown_number(block.quantity),
        may_write: chrome.may(Resource::Content, Action::Write),
        chrome,
        tab: "blocks",
        editing,
        version,
        locale,
        types,
        templates,
        done: false,
    }
}

async fn blank(State(state): State<AppState>, chrome: Chrome) -> Response {
    let project = state.project();
    let new = BlockDef {
        identifier: String::new(),
        kind: GeneralType::CommonBlock,
        title: BTreeMap::new(),
        template: None,
        attribute_set: None,
        values: BTreeMap::new(),
        localized_values: BTreeMap::new(),
        visible: true,
        products: Vec::new(),
        per_row: None,
        quantity: None,
    };
    page::ok(&form_page(&chrome, &project, &new, None, String::new()))
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let shown: ApiResult<Response> = async {
        let read = write::read(&state, "blocks", &id).await?;
        let def: BlockDef = write::typed(&read.body)?;
        let project = state.project();
        let mut form = form_page(&chrome, &project, &def, Some(id.clone()), read.etag);
        form.done = q.done.is_some();
        Ok(page::ok(&form))
    }
    .await;
    write::answer(&chrome, shown)
}

/// The form's fields over `entry`.
fn apply(entry: &mut Map<String, Value>, form: &Form, locale: &str) -> ApiResult<()> {
    let kind = field(form, "type");
    set(entry, "type", (!kind.is_empty()).then(|| Value::from(kind)));
    set_text(entry, "title", locale, field(form, "title"));
    let template = field(form, "template");
    set(
        entry,
        "template",
        (!template.is_empty()).then(|| Value::from(template)),
    );
    entry.insert("visible".to_owned(), Value::Bool(ticked(form, "visible")));
    let products = field(form, "products")
        .split([',', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<i64>().map_err(|_| {
                ApiError::BadRequest(format!("Not valid: products: \"{p}\" is not a product id"))
            })
        })
        .collect::<ApiResult<Vec<i64>>>()?;
    set(
        entry,
        "products",
        (!products.is_empty()).then(|| Value::from(products)),
    );
    set(entry, "per_row", number(form, "per_row")?.map(Value::from));
    set(
        entry,
        "quantity",
        number(form, "quantity")?.map(Value::from),
    );
    Ok(())
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
        apply(&mut entry, &form, &locale)?;
        write::create(&state, &current.operator, "blocks", Value::Object(entry)).await?;
        Ok(page::see(&format!(
            "/admin/content/blocks/{id}?done=created"
        )))
    }
    .await;
    write::answer(&chrome, made)
}

async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let saved: ApiResult<Response> = async {
        let read = write::read(&state, "blocks", &id).await?;
        let mut entry = write::object(read.body)?;
        let locale = state.project().default_locale().to_owned();
        apply(&mut entry, &form, &locale)?;
        let version = field(&form, "version");
        let body = Value::Object(entry);
        write::replace(&state, &current.operator, "blocks", &id, &version, body).await?;
        Ok(page::see(&format!("/admin/content/blocks/{id}?done=saved")))
    }
    .await;
    write::answer(&chrome, saved)
}

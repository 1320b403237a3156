//! Catalog: every product of the project held in memory (hidden ones too: operators see what
//! customers do not), and one product with its images and attribute values. Changes are made
//! in `catalog_edit`, through the management API's flow (`project::manage`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::media::{MediaRef, check_key};
use openentry_domain::project::{AttrValue, ProductDef, ProjectDefinition};

use super::orders::text;
use super::page::{self, Chrome, DoneQuery};
use super::pager::Pager;
use crate::error::ApiError;
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/catalog", get(list))
        .route("/admin/catalog/{id}", get(detail))
}

/// A product as the console shows it.
struct Item {
    id: i64,
    title: String,
    sku: String,
    status: String,
    set: String,
    visible: bool,
    price: String,
    /// Same-origin link of the preview image, if any.
    image: Option<String>,
    /// Attribute marker and value as text.
    values: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "console/catalog.html")]
struct ListPage<'a> {
    chrome: &'a Chrome,
    items: Vec<Item>,
    /// Whether the operator may add products (the guard decides regardless).
    may_write: bool,
    pager: Pager,
}

/// Products a page of the list shows: a catalog of 10,000 renders in pages, not at once.
const PER_PAGE: u32 = 50;

#[derive(Debug, serde::Deserialize)]
struct ListQuery {
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "console/product.html")]
struct DetailPage<'a> {
    chrome: &'a Chrome,
    item: Item,
    may_write: bool,
    /// Just saved (`?done=saved`).
    done: bool,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    let all = &project.def.products;
    let pager = Pager::new("/admin/catalog", "", q.page, PER_PAGE).total(all.len());
    let items = all
        .iter()
        .skip(pager.skip())
        .take(pager.take())
        .map(|p| item(&project, p, &locale))
        .collect();
    page::ok(&ListPage {
        may_write: chrome.may(Resource::Catalog, Action::Write),
        chrome: &chrome,
        items,
        pager,
    })
}

async fn detail(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    match project.def.products.iter().find(|p| p.id == id) {
        Some(p) => page::ok(&DetailPage {
            item: item(&project, p, &locale),
            may_write: chrome.may(Resource::Catalog, Action::Write),
            done: q.done.is_some(),
            chrome: &chrome,
        }),
        None => page::failed(
            &chrome,
            &ApiError::NotFound(format!("Product {id} not found")),
        ),
    }
}

fn item(project: &Project, p: &ProductDef, locale: &str) -> Item {
    let def = &project.def;
    let status = def
        .status_of(p)
        .map(|s| text(project, &s.title, locale, &s.identifier))
        .unwrap_or_default();
    let set = def.attribute_set(&p.attribute_set).map_or_else(
        || p.attribute_set.clone(),
        |s| text(project, &s.title, locale, &s.identifier),
    );
    let price = def
        .price_of(p)
        .ok()
        .flatten()
        .map(|pr| {
            crate::money::stored(pr.minor, &pr.currency)
                .map(|m| format!("{} {}", m.wire(), pr.currency))
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let mut values: Vec<(String, String)> = p
        .values
        .iter()
        .map(|(k, v)| (k.clone(), shown(v)))
        .collect();
    if let Some(local) = p.localized_values.get(locale) {
        for (k, v) in local {
            match values.iter_mut().find(|(m, _)| m == k) {
                Some(slot) => slot.1 = shown(v),
                None => values.push((k.clone(), shown(v))),
            }
        }
    }
    Item {
        id: p.id,
        title: text(project, &p.title, locale, &p.id.to_string()),
        sku: p.sku.clone().unwrap_or_default(),
        status,
        set,
        visible: p.visible,
        price,
        image: image_of(def, p).map(|k| format!("/media/{k}?w=320")),
        values,
    }
}

/// An attribute value as text (rich values as their JSON).
fn shown(v: &AttrValue) -> String {
    match v {
        AttrValue::Bool(b) => b.to_string(),
        AttrValue::List(l) => l.join(", "),
        other => other
            .as_text()
            .unwrap_or_else(|| serde_json::to_string(other).unwrap_or_default()),
    }
}

/// The store key of a product's picture: its preview, else the value of its set's image
/// attribute.
pub(super) fn image_of(def: &ProjectDefinition, p: &ProductDef) -> Option<String> {
    let attribute = || {
        let marker = def
            .attribute_set(&p.attribute_set)
            .and_then(super::catalog_edit::image_attr)?;
        match MediaRef::parse(p.values.get(&marker)?).ok()? {
            MediaRef::Stored(m) => Some(m.key),
            MediaRef::Path { .. } => None,
        }
    };
    p.preview_image
        .clone()
        .filter(|k| check_key(k).is_ok())
        .or_else(attribute)
}

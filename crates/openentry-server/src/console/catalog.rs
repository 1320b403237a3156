//! Catalog: every product of the project held in memory (hidden ones too: operators see what
//! customers do not), and one product with its images and attribute values. Changes go
//! through the project management API (`/api/admin/project/products`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use openentry_domain::project::AttrValue;
use openentry_domain::project::ProductDef;

use super::orders::text;
use super::page::{self, Chrome};
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
    page: u32,
    pages: u32,
}

/// Products a page of the list shows: a catalog of 10,000 renders in pages, not at once.
const PER_PAGE: usize = 50;

#[derive(Debug, serde::Deserialize)]
struct ListQuery {
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "console/product.html")]
struct DetailPage<'a> {
    chrome: &'a Chrome,
    item: Item,
}

async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(q): Query<ListQuery>,
) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    let all = &project.def.products;
    let pages = u32::try_from(all.len().div_ceil(PER_PAGE).max(1)).unwrap_or(u32::MAX);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let skip = usize::try_from(page - 1)
        .unwrap_or(0)
        .saturating_mul(PER_PAGE);
    let items = all
        .iter()
        .skip(skip)
        .take(PER_PAGE)
        .map(|p| item(&project, p, &locale))
        .collect();
    page::ok(&ListPage {
        chrome: &chrome,
        items,
        page,
        pages,
    })
}

async fn detail(State(state): State<AppState>, chrome: Chrome, Path(id): Path<i64>) -> Response {
    let project = state.project();
    let locale = chrome.locale(&project);
    match project.def.products.iter().find(|p| p.id == id) {
        Some(p) => page::ok(&DetailPage {
            item: item(&project, p, &locale),
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
        image: p
            .preview_image
            .as_deref()
            .filter(|k| openentry_domain::project::media::check_key(k).is_ok())
            .map(|k| format!("/media/{k}?w=320")),
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

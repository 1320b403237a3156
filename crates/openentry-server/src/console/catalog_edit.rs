//! Catalog editing: a product's form, new (`/admin/catalog/new`) or an edit
//! (`/admin/catalog/{id}/edit`), posted as `multipart/form-data` with an image. The write is
//! the management API's (`project::manage`, as `/api/admin/project/products[/{id}]`): checked
//! as `project import` checks a file, recorded in the audit log, and an edit names the
//! version it was read at (a hidden field), so an edit made since is refused, not lost.
//! The image goes into the media store first (`media::upload`) and becomes the value of the
//! set's image attribute and the product's preview.

use askama::Template;
use axum::Router;
use axum::extract::{Extension, Path, State};
use axum::response::Response;
use axum::routing::get;
use openentry_domain::operators::{Action, Resource};
use openentry_domain::project::{AttributeKind, AttributeSetDef, ProductDef};
use serde_json::{Value, json};

use super::guard::{Files, Form};
use super::orders::{Choice, text};
use super::page::{self, Chrome, OrFail};
use super::sessions::Current;
use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::media::upload::{self, Accept};
use crate::project::Project;
use crate::project::edit::fresh;
use crate::project::manage;
use crate::project::sections::{Section, by_path};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/catalog/new", get(new_form).post(create))
        .route("/admin/catalog/{id}/edit", get(edit_form).post(update))
}

/// The form, filled with a product as it is (or blank).
#[derive(Template)]
#[template(path = "console/product_form.html")]
struct FormPage<'a> {
    chrome: &'a Chrome,
    /// `cat_new_product` or `cat_edit_product`.
    heading: &'static str,
    action: String,
    /// The product's id (none for a new one).
    id: Option<i64>,
    /// The version (`ETag`) the edit was read at.
    version: String,
    /// The default locale, the title's.
    locale: String,
    title: String,
    sku: String,
    price: String,
    currency: String,
    visible: bool,
    statuses: Vec<Choice>,
    sets: Vec<Choice>,
    /// The current image's link.
    image: Option<String>,
}

fn products() -> ApiResult<&'static Section> {
    by_path("products")
}

/// The form is for those who may save it; support reads the catalog, never its forms.
fn may_write(chrome: &Chrome) -> ApiResult<()> {
    if chrome.may(Resource::Catalog, Action::Write) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Your role may read the catalog but not change it".to_owned(),
        ))
    }
}

async fn new_form(State(state): State<AppState>, chrome: Chrome) -> Response {
    async {
        may_write(&chrome)?;
        let project = fresh(&state).await?;
        let first_set = project
            .def
            .attribute_sets
            .first()
            .map(|s| s.identifier.clone());
        // Visible by default, as in a file.
        let blank: ProductDef =
            serde_json::from_value(json!({"id": 0, "attribute_set": first_set}))
                .map_err(|e| ApiError::Internal(e.into()))?;
        let mut page = form_page(&chrome, &project, &blank, String::new());
        // A new product is priced in the catalog's currency, as far as it has one.
        page.currency = project
            .def
            .products
            .iter()
            .find_map(|p| project.def.price_of(p).ok().flatten())
            .map(|p| p.currency)
            .unwrap_or_default();
        Ok(page::ok(&page))
    }
    .await
    .or_fail(&chrome)
}

async fn edit_form(State(state): State<AppState>, chrome: Chrome, Path(id): Path<i64>) -> Response {
    async {
        may_write(&chrome)?;
        let read = manage::read(&state, products()?, &id.to_string()).await?;
        let product: ProductDef = serde_json::from_value(read.body)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored product: {e}")))?;
        let project = state.project();
        Ok(page::ok(&form_page(&chrome, &project, &product, read.etag)))
    }
    .await
    .or_fail(&chrome)
}

fn form_page<'a>(
    chrome: &'a Chrome,
    project: &Project,
    p: &ProductDef,
    version: String,
) -> FormPage<'a> {
    let def = &project.def;
    let locale = project.default_locale().to_owned();
    let shown = chrome.locale(project);
    let set = def.attribute_set(&p.attribute_set);
    let value_of = |pick: fn(&openentry_domain::project::AttributeDef) -> bool| {
        set.and_then(|s| s.attributes.iter().find(|a| pick(a)))
            .and_then(|a| p.values.get(&a.marker))
            .and_then(openentry_domain::project::AttrValue::as_text)
            .unwrap_or_default()
    };
    let status = def.status_of(p).map(|s| s.identifier.clone());
    FormPage {
        heading: if version.is_empty() {
            "cat_new_product"
        } else {
            "cat_edit_product"
        },
        action: if version.is_empty() {
            "/admin/catalog/new".to_owned()
        } else {
            format!("/admin/catalog/{}/edit", p.id)
        },
        id: (!version.is_empty()).then_some(p.id),
        title: p.title.get(&locale).cloned().unwrap_or_default(),
        sku: p.sku.clone().unwrap_or_default(),
        price: value_of(|a| a.price),
        currency: value_of(|a| a.currency),
        visible: p.visible,
        statuses: def
            .product_statuses
            .iter()
            .map(|s| Choice {
                value: s.identifier.clone(),
                label: text(project, &s.title, &shown, &s.identifier),
                selected: status.as_deref() == Some(s.identifier.as_str()),
            })
            .collect(),
        sets: def
            .attribute_sets
            .iter()
            .map(|s| Choice {
                value: s.identifier.clone(),
                label: text(project, &s.title, &shown, &s.identifier),
                selected: s.identifier == p.attribute_set,
            })
            .collect(),
        image: super::catalog::image_of(def, p).map(|k| format!("/media/{k}?w=320")),
        version,
        locale,
        chrome,
    }
}

async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    form: Form,
    files: Files,
) -> Response {
    async {
        let project = fresh(&state).await?;
        // The next free id; a product created meanwhile with it makes this a 409.
        let id = project.def.products.iter().map(|p| p.id).max().unwrap_or(0) + 1;
        let mut body = json!({ "id": id, "values": {} });
        fill(&state, &project, &mut body, &form, &files).await?;
        let s = products()?;
        let (_, change) = manage::create(&state, s, body).await?;
        audit::project_edit(&state, &current.operator, Some(s), change).await?;
        Ok(page::see(&format!("/admin/catalog/{id}?done=saved")))
    }
    .await
    .or_fail(&chrome)
}

async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(id): Path<i64>,
    form: Form,
    files: Files,
) -> Response {
    async {
        let s = products()?;
        let key = id.to_string();
        let mut body = manage::read(&state, s, &key).await?.body;
        let project = state.project();
        fill(&state, &project, &mut body, &form, &files).await?;
        let version = form.get("version").filter(|v| !v.is_empty());
        let (_, change) = manage::replace(&state, s, &key, version, body).await?;
        audit::project_edit(&state, &current.operator, Some(s), change).await?;
        Ok(page::see(&format!("/admin/catalog/{id}?done=saved")))
    }
    .await
    .or_fail(&chrome)
}

/// Writes the form's fields into the product's entry (the file's shape). The price stays the
/// text typed (an exact decimal; the check refuses what its currency cannot hold).
async fn fill(
    state: &AppState,
    project: &Project,
    body: &mut Value,
    form: &Form,
    files: &Files,
) -> ApiResult<()> {
    let field = |name: &str| form.get(name).map(str::trim).unwrap_or_default();
    let title = field("title");
    if title.is_empty() {
        return Err(ApiError::BadRequest(
            "Not valid: a product needs a title".to_owned(),
        ));
    }
    body["title"][project.default_locale()] = json!(title);
    set_or_remove(body, "sku", field("sku"));
    set_or_remove(body, "status", field("status"));
    body["attribute_set"] = json!(field("attribute_set"));
    body["visible"] = json!(form.get("visible").is_some());
    let set = project.def.attribute_set(field("attribute_set"));
    for (pick, name) in [(price_attr as Pick, "price"), (currency_attr, "currency")] {
        let value = field(name);
        match set.and_then(pick) {
            Some(marker) => set_or_remove(&mut body["values"], &marker, value),
            None if value.is_empty() => {}
            None => {
                return Err(ApiError::BadRequest(format!(
                    "Not valid: the attribute set has no {name} attribute"
                )));
            }
        }
    }
    if let Some(file) = files.get("image") {
        let stored = upload::store(state, &file.name, &file.bytes, Accept::Image).await?;
        if let Some(marker) = set.and_then(image_attr) {
            body["values"][marker] = serde_json::to_value(stored.to_value())
                .map_err(|e| ApiError::Internal(e.into()))?;
        }
        body["preview_image"] = json!(stored.key);
    }
    Ok(())
}

type Pick = fn(&AttributeSetDef) -> Option<String>;

fn price_attr(set: &AttributeSetDef) -> Option<String> {
    set.attributes
        .iter()
        .find(|a| a.price)
        .map(|a| a.marker.clone())
}

fn currency_attr(set: &AttributeSetDef) -> Option<String> {
    set.attributes
        .iter()
        .find(|a| a.currency)
        .map(|a| a.marker.clone())
}

/// The set's picture: the image attribute marked for previews, else its first image.
pub(super) fn image_attr(set: &AttributeSetDef) -> Option<String> {
    let images = || {
        set.attributes
            .iter()
            .filter(|a| a.kind == AttributeKind::Image)
    };
    images()
        .find(|a| a.product_preview)
        .or_else(|| images().next())
        .map(|a| a.marker.clone())
}

fn set_or_remove(obj: &mut Value, key: &str, value: &str) {
    if value.is_empty() {
        if let Some(o) = obj.as_object_mut() {
            o.remove(key);
        }
    } else {
        obj[key] = json!(value);
    }
}

//! Turning a request's cart and form data into priced, checked values.

use openentry_domain::money::{Currency, Money};
use openentry_domain::pricing::{self, CartLine, CatalogPrice, PricedCart, PricingError};
use openentry_store::orders::NewLine;
use openentry_types::form_data::{FormDataItem, read_form_data};
use openentry_types::orders::ProductQuantity;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::forms;
use crate::project::Project;

/// A cart priced from the catalog, with the line snapshots to store.
#[derive(Debug, Clone)]
pub(crate) struct Priced {
    /// The computation.
    pub(crate) cart: PricedCart,
    /// Lines as stored.
    pub(crate) lines: Vec<NewLine>,
}

fn pricing_error(e: PricingError) -> ApiError {
    match e {
        PricingError::Overflow => ApiError::Unprocessable(crate::error::sentence(&e.to_string())),
        other => ApiError::BadRequest(crate::error::sentence(&other.to_string())),
    }
}

/// Prices a cart. Prices, currency and titles come from the catalog only.
pub(crate) fn price(
    project: &Project,
    products: &[ProductQuantity],
    lang: &str,
) -> ApiResult<Priced> {
    let def = &project.def;
    let lines: Vec<CartLine> = products
        .iter()
        .map(|p| CartLine {
            product_id: p.product_id,
            quantity: p.quantity,
        })
        .collect();
    let catalog = |id: i64| {
        let product = def.product(id)?;
        // A product whose price does not read (checked when the project was imported) has
        // no price: the cart refuses it by name.
        let price = def.price_of(product).ok().flatten().and_then(|p| {
            let currency = Currency::parse(&p.currency).ok()?;
            Some(Money::new(p.minor, currency))
        });
        let orderable = product.visible && def.status_of(product).is_none_or(|s| s.orderable);
        Some(CatalogPrice { price, orderable })
    };
    let cart = pricing::price_cart(&lines, catalog).map_err(pricing_error)?;
    let snapshots = cart
        .lines
        .iter()
        .map(|l| {
            let p = def.product(l.product_id);
            let title = p
                .and_then(|p| project.text_in(&p.title, lang))
                .map_or_else(|| format!("Product {}", l.product_id), str::to_owned);
            NewLine {
                product_id: l.product_id,
                title,
                sku: p.and_then(|p| p.sku.clone()),
                preview_image: p.and_then(|p| p.preview_image.clone()),
                price_minor: l.price_minor,
                quantity: l.quantity,
                is_gift: false,
            }
        })
        .collect();
    Ok(Priced {
        cart,
        lines: snapshots,
    })
}

/// The language of submitted form data: the key of a `{"<lang>": [...]}` wrapper when it names
/// a project locale, else the project's default.
pub(crate) fn form_lang(project: &Project, form_data: Option<&Value>) -> String {
    if let Some(Value::Object(map)) = form_data
        && map.len() == 1
        && let Some(key) = map.keys().next()
        && project.def.project.locales.iter().any(|l| l == key)
    {
        return key.clone();
    }
    project.default_locale().to_owned()
}

/// Reads and checks checkout form data against the storage's form.
pub(crate) fn checkout_items(
    project: &Project,
    form_marker: &str,
    form_data: Option<&Value>,
    lang: &str,
) -> ApiResult<Vec<FormDataItem>> {
    let form = project
        .forms
        .by_marker(form_marker)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("form {form_marker} is missing")))?;
    let items = match form_data {
        Some(v) => read_form_data(v, lang).map_err(|e| ApiError::BadRequest(e.0))?,
        None => Vec::new(),
    };
    // The captcha token (checked by `create`, see `checkout_token`) is never stored.
    let items = openentry_domain::form_data::without_spam(&form.def, items);
    let items = forms::check_items(&form.def, items, &[])?;
    forms::check_required(&form.def, &items, &[])?;
    Ok(items)
}

/// The captcha token of checkout form data, when the storage's form has a spam field.
pub(crate) fn checkout_token(
    project: &Project,
    form_marker: &str,
    form_data: Option<&Value>,
    lang: &str,
) -> ApiResult<(Option<String>, Option<openentry_domain::project::FormDef>)> {
    let Some(form) = project
        .forms
        .by_marker(form_marker)
        .filter(|f| openentry_domain::form_data::spam_field(&f.def).is_some())
    else {
        return Ok((None, None));
    };
    let items = match form_data {
        Some(v) => read_form_data(v, lang).map_err(|e| ApiError::BadRequest(e.0))?,
        None => Vec::new(),
    };
    Ok((
        crate::spam::token(&form.def, &items)?,
        Some(form.def.clone()),
    ))
}

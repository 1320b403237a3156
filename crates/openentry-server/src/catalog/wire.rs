//! Products of the definition as the SDK sees them (`ProductEntitySchema`).

use std::collections::BTreeMap;

use openentry_domain::project::{AttributeSetDef, ProductDef};
use openentry_types::catalog::{
    AttributeValue, PriceRange, Product, ProductAdditional, ProductPage,
};
use serde_json::Value;

use super::decimal::Decimal;
use super::products::{Catalog, Entry};
use crate::content::attributes::{self, ImageShape};
use crate::error::{ApiError, ApiResult};
use crate::wire::localize;

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A product with the price range of the list it is part of.
pub(super) fn product(cat: &Catalog<'_>, e: &Entry<'_>, range: PriceRange) -> ApiResult<Product> {
    let project = cat.project;
    let def = &project.def;
    let p = e.product;
    let price = def
        .price_of(p)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("product {}: {err}", p.id)))?
        .map(|pr| Decimal::new(pr.minor, pr.exponent));
    let status = def.status_of(p);
    let attribute_values = match def.attribute_set(&p.attribute_set) {
        Some(set) => attribute_values(cat, set, p, price)?,
        None => BTreeMap::new(),
    };
    // Links are numbered over all products in definition order.
    let first_link: usize = def
        .products
        .iter()
        .take(e.index)
        .map(|x| x.pages.len())
        .sum();
    let product_pages = p
        .pages
        .iter()
        .enumerate()
        .map(|(j, url)| ProductPage {
            id: to_i64(first_link + j + 1),
            page_id: cat.page_id(url).unwrap_or(0),
            product_id: p.id,
            position_id: e.position,
            category_path: url.clone(),
        })
        .collect();
    let fallback = super::title_in(def, p, project.default_locale());
    Ok(Product {
        id: p.id,
        localize_infos: localize(&p.title, project, &fallback),
        status_identifier: status.map(|s| s.identifier.clone()),
        status_localize_infos: status
            .map(|s| localize(&s.title, project, &s.identifier))
            .unwrap_or_default(),
        attribute_set_identifier: Some(p.attribute_set.clone()),
        position: e.position,
        price: price.map(Decimal::to_number).transpose()?,
        additional: ProductAdditional { prices: range },
        sku: p.sku.clone(),
        is_sync: false,
        attribute_values,
        categories: p.pages.clone(),
        is_visible: p.visible,
        related_ids: p
            .related
            .iter()
            .copied()
            .filter(|id| def.product(*id).is_some_and(|r| r.visible))
            .collect(),
        product_pages,
    })
}

/// The set's attributes the product has a value for, rendered by the one attribute renderer
/// (`content::attributes`) with `image` values as objects. Wire quirk: an attribute without a
/// value is left out rather than sent as `null`, because the SDK turns a `null`
/// integer/float into `0` and reads `value.length` of images.
fn attribute_values(
    cat: &Catalog<'_>,
    set: &AttributeSetDef,
    p: &ProductDef,
    price: Option<Decimal>,
) -> ApiResult<BTreeMap<String, AttributeValue>> {
    let project = cat.project;
    let lang = cat.lang.as_str();
    let mut out = BTreeMap::new();
    // The one rule of `content::attributes::render`: the language's values, else the default
    // locale's, laid over the language-neutral ones.
    let overrides = p
        .localized_values
        .get(lang)
        .or_else(|| p.localized_values.get(project.default_locale()));
    for (i, a) in set.attributes.iter().enumerate() {
        let Some(raw) = overrides
            .and_then(|o| o.get(&a.marker))
            .or_else(|| p.values.get(&a.marker))
        else {
            continue;
        };
        let value = match (a.price, price) {
            (true, Some(d)) => Value::Number(d.to_number()?),
            (true, None) => continue,
            (false, _) => attributes::value_json(project, a, raw, lang, ImageShape::Object)?,
        };
        out.insert(
            a.marker.clone(),
            AttributeValue {
                kind: a.kind.as_str().to_owned(),
                value,
                position: to_i64(i + 1),
                is_price: a.price,
                is_currency: a.currency,
                localize_infos: localize(&a.title, project, &a.marker),
                additional_fields: attributes::additional_json(
                    project,
                    a,
                    raw,
                    lang,
                    ImageShape::Object,
                )?,
                is_icon: a.icon,
                is_product_preview: a.product_preview,
            },
        );
    }
    Ok(out)
}

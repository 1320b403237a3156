//! Products of the definition as the SDK sees them (`ProductEntitySchema`).

use std::collections::BTreeMap;

use openentry_domain::project::{AttrValue, AttributeSetDef, ProductDef};
use openentry_types::catalog::{
    AttributeValue, PriceRange, Product, ProductAdditional, ProductPage,
};
use serde_json::{Value, json};

use super::decimal::Decimal;
use super::products::{Catalog, Entry};
use crate::error::{ApiError, ApiResult};
use crate::project::Project;
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
        Some(set) => attribute_values(project, set, p, price)?,
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

/// The set's attributes the product has a value for. Wire quirk: an attribute without a
/// value is left out rather than sent as `null`, because the SDK turns a `null`
/// integer/float into `0` and reads `value.length` of images.
fn attribute_values(
    project: &Project,
    set: &AttributeSetDef,
    p: &ProductDef,
    price: Option<Decimal>,
) -> ApiResult<BTreeMap<String, AttributeValue>> {
    let mut out = BTreeMap::new();
    for (i, a) in set.attributes.iter().enumerate() {
        let value = if a.price {
            match price {
                Some(d) => Value::Number(d.to_number()?),
                None => continue,
            }
        } else {
            match p.values.get(&a.marker) {
                Some(v) => value_json(&a.kind, v)?,
                None => continue,
            }
        };
        out.insert(
            a.marker.clone(),
            AttributeValue {
                kind: a.kind.clone(),
                value,
                position: to_i64(i + 1),
                is_price: a.price,
                is_currency: a.currency,
                localize_infos: localize(&a.title, project, &a.marker),
                additional_fields: Vec::new(),
            },
        );
    }
    Ok(out)
}

/// An attribute value on the wire: numbers as exact JSON numbers, images as a list of
/// `{downloadLink}` (the SDK unwraps a one-element list), the rest as written.
fn value_json(kind: &str, v: &AttrValue) -> ApiResult<Value> {
    let texts = |v: &AttrValue| -> Vec<String> {
        match v {
            AttrValue::List(l) => l.clone(),
            other => other.as_text().into_iter().collect(),
        }
    };
    Ok(match (kind, v) {
        ("image", v) => Value::Array(
            texts(v)
                .into_iter()
                .map(|url| json!({ "downloadLink": url }))
                .collect(),
        ),
        (_, AttrValue::Int(i)) => Value::from(*i),
        ("integer" | "float", AttrValue::Text(t)) => match Decimal::parse(t) {
            Some(d) => Value::Number(d.to_number()?),
            None => Value::String(t.clone()),
        },
        (_, AttrValue::Text(t)) => Value::String(t.clone()),
        (_, AttrValue::Bool(b)) => Value::Bool(*b),
        (_, AttrValue::List(l)) => Value::from(l.clone()),
        (_, AttrValue::Items(_) | AttrValue::Table(_)) => {
            serde_json::to_value(v).map_err(|e| ApiError::Internal(e.into()))?
        }
    })
}

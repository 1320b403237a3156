//! Product filters (docs/wire.md §6.5): the `userQuery` keys and the filter items. Numbers
//! compare exactly (see `decimal`); prices compare by amount, their currencies are not
//! converted.

use std::cmp::Ordering;

use openentry_domain::project::{AttrValue, ProductDef, ProjectDefinition};
use openentry_types::catalog::ProductFilter;
use serde::Deserialize;
use serde_json::Value;

use super::decimal::{Decimal, price_decimal};
use super::title_in;
use crate::error::ApiError;

/// Query keys of the product routes. Keys the server has no use for (`signPrice`,
/// `templateMarker`, `isNormalized`) are accepted and ignored.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProductQuery {
    /// Items to skip (default 0).
    pub(crate) offset: Option<usize>,
    /// Items to return (default 30, at most 1000).
    pub(crate) limit: Option<usize>,
    /// `ASC` or `DESC` (default).
    pub(crate) sort_order: Option<String>,
    /// `id`, `position` (default), `title`, `price` or `date`.
    pub(crate) sort_key: Option<String>,
    /// Only products in this status.
    pub(crate) status_marker: Option<String>,
    /// Language of titles (sorting by title, search); the project's default when absent.
    pub(crate) lang_code: Option<String>,
    /// A filter given in the query: attribute…
    pub(crate) attribute_marker: Option<String>,
    /// …condition…
    pub(crate) condition_marker: Option<String>,
    /// …and value.
    pub(crate) condition_value: Option<String>,
    /// `getProductsByIds`: comma-separated ids.
    pub(crate) ids: Option<String>,
    /// `searchProduct`: the text to find in titles.
    pub(crate) name: Option<String>,
}

/// `Some` for a present, non-empty text.
pub(crate) fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// A value to compare: its text and, when it is a decimal, its exact reading.
#[derive(Debug, Clone)]
struct Operand {
    text: String,
    decimal: Option<Decimal>,
}

impl Operand {
    fn new(text: String) -> Self {
        let decimal = Decimal::parse(&text);
        Self { text, decimal }
    }

    /// Equal as numbers when both are decimals (`"400"` = `400.00`), else as texts.
    fn same(&self, other: &Self) -> bool {
        match (self.decimal, other.decimal) {
            (Some(a), Some(b)) => a.cmp_exact(b) == Ordering::Equal,
            _ => self.text == other.text,
        }
    }
}

#[derive(Debug)]
enum Cond {
    Eq(Operand),
    Neq(Operand),
    In(Vec<Operand>),
    Nin(Vec<Operand>),
    Mth(Decimal),
    Lth(Decimal),
    Exs,
    Nexs,
}

#[derive(Debug)]
struct Compiled {
    attribute: Option<(String, Cond)>,
    status: Option<String>,
    pages: Vec<String>,
    title: Option<String>,
}

/// Filter items and query filters, checked once; a product must satisfy all of them.
#[derive(Debug)]
pub(crate) struct Filter(Vec<Compiled>);

fn bad(msg: String) -> ApiError {
    ApiError::BadRequest(msg)
}

/// The decimal of an `mth`/`lth` operand.
fn decimal(op: &Operand, cond: &str) -> Result<Decimal, ApiError> {
    op.decimal.ok_or_else(|| {
        bad(format!(
            "conditionValue of \"{cond}\" must be a decimal number, not \"{}\"",
            op.text
        ))
    })
}

fn scalar(v: &Value, cond: &str) -> Result<Operand, ApiError> {
    match v {
        Value::String(s) => Ok(Operand::new(s.trim().to_owned())),
        Value::Number(n) => Ok(Operand::new(n.to_string())),
        Value::Bool(b) => Ok(Operand::new(b.to_string())),
        _ => Err(bad(format!(
            "conditionValue of \"{cond}\" must be a string or a number"
        ))),
    }
}

fn list(v: &Value, cond: &str) -> Result<Vec<Operand>, ApiError> {
    match v {
        Value::Array(items) => items.iter().map(|i| scalar(i, cond)).collect(),
        // Wire quirk: the SDK's d.ts example sends `{}` for `in`; an object's values count.
        Value::Object(map) => map.values().map(|i| scalar(i, cond)).collect(),
        Value::String(s) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Operand::new(s.to_owned()))
            .collect()),
        other => Ok(vec![scalar(other, cond)?]),
    }
}

/// Reads a condition. `Ok(None)`: the item sets no condition on its attribute.
///
/// Wire quirk: storefronts send `conditionValue: null` (OneEntry's shop template adds
/// `{attributeMarker: "sku", conditionMarker: "nin", conditionValue: null, title: <search>}` to
/// every list, and `{statusMarker: "in_stock", attributeMarker: "price", conditionValue: null}`
/// with no condition). A null value reads as "no value": `nin`/`neq` null keep products whose
/// attribute has a value (like `exs`), `in`/`eq` null keep those without one (like `nexs`), and
/// with no `conditionMarker`, or with `mth`/`lth`, null sets no condition at all.
fn condition(marker: Option<&str>, value: Option<&Value>) -> Result<Option<Cond>, ApiError> {
    let value = value.filter(|v| !v.is_null());
    let Some(cond) = marker else {
        return Ok(match value {
            Some(v) => Some(Cond::Eq(scalar(v, "eq")?)),
            None => None,
        });
    };
    let Some(v) = value else {
        return match cond {
            "nin" | "neq" | "exs" => Ok(Some(Cond::Exs)),
            "in" | "eq" | "nexs" => Ok(Some(Cond::Nexs)),
            "mth" | "lth" => Ok(None),
            other => Err(unknown(other)),
        };
    };
    Ok(Some(match cond {
        "eq" => Cond::Eq(scalar(v, cond)?),
        "neq" => Cond::Neq(scalar(v, cond)?),
        "in" => Cond::In(list(v, cond)?),
        "nin" => Cond::Nin(list(v, cond)?),
        "mth" => Cond::Mth(decimal(&scalar(v, cond)?, cond)?),
        "lth" => Cond::Lth(decimal(&scalar(v, cond)?, cond)?),
        "exs" => Cond::Exs,
        "nexs" => Cond::Nexs,
        other => return Err(unknown(other)),
    }))
}

fn unknown(cond: &str) -> ApiError {
    bad(format!(
        "Unknown conditionMarker \"{cond}\"; use eq, neq, in, nin, mth, lth, exs or nexs"
    ))
}

fn compile(f: &ProductFilter) -> Result<Compiled, ApiError> {
    let attribute = match given(f.attribute_marker.as_deref()) {
        Some(m) => condition(
            given(f.condition_marker.as_deref()),
            f.condition_value.as_ref(),
        )?
        .map(|c| (m.to_owned(), c)),
        None => None,
    };
    let mut pages: Vec<String> = f.page_urls.clone().unwrap_or_default();
    pages.extend(given(f.page_url.as_deref()).map(str::to_owned));
    Ok(Compiled {
        attribute,
        status: given(f.status_marker.as_deref()).map(str::to_owned),
        pages,
        title: given(f.title.as_deref()).map(str::to_lowercase),
    })
}

impl Filter {
    /// Checks the body's items and the query's `statusMarker`/`attributeMarker` filter.
    pub(crate) fn new(items: &[ProductFilter], q: &ProductQuery) -> Result<Self, ApiError> {
        let mut all: Vec<Compiled> = items.iter().map(compile).collect::<Result<_, _>>()?;
        let from_query = ProductFilter {
            attribute_marker: q.attribute_marker.clone(),
            condition_marker: q.condition_marker.clone(),
            condition_value: q.condition_value.clone().map(Value::String),
            status_marker: q.status_marker.clone(),
            ..ProductFilter::default()
        };
        all.push(compile(&from_query)?);
        Ok(Self(all))
    }

    /// Whether a product passes every item.
    pub(crate) fn matches(&self, def: &ProjectDefinition, p: &ProductDef, lang: &str) -> bool {
        self.0.iter().all(|c| {
            let status_ok = c
                .status
                .as_ref()
                .is_none_or(|s| def.status_of(p).is_some_and(|st| &st.identifier == s));
            let pages_ok = c.pages.is_empty() || p.pages.iter().any(|u| c.pages.contains(u));
            let title_ok = c
                .title
                .as_ref()
                .is_none_or(|t| title_in(def, p, lang).to_lowercase().contains(t.as_str()));
            let attr_ok = c
                .attribute
                .as_ref()
                .is_none_or(|(marker, cond)| test(cond, &values_of(def, p, marker)));
            status_ok && pages_ok && title_ok && attr_ok
        })
    }
}

fn test(cond: &Cond, values: &[Operand]) -> bool {
    let any = |f: &dyn Fn(&Operand) -> bool| values.iter().any(f);
    let num = |f: &dyn Fn(Ordering) -> bool, d: Decimal| {
        any(&|v| v.decimal.is_some_and(|x| f(x.cmp_exact(d))))
    };
    match cond {
        Cond::Eq(o) => any(&|v| v.same(o)),
        Cond::Neq(o) => !any(&|v| v.same(o)),
        Cond::In(set) => any(&|v| set.iter().any(|o| v.same(o))),
        Cond::Nin(set) => !any(&|v| set.iter().any(|o| v.same(o))),
        Cond::Mth(d) => num(&Ordering::is_gt, *d),
        Cond::Lth(d) => num(&Ordering::is_lt, *d),
        Cond::Exs => !values.is_empty(),
        Cond::Nexs => values.is_empty(),
    }
}

/// The values of attribute `marker` of a product. The set's price attribute (and `price`,
/// when the set has no attribute of that name) reads the exact price; `sku`, when the set has
/// no attribute of that name, reads the product's SKU.
fn values_of(def: &ProjectDefinition, p: &ProductDef, marker: &str) -> Vec<Operand> {
    let set = def.attribute_set(&p.attribute_set);
    let attr = set.and_then(|s| s.attributes.iter().find(|a| a.marker == marker));
    if attr.is_none() && marker == "sku" {
        return p.sku.iter().map(|s| Operand::new(s.clone())).collect();
    }
    let is_price = attr.map_or(marker == "price", |a| a.price);
    if is_price {
        return price_decimal(def, p)
            .map(|d| Operand {
                text: d.text(),
                decimal: Some(d),
            })
            .into_iter()
            .collect();
    }
    operands(p.values.get(marker))
}

/// The comparable values of an attribute value.
fn operands(value: Option<&AttrValue>) -> Vec<Operand> {
    match value {
        // Rich values (images, texts with markup) are not filterable.
        None | Some(AttrValue::Items(_) | AttrValue::Table(_)) => Vec::new(),
        Some(AttrValue::Int(i)) => vec![Operand::new(i.to_string())],
        Some(AttrValue::Text(t)) => vec![Operand::new(t.trim().to_owned())],
        Some(AttrValue::Bool(b)) => vec![Operand::new(b.to_string())],
        Some(AttrValue::List(l)) => l.iter().map(|t| Operand::new(t.clone())).collect(),
    }
}

/// The attribute condition of a filter item, for entities with attribute values other than
/// products (admins): the same conditions, null rules and exact numbers as product filters.
#[derive(Debug)]
pub(crate) struct AttributeCondition {
    marker: String,
    cond: Cond,
}

impl AttributeCondition {
    /// The item's condition; `None` when it sets none.
    pub(crate) fn compile(f: &ProductFilter) -> Result<Option<Self>, ApiError> {
        Ok(compile(f)?
            .attribute
            .map(|(marker, cond)| Self { marker, cond }))
    }

    /// The attribute it tests.
    pub(crate) fn marker(&self) -> &str {
        &self.marker
    }

    /// Whether an entity's value of the attribute (`None`: it has none) satisfies it.
    pub(crate) fn holds(&self, value: Option<&AttrValue>) -> bool {
        test(&self.cond, &operands(value))
    }
}

#[cfg(test)]
#[path = "filter_tests.rs"]
mod tests;

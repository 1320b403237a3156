//! Discounts on a priced cart: the engine's input from the project, the request and the buyer,
//! and its answer as `discountConfig` (docs/decisions.md, "Discounts"; docs/wire.md §6.9).

use openentry_domain::clock::Timestamp;
use openentry_domain::discounts::{self, Buyer, Input, Line, Outcome};
use openentry_domain::money::{Currency, Money};
use openentry_domain::project::{AttrValue, ProjectDefinition};
use openentry_store::orders::NewLine;
use serde_json::{Number, Value};

use super::cart::Priced;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;

/// A coupon of the definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CouponHit {
    /// Its place among all coupons of the definition, from 1.
    pub(crate) id: i64,
    /// Its discount's id (place in `[[discounts]]`, from 1).
    pub(crate) discount_id: i64,
    /// Its discount's identifier.
    pub(crate) discount: String,
    /// The code, upper case (codes match ignoring case).
    pub(crate) code: String,
    /// Serves several orders.
    pub(crate) reusable: bool,
}

/// The coupon with this code (manual codes of the definition).
pub(crate) fn find_coupon(def: &ProjectDefinition, code: &str) -> Option<CouponHit> {
    let wanted = code.trim().to_ascii_uppercase();
    let mut id = 0;
    for (d, discount_id) in def.discounts.iter().zip(1_i64..) {
        for c in &d.coupons {
            id += 1;
            if c.code.as_deref().map(str::to_ascii_uppercase).as_deref() == Some(wanted.as_str()) {
                return Some(CouponHit {
                    id,
                    discount_id,
                    discount: d.identifier.clone(),
                    code: wanted,
                    reusable: c.is_reusable(),
                });
            }
        }
    }
    None
}

/// What a request asks for besides its products.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Asked<'a> {
    /// `couponCode` (already found and not used up).
    pub(crate) coupon: Option<&'a CouponHit>,
    /// `additionalDiscountsMarkers`.
    pub(crate) markers: Option<&'a [String]>,
    /// `bonusAmount`.
    pub(crate) bonus: Option<&'a Number>,
}

/// The engine's answer with what the order stores.
#[derive(Debug, Clone)]
pub(crate) struct Discounted {
    pub(crate) outcome: Outcome,
    pub(crate) currency: Currency,
    pub(crate) coupon: Option<CouponHit>,
    pub(crate) markers: Vec<String>,
    /// Gift lines to store (price 0, `isGift`).
    pub(crate) gift_lines: Vec<NewLine>,
}

fn bad(e: impl std::fmt::Display) -> ApiError {
    ApiError::BadRequest(crate::error::sentence(&e.to_string()))
}

/// `bonusAmount` in minor units: a non-negative amount in the order's currency.
fn bonus_minor(n: Option<&Number>, currency: Currency) -> ApiResult<i64> {
    let Some(n) = n else { return Ok(0) };
    Money::parse(&n.to_string(), currency)
        .map(|m| m.minor)
        .map_err(|_| {
            ApiError::BadRequest(format!(
                "bonusAmount {n} is not a non-negative amount in {currency}"
            ))
        })
}

fn lines(def: &ProjectDefinition, priced: &Priced) -> Vec<Line> {
    priced
        .cart
        .lines
        .iter()
        .map(|l| line(def, l.product_id, l.quantity, l.price_minor))
        .collect()
}

/// A cart line as the engine's conditions see it.
pub(crate) fn line(
    def: &ProjectDefinition,
    product_id: i64,
    quantity: i64,
    price_minor: i64,
) -> Line {
    let p = def.product(product_id);
    let attributes = p.map(|p| {
        p.values
            .iter()
            .flat_map(|(k, v)| match v {
                AttrValue::List(items) => items.iter().map(|i| (k.clone(), i.clone())).collect(),
                other => other
                    .as_text()
                    .map(|t| (k.clone(), t))
                    .into_iter()
                    .collect::<Vec<_>>(),
            })
            .collect()
    });
    Line {
        product_id,
        quantity,
        price_minor,
        categories: p.map(|p| p.pages.clone()).unwrap_or_default(),
        attributes: attributes.unwrap_or_default(),
    }
}

/// Applies the project's discounts to a priced cart: the one computation of previewOrder,
/// createOrder and updateOrder.
pub(crate) fn apply(
    project: &Project,
    priced: &Priced,
    buyer: &Buyer,
    asked: Asked<'_>,
    lang: &str,
    now: Timestamp,
) -> ApiResult<Discounted> {
    let def = &project.def;
    let currency = priced.cart.total.currency;
    let (rules, settings) =
        discounts::resolve(def, currency.exponent()).map_err(|e| ApiError::Internal(e.into()))?;
    let markers: Vec<String> = asked.markers.unwrap_or_default().to_vec();
    if let Some(m) = markers
        .iter()
        .find(|m| !rules.iter().any(|r| &r.identifier == *m))
    {
        return Err(ApiError::BadRequest(format!(
            "Discount \"{m}\" does not exist"
        )));
    }
    let lines = lines(def, priced);
    // The buyer's balance is kept in hundredths of a point; the engine counts minor units.
    let buyer = &Buyer {
        bonus_balance: super::bonus::to_minor(buyer.bonus_balance, currency),
        ..buyer.clone()
    };
    let outcome = discounts::apply(&Input {
        lines: &lines,
        rules: &rules,
        settings,
        buyer,
        now,
        coupon_rule: asked.coupon.map(|c| c.discount_id),
        bonus_requested: bonus_minor(asked.bonus, currency)?,
    });
    if let Some(c) = asked.coupon
        && !outcome.coupon_applied
    {
        return Err(bad(format!(
            "Coupon \"{}\" does not apply to this order",
            c.code
        )));
    }
    let gift_lines = outcome
        .gifts
        .iter()
        .filter_map(|&id| {
            let p = def.product(id)?;
            Some(NewLine {
                product_id: id,
                title: project
                    .text_in(&p.title, lang)
                    .map_or_else(|| format!("Product {id}"), str::to_owned),
                sku: p.sku.clone(),
                preview_image: p.preview_image.clone(),
                price_minor: 0,
                quantity: 1,
                is_gift: true,
            })
        })
        .collect();
    Ok(Discounted {
        outcome,
        currency,
        coupon: asked.coupon.cloned(),
        markers,
        gift_lines,
    })
}

/// A number of the wire from minor units.
pub(crate) fn amount(minor: i64, currency: Currency) -> ApiResult<Number> {
    crate::money::number(Money::new(minor, currency))
}

/// A percentage in hundredths as a wire number (`1250` → `12.5`).
pub(crate) fn percent(bp: i64) -> Value {
    openentry_domain::money::format_short(bp, 2)
        .parse::<Number>()
        .map_or(Value::Null, Value::Number)
}

/// The buyer as the conditions see them: their group (their auth provider's) and their bonus
/// balance in hundredths of a point. Lifetime values are not kept yet (docs/decisions.md,
/// "Discounts").
pub(crate) async fn buyer(
    state: &crate::state::AppState,
    project: &Project,
    user_id: Option<i64>,
) -> ApiResult<Buyer> {
    let Some(id) = user_id else {
        return Ok(Buyer::default());
    };
    let user = openentry_store::users::get(&state.db, id).await?;
    let group = user
        .and_then(|u| project.providers.by_id(u.provider_id))
        .map(|p| p.def.user_group.clone());
    Ok(Buyer {
        group,
        bonus_balance: super::bonus::balance(state, id).await?,
        ..Buyer::default()
    })
}

/// The coupon a request presents: `None` without one; refused when unknown or, single-use,
/// already claimed by an order.
pub(crate) async fn presented(
    state: &crate::state::AppState,
    def: &ProjectDefinition,
    code: Option<&str>,
) -> ApiResult<Option<CouponHit>> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let hit = find_coupon(def, code)
        .ok_or_else(|| ApiError::BadRequest(format!("Coupon \"{code}\" does not exist")))?;
    if !hit.reusable
        && openentry_store::discounts::coupon_use(&state.db, &hit.code)
            .await?
            .is_some()
    {
        return Err(ApiError::BadRequest(format!(
            "Coupon \"{code}\" was already used"
        )));
    }
    Ok(Some(hit))
}

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

pub(crate) use super::coupons::{CouponHit, lookup, presented};

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

impl Discounted {
    /// The priced lines as paid for: a unit a gift replaced (`gifts_replace_cart_items`) is
    /// not a paid unit, and a line whose every unit became a gift is not stored.
    pub(crate) fn paid_lines(&self, priced: &Priced) -> Vec<NewLine> {
        priced
            .lines
            .iter()
            .filter_map(|l| {
                let q = self
                    .outcome
                    .lines
                    .iter()
                    .find(|o| o.product_id == l.product_id)?
                    .quantity;
                Some(NewLine {
                    quantity: q,
                    ..l.clone()
                })
            })
            .collect()
    }
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

/// The buyer as the conditions see them: their group (their auth provider's), their bonus
/// balance in hundredths of a point and, when a discount has a `USER_LTV` condition, their
/// lifetime value in `currency` (docs/decisions.md, "Discounts, second part").
pub(crate) async fn buyer(
    state: &crate::state::AppState,
    project: &Project,
    user_id: Option<i64>,
    currency: Currency,
) -> ApiResult<Buyer> {
    let Some(id) = user_id else {
        return Ok(Buyer::default());
    };
    // One connection for the reads (Conn's docs say why); the balance takes it last.
    let mut conn = state.db.conn().await?;
    let user = openentry_store::users::get(&mut conn, id).await?;
    let group = user
        .and_then(|u| project.providers.by_id(u.provider_id))
        .map(|p| p.def.user_group.clone());
    let wants_ltv = project.def.discounts.iter().any(|d| {
        d.conditions
            .iter()
            .any(|c| c.kind == openentry_domain::project::ConditionType::UserLtv)
    });
    let ltv_minor = if wants_ltv {
        lifetime_value(&mut conn, project, id, currency).await?
    } else {
        0
    };
    Ok(Buyer {
        group,
        bonus_balance: super::bonus::balance(state, conn, id).await?,
        ltv_minor,
    })
}

/// The user's lifetime value: what their orders in `currency` whose status is a `paid` one
/// were paid in money, less approved refunds, in minor units. Orders in other currencies do
/// not count (no conversion rates are kept).
pub(crate) async fn lifetime_value(
    conn: &mut openentry_store::Conn<'_>,
    project: &Project,
    user_id: i64,
    currency: Currency,
) -> ApiResult<i64> {
    let sums =
        openentry_store::discounts::value_by_status(&mut *conn, user_id, currency.code()).await?;
    Ok(sums
        .into_iter()
        .filter(|(status, _)| {
            project
                .order_statuses
                .by_id(*status)
                .is_some_and(|s| s.def.status.paid)
        })
        .map(|(_, n)| n)
        .fold(0_i64, i64::saturating_add))
}

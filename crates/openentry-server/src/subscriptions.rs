//! Events module: a signed-in user subscribes to a product through an event of the project
//! whose condition is about products (`price_below`, `back_in_stock`); docs/wire.md §6.10.
//! A `price_below` subscription keeps a threshold (the platform's optional `threshold`, else
//! the price when subscribing); the relay reads it when a price falls (`relay::catalog`).

use openentry_domain::project::{Condition, EventDef, ProductDef, ProjectDefinition};
use openentry_store::subscriptions;
use openentry_types::paging::Paging;
use openentry_types::subscriptions::{SubscribeBody, SubscriptionItem, Subscriptions};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// The user's subscriptions, a page.
pub(crate) async fn list(
    state: &AppState,
    me: &CurrentUser,
    page: Paging,
) -> ApiResult<Subscriptions> {
    let rows = subscriptions::list_own(&state.db, me.user_id, page).await?;
    let total = subscriptions::count_own(&state.db, me.user_id).await?;
    Ok(Subscriptions {
        total,
        items: rows
            .into_iter()
            .map(|r| SubscriptionItem {
                event_marker: r.event,
                product_id: r.product_id,
            })
            .collect(),
    })
}

fn is_product_event(e: &EventDef) -> bool {
    matches!(e.condition, Condition::PriceBelow | Condition::BackInStock)
}

/// What a subscription stores besides its keys.
struct Checked {
    locale: String,
    threshold_minor: Option<i64>,
}

/// Checks the marker and the product; returns the locale and the threshold to store.
fn check(state: &AppState, marker: &str, body: &SubscribeBody) -> ApiResult<Checked> {
    let project = state.project();
    let def = &project.def;
    let Some(event) = def.event(marker).filter(|e| is_product_event(e)) else {
        return Err(ApiError::NotFound(format!(
            "Event \"{marker}\" not found or not about products"
        )));
    };
    let Some(product) = def.product(body.product_id) else {
        return Err(ApiError::NotFound(format!(
            "Product {} not found",
            body.product_id
        )));
    };
    let locale = body
        .locale
        .clone()
        .unwrap_or_else(|| def.project.default_locale().to_owned());
    if !def.project.locales.contains(&locale) {
        return Err(ApiError::BadRequest(format!(
            "locale \"{locale}\" is not one of the project's"
        )));
    }
    let threshold_minor = match event.condition {
        Condition::PriceBelow => threshold(def, product, body.threshold.as_ref())?,
        _ => None,
    };
    Ok(Checked {
        locale,
        threshold_minor,
    })
}

/// The threshold in the product's minor units: the one given (a number or an exact decimal
/// string, not negative), else the price now; `None` for a product without a price.
fn threshold(
    def: &ProjectDefinition,
    product: &ProductDef,
    given: Option<&Value>,
) -> ApiResult<Option<i64>> {
    let price = def
        .price_of(product)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("product {}: {e}", product.id)))?;
    let Some(price) = price else {
        return match given {
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(ApiError::BadRequest(format!(
                "Product {} has no price: a threshold cannot apply",
                product.id
            ))),
        };
    };
    let text = match given {
        None | Some(Value::Null) => return Ok(Some(price.minor)),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "threshold must be a number or a decimal string".to_owned(),
            ));
        }
    };
    let minor = openentry_domain::money::parse(&text, price.exponent).map_err(|e| {
        ApiError::BadRequest(format!(
            "threshold {text} is not an amount in {}: {e}",
            price.currency
        ))
    })?;
    if minor < 0 {
        return Err(ApiError::BadRequest(
            "threshold must not be negative".to_owned(),
        ));
    }
    Ok(Some(minor))
}

/// Subscribes (idempotent: again only updates the locale).
pub(crate) async fn subscribe(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    body: &SubscribeBody,
) -> ApiResult<bool> {
    let checked = check(state, marker, body)?;
    subscriptions::add(
        &state.db,
        me.user_id,
        marker,
        body.product_id,
        &checked.locale,
        checked.threshold_minor,
        state.now(),
    )
    .await?;
    Ok(true)
}

/// Unsubscribes (idempotent: a subscription that is not there is fine).
pub(crate) async fn unsubscribe(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    body: &SubscribeBody,
) -> ApiResult<bool> {
    check(state, marker, body)?;
    subscriptions::delete(&state.db, me.user_id, marker, body.product_id).await?;
    Ok(true)
}

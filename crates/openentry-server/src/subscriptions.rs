//! Events module: a signed-in user subscribes to a product through an event of the project
//! whose condition is about products (`price_below`, `back_in_stock`); docs/wire.md §6.10.

use openentry_domain::project::{Condition, EventDef};
use openentry_store::subscriptions;
use openentry_types::paging::Paging;
use openentry_types::subscriptions::{SubscribeBody, SubscriptionItem, Subscriptions};

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

/// Checks the marker and the product; returns the locale to store.
fn check(state: &AppState, marker: &str, body: &SubscribeBody) -> ApiResult<String> {
    let project = state.project();
    let def = &project.def;
    if !def.event(marker).is_some_and(is_product_event) {
        return Err(ApiError::NotFound(format!(
            "Event \"{marker}\" not found or not about products"
        )));
    }
    if def.product(body.product_id).is_none() {
        return Err(ApiError::NotFound(format!(
            "Product {} not found",
            body.product_id
        )));
    }
    let locale = body
        .locale
        .clone()
        .unwrap_or_else(|| def.project.default_locale().to_owned());
    if !def.project.locales.contains(&locale) {
        return Err(ApiError::BadRequest(format!(
            "locale \"{locale}\" is not one of the project's"
        )));
    }
    Ok(locale)
}

/// Subscribes (idempotent: again only updates the locale).
pub(crate) async fn subscribe(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    body: &SubscribeBody,
) -> ApiResult<bool> {
    let locale = check(state, marker, body)?;
    subscriptions::add(
        &state.db,
        me.user_id,
        marker,
        body.product_id,
        &locale,
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

//! The HTTP surface: one module per resource, each owning its routes.

mod admin;
mod admins;
mod attribute_sets;
mod auth_providers;
mod blocks;
mod bonus;
mod collections;
mod discounts;
mod events;
mod files;
mod form_data;
mod forms;
mod health;
mod locales;
mod media;
mod menus;
pub(crate) mod openapi;
mod orders;
mod pages;
mod payments;
mod product_statuses;
mod products;
mod refunds;
mod sitemap;
mod system;
mod templates;
mod users;
mod webhooks;

use axum::Router;
use axum::middleware::from_fn_with_state;

use serde::Deserialize;

use crate::answer_cache;
use crate::middleware::require_app_token;
use crate::operators::guard::require_operator;
use crate::state::AppState;

/// `langCode` of the content calls that take nothing else.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LangQuery {
    /// The language asked for; the default locale when absent.
    #[serde(rename = "langCode")]
    pub(crate) lang_code: Option<String>,
}

/// Every route, with its guards.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    // Reads whose answer depends on the project and the request alone: kept per revision.
    let cached = Router::new()
        .nest("/products", products::router())
        .nest("/product-statuses", product_statuses::router())
        .nest("/attributes-sets", attribute_sets::router())
        .nest("/forms", forms::router())
        .nest(
            "/pages",
            pages::router().merge(blocks::page_blocks_router()),
        )
        .nest("/blocks", blocks::router())
        .nest("/menus", menus::router())
        .nest("/locales", locales::router())
        .nest("/general-types", locales::general_types_router())
        .nest("/templates", templates::router())
        .nest("/template-previews", templates::previews_router())
        .nest("/admins", admins::router())
        .route_layer(from_fn_with_state(state.clone(), answer_cache::cached));
    let content = Router::new()
        .merge(cached)
        .nest("/users-auth-providers", auth_providers::router())
        .nest("/users", users::router())
        .nest("/blocks", blocks::ordered_router())
        .nest("/form-data", form_data::router())
        .nest("/integration-collections", collections::router())
        .nest("/discounts", discounts::router().merge(bonus::router()))
        .nest("/files", files::router())
        .nest("/events", events::router())
        .nest("/orders-storage", orders::router())
        .nest("/payments", payments::router())
        // Wire quirk: while a refund call is in flight the SDK may send other Orders calls
        // under `/api/content/orders/...` (docs/wire.md §6.2), so both prefixes serve them.
        .nest("/orders", refunds::router().merge(orders::router()))
        .merge(sitemap::router(state))
        .nest("/system", system::router())
        .route_layer(from_fn_with_state(state.clone(), require_app_token));
    let admin = admin::router().route_layer(from_fn_with_state(state.clone(), require_operator));
    let metrics =
        health::metrics_router().route_layer(from_fn_with_state(state.clone(), require_operator));
    Router::new()
        .merge(health::router())
        .merge(metrics)
        // Outside the app-token guard: Stripe signs its deliveries instead.
        .merge(webhooks::router())
        // Outside the app-token guard: search engines read these.
        .merge(sitemap::files_router())
        // Public: shop images load in browsers without a token.
        .merge(media::router())
        // Public: the API's own description and its reference page.
        .merge(openapi::router())
        .nest("/api/content", content)
        .nest("/api/admin", admin)
        // Outside the operator guard: how an operator gets past it.
        .merge(admin::sign_in::router())
}

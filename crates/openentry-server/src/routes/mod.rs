//! The HTTP surface: one module per resource, each owning its routes.

mod admin;
mod attribute_sets;
mod auth_providers;
mod forms;
mod health;
mod media;
mod orders;
mod payments;
mod product_statuses;
mod products;
mod refunds;
mod users;
mod webhooks;

use axum::Router;
use axum::middleware::from_fn_with_state;

use crate::middleware::{require_admin_token, require_app_token};
use crate::state::AppState;

/// Every route, with its guards.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let content = Router::new()
        .nest("/users-auth-providers", auth_providers::router())
        .nest("/users", users::router())
        .nest("/products", products::router())
        .nest("/product-statuses", product_statuses::router())
        .nest("/attributes-sets", attribute_sets::router())
        .nest("/forms", forms::router())
        .nest("/orders-storage", orders::router())
        .nest("/payments", payments::router())
        // Wire quirk: while a refund call is in flight the SDK may send other Orders calls
        // under `/api/content/orders/...` (docs/wire.md §6.2), so both prefixes serve them.
        .nest("/orders", refunds::router().merge(orders::router()))
        .route_layer(from_fn_with_state(state.clone(), require_app_token));
    let admin = admin::router().route_layer(from_fn_with_state(state.clone(), require_admin_token));
    Router::new()
        .merge(health::router())
        // Outside the app-token guard: Stripe signs its deliveries instead.
        .merge(webhooks::router())
        // Public: shop images load in browsers without a token.
        .merge(media::router())
        .nest("/api/content", content)
        .nest("/api/admin", admin)
}

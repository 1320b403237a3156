//! The HTTP surface: one module per resource, each owning its routes.

mod admin;
mod attribute_sets;
mod auth_providers;
mod forms;
mod health;
mod product_statuses;
mod products;
mod users;

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
        .route_layer(from_fn_with_state(state.clone(), require_app_token));
    let admin = admin::router().route_layer(from_fn_with_state(state.clone(), require_admin_token));
    Router::new()
        .merge(health::router())
        .nest("/api/content", content)
        .nest("/api/admin", admin)
}

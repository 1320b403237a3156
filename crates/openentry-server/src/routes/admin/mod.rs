//! `/api/admin`: operator surface, behind the admin token. One file per resource; handlers
//! call the same flows as the rest of the server, never the store.

mod alerts;
mod bonus;
mod collections;
mod deliveries;
mod discounts;
mod files;
mod form_data;
mod me;
mod media;
mod notifications;
pub(super) mod openapi;
mod operators;
mod orders;
mod outbox;
mod payments;
mod project;
mod project_doc;
mod refunds;
pub(super) mod sign_in;
mod users;

use axum::Router;
use openentry_types::paging::Paging;
use serde::Deserialize;

use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .merge(notifications::router())
        .merge(orders::router())
        .merge(payments::router())
        .merge(alerts::router())
        .merge(outbox::router())
        .merge(collections::router())
        .merge(deliveries::router())
        .merge(bonus::router())
        .merge(discounts::router())
        .merge(project::router())
        .merge(me::router())
        .merge(operators::router())
        .merge(users::router())
        .merge(refunds::router())
        .merge(form_data::router())
        .merge(files::router())
        .merge(media::router())
}

/// `?offset=&limit=` of the admin lists.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Page {
    offset: Option<i64>,
    limit: Option<i64>,
}

impl Page {
    fn paging(&self) -> Paging {
        Paging::from_query(self.offset, self.limit)
    }
}

//! The OpenAPI 3.1 document of the HTTP surface, generated from the code: each handler carries
//! a `#[utoipa::path]` annotation, the wire types derive their schemas (`openentry-types`,
//! feature `openapi`), and [`conventions`] adds what every operation shares (security, the
//! error body, operation ids, the paths mounted twice) and [`links`] the links from each
//! call that creates something to the calls that read it. `GET /api/openapi.json` serves it,
//! `GET /api/reference` a page to read it; `docs/openapi.json` is a copy a test keeps honest.

mod content;
mod conventions;
mod link_table;
mod links;

use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Document;

use super::admin::openapi::AdminApi;
use super::{health, media, sitemap};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Where the document is served.
pub(crate) const DOCUMENT_PATH: &str = "/api/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "OpenEntry API",
        description = "The OneEntry-compatible Content API (`/api/content`, app token in \
            `x-app-token`, a user's Bearer where a call acts for a customer) and the management \
            API (`/api/admin`, the install's admin token as Bearer). Every failing call answers \
            with the SDK error body (`ErrorBody`)."
    ),
    paths(
        health::healthz,
        health::readyz,
        health::metrics,
        media::media,
        sitemap::file,
        openapi_json,
        reference,
    ),
    components(schemas(openentry_types::ErrorBody))
)]
struct ServiceApi;

/// The whole document.
pub fn document() -> Document {
    let mut doc = ServiceApi::openapi();
    doc.merge(content::ContentApi::openapi());
    doc.merge(AdminApi::openapi());
    conventions::apply(&mut doc);
    links::apply(&mut doc);
    doc
}

/// The document as served and as checked in (`docs/openapi.json`): pretty JSON, one final
/// newline.
pub fn json() -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&document())?;
    text.push('\n');
    Ok(text)
}

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(DOCUMENT_PATH, get(openapi_json))
        .route("/api/reference", get(reference))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", body = serde_json::Value)),
)]
async fn openapi_json() -> ApiResult<impl IntoResponse> {
    let text = json().map_err(|e| ApiError::Internal(e.into()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text))
}

/// An interactive reference of this document (Scalar). The page loads Scalar's script from
/// the jsDelivr CDN in the reader's browser; the server fetches nothing.
#[utoipa::path(
    get,
    path = "/api/reference",
    responses((status = 200, description = "An HTML page", body = String, content_type = "text/html")),
)]
async fn reference() -> Html<&'static str> {
    Html(include_str!("reference.html"))
}

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
use axum::http::{HeaderValue, header};
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

/// Where the reference page's viewer is served: the version is in the name, so the file can be
/// cached for good and an upgrade is a new address.
pub(crate) const REDOC_PATH: &str = "/api/reference/redoc-2.5.4.standalone.js";

/// Redoc's standalone bundle (`assets/redoc/README.md`).
const REDOC: &[u8] = include_bytes!("../../../assets/redoc/redoc.standalone.js");

/// The page runs only scripts from this server (Redoc's bundle; no inline script). Redoc
/// writes its styles into `<style>` elements (styled-components), so inline styles are
/// allowed; its search index runs in a worker it starts from a `blob:` URL; it fetches the
/// document from this server. Nothing else: no other origin, no frames, no forms.
const REFERENCE_CSP: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
    connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

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
        redoc,
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
        .route(REDOC_PATH, get(redoc))
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

/// An interactive reference of this document (Redoc, served by this binary: the page needs
/// no network beyond this server).
#[utoipa::path(
    get,
    path = "/api/reference",
    responses((status = 200, description = "An HTML page", body = String, content_type = "text/html")),
)]
async fn reference() -> impl IntoResponse {
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(REFERENCE_CSP),
        )],
        Html(include_str!("reference.html")),
    )
}

/// The reference page's viewer: Redoc's standalone bundle, embedded in the binary.
#[utoipa::path(
    get,
    path = "/api/reference/redoc-2.5.4.standalone.js",
    responses((status = 200, description = "Redoc 2.5.4's standalone bundle (MIT)", body = String, content_type = "text/javascript")),
)]
async fn redoc() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        REDOC,
    )
}

//! The operator console at `/admin`: server-rendered HTML (askama templates, escaped by
//! default), plain forms and links, no script. One module per screen; each calls the same
//! flows the `/api/admin` handlers call, never the store. Every answer carries a strict
//! Content-Security-Policy (docs/decisions.md, "Operator console").

mod admins;
mod api_tokens;
mod app_tokens;
mod assets;
mod audit;
mod catalog;
mod catalog_edit;
mod catalog_sets;
mod content;
mod coupons;
mod dashboard;
mod deliveries;
mod discount_form;
mod discounts;
mod guard;
mod i18n;
mod login;
mod orders;
mod page;
mod pager;
mod payments;
mod settings;
mod submissions;
mod users;
mod words;

use axum::Router;
use axum::extract::{Path, Query};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderValue, StatusCode, header};

use crate::state::AppState;
use page::{Chrome, Message};

use crate::operators::sessions;

/// The policy of every console answer: nothing but the console's own stylesheet and images,
/// forms that post only to the console, no framing, no script at all.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The console's routes with their guard and headers.
pub(crate) fn router(state: &AppState) -> Router<AppState> {
    let screens = Router::new()
        .merge(dashboard::router())
        .merge(orders::router())
        .merge(payments::router())
        .merge(catalog::router())
        .merge(content::router())
        .merge(catalog_edit::router())
        .merge(catalog_sets::router())
        .merge(deliveries::router())
        .merge(discounts::router())
        .merge(settings::router())
        .merge(admins::router())
        .merge(audit::router())
        .merge(submissions::router())
        .merge(users::router())
        .merge(login::signed_router())
        .route_layer(from_fn_with_state(state.clone(), guard::require_console));
    Router::new()
        .merge(screens)
        .merge(login::router())
        .route("/admin/assets/{name}", get(assets::serve))
        .route("/admin/lang/{code}", get(switch_language))
        .route("/admin/{*rest}", get(not_found).post(not_found))
        .layer(map_response(secure))
}

/// The headers of every console answer.
async fn secure(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages show orders and people: never kept by a browser or a proxy. The assets say
    // otherwise themselves.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// `GET /admin/lang/{code}?back=/admin/...`: keeps the choice in a cookie and goes back.
async fn switch_language(
    Path(code): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let lang = i18n::Lang::parse(&code).unwrap_or(i18n::Lang::En);
    // Only a console path: never an open redirect.
    let back = q
        .get("back")
        .map(String::as_str)
        .filter(|b| {
            (*b == "/admin" || b.starts_with("/admin/"))
                && !b.contains("//")
                && !b.contains('\\')
                && b.bytes().all(|c| c.is_ascii_graphic())
        })
        .unwrap_or("/admin");
    let cookie = format!(
        "{}={}; Path=/admin; SameSite=Lax; Max-Age=31536000",
        i18n::LANG_COOKIE,
        lang.code()
    );
    let mut res = page::see(back);
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Unknown console paths: a page, not the API's JSON error.
async fn not_found(chrome: Chrome) -> Response {
    let text = chrome.path.clone();
    page::render(
        StatusCode::NOT_FOUND,
        &Message {
            chrome: &chrome,
            heading: "not_found",
            text,
        },
    )
    .into_response()
}

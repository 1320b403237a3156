//! Signing in and out of the console. The sign-in form is protected from cross-site posts
//! before any session exists by a token in a cookie of its own that the form echoes (double
//! submit), on top of the session cookie's `SameSite=Strict` and the `form-action` policy.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use openentry_types::operators::SignInBody;

use super::page::{self, Chrome};
use super::sessions::{self, Current};
use crate::extract::Client;
use crate::state::AppState;

/// The cookie holding the sign-in form's token.
const LOGIN_COOKIE: &str = "openentry_console_login";

/// The sign-in page (outside the guard).
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/login", get(form).post(submit))
}

/// Signing out (behind the guard: a session and its CSRF token).
pub(super) fn signed_router() -> Router<AppState> {
    Router::new().route("/admin/logout", post(sign_out))
}

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage<'a> {
    chrome: &'a Chrome,
    token: &'a str,
    login: &'a str,
    error: Option<String>,
}

/// `GET /admin/login`: the form, or the dashboard when already signed in.
async fn form(State(state): State<AppState>, chrome: Chrome, headers: HeaderMap) -> Response {
    if let Ok(Some(_)) = sessions::current(&state, &headers).await {
        return page::see("/admin");
    }
    let (token, set) = match login_token(&headers) {
        Some(t) => (t.to_owned(), None),
        None => match crate::auth::random_bytes::<16>() {
            Ok(b) => {
                let t = hex::encode(b);
                let cookie = format!(
                    "{LOGIN_COOKIE}={t}; Path=/admin/login; HttpOnly; SameSite=Strict; Max-Age=3600"
                );
                (t, HeaderValue::from_str(&cookie).ok())
            }
            Err(e) => return page::failed(&chrome, &crate::error::ApiError::Internal(e)),
        },
    };
    let mut res = page::ok(&LoginPage {
        chrome: &chrome,
        token: &token,
        login: "",
        error: None,
    });
    if let Some(v) = set {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

#[derive(Debug, serde::Deserialize)]
struct Fields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    totp: String,
}

/// `POST /admin/login`: the session flow the API uses, then 303 to the dashboard.
async fn submit(
    State(state): State<AppState>,
    chrome: Chrome,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(f) = serde_urlencoded::from_bytes::<Fields>(&body) else {
        return page::forbidden(&chrome, chrome.t("csrf_refused").to_owned());
    };
    let expected = login_token(&headers).unwrap_or_default();
    if expected.is_empty() || !crate::auth::tokens::same_secret(&f.csrf, expected) {
        return page::forbidden(&chrome, chrome.t("csrf_refused").to_owned());
    }
    let body = SignInBody {
        login: f.login.clone(),
        password: f.password,
        totp: Some(f.totp).filter(|t| !t.is_empty()),
    };
    match sessions::sign_in(&state, &client, body).await {
        Ok(opened) => {
            let mut res = page::see("/admin");
            res.headers_mut()
                .append(header::SET_COOKIE, opened.set_cookie);
            res
        }
        Err(e) => {
            let status = e.status();
            let status = if status.is_server_error() {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                status
            };
            page::render(
                status,
                &LoginPage {
                    chrome: &chrome,
                    token: expected,
                    login: &f.login,
                    error: Some(if status.is_server_error() {
                        chrome.t("error").to_owned()
                    } else {
                        e.to_string()
                    }),
                },
            )
        }
    }
}

/// `POST /admin/logout`: ends the session, clears the cookie.
async fn sign_out(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
) -> Response {
    match sessions::sign_out(&state, &current).await {
        Ok(clear) => {
            let mut res = page::see("/admin/login");
            res.headers_mut().insert(header::SET_COOKIE, clear);
            res.into_response()
        }
        Err(e) => page::failed(&chrome, &e),
    }
}

fn login_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == LOGIN_COOKIE)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

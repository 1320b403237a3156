//! What every console page shares: the chrome (language, direction, navigation, the signed-in
//! operator and the CSRF token its forms carry), rendering a template into an answer, and the
//! message page that says why something was refused.

use askama::Template;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use http::{StatusCode, header};
use openentry_domain::operators::{Action, Resource, allows};

use super::i18n::Lang;
use super::sessions::Current;
use crate::error::ApiError;
use crate::operators::Operator;
use crate::project::Project;

/// One entry of the navigation.
#[derive(Debug)]
pub(crate) struct NavItem {
    /// Where it leads.
    pub(crate) href: &'static str,
    /// The word for it (an i18n key).
    pub(crate) key: &'static str,
    /// Whether the current page is in this area (`aria-current`).
    pub(crate) current: bool,
}

/// The areas, the resource that opens each, in the order the navigation shows them. An area
/// the role cannot read is left out of the navigation; the guard refuses it anyway.
const AREAS: &[(&str, &str, Option<Resource>)] = &[
    ("/admin", "dashboard", None),
    ("/admin/orders", "orders", Some(Resource::Orders)),
    ("/admin/payments", "payments", Some(Resource::Payments)),
    ("/admin/catalog", "catalog", Some(Resource::Catalog)),
    ("/admin/content", "content", Some(Resource::Content)),
    (
        "/admin/submissions",
        "submissions",
        Some(Resource::Submissions),
    ),
    ("/admin/discounts", "discounts", Some(Resource::Discounts)),
    ("/admin/users", "users", Some(Resource::Users)),
    ("/admin/deliveries", "deliveries", Some(Resource::Events)),
    ("/admin/settings", "settings", Some(Resource::Settings)),
    ("/admin/admins", "admins", Some(Resource::Admins)),
    ("/admin/audit", "audit", Some(Resource::Audit)),
];

/// The page's frame, filled from the request.
#[derive(Debug)]
pub(crate) struct Chrome {
    /// The console's language.
    pub(crate) lang: Lang,
    /// The signed-in operator (`None` on the sign-in page).
    pub(crate) operator: Option<Operator>,
    /// The token each form posts back as `csrf`.
    pub(crate) csrf: String,
    /// The request's path (for navigation and the language switcher's way back).
    pub(crate) path: String,
}

impl Chrome {
    /// The word for `key` in the page's language.
    pub(crate) fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The areas this operator may open.
    pub(crate) fn nav(&self) -> Vec<NavItem> {
        let Some(op) = &self.operator else {
            return Vec::new();
        };
        AREAS
            .iter()
            .filter(|(.., need)| need.is_none_or(|r| allows(op.role, r, Action::Read)))
            .map(|&(href, key, _)| NavItem {
                href,
                key,
                current: if href == "/admin" {
                    self.path == "/admin"
                } else {
                    self.path == href || self.path.starts_with(&format!("{href}/"))
                },
            })
            .collect()
    }

    /// The languages to switch to: (tag, native name, link).
    pub(crate) fn langs(&self) -> Vec<(&'static str, &'static str, String)> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != self.lang)
            .map(|l| {
                (
                    l.code(),
                    l.native(),
                    format!("/admin/lang/{}?back={}", l.code(), self.path),
                )
            })
            .collect()
    }

    /// Whether the operator may do `action` on `resource` (to show only the forms the API
    /// would accept; the guard and the flows decide regardless).
    pub(crate) fn may(&self, resource: Resource, action: Action) -> bool {
        self.operator
            .as_ref()
            .is_some_and(|op| allows(op.role, resource, action))
    }

    /// The versioned stylesheet link.
    pub(crate) fn css(&self) -> String {
        super::assets::css_href()
    }

    /// The project locale to show content in: the one in the console's language, else the
    /// project's default.
    pub(crate) fn locale(&self, project: &Project) -> String {
        project
            .def
            .project
            .locales
            .iter()
            .find(|l| self.lang.matches_locale(l))
            .cloned()
            .unwrap_or_else(|| project.default_locale().to_owned())
    }

    /// The operator's name for the header.
    pub(crate) fn who(&self) -> String {
        self.operator
            .as_ref()
            .map(|o| o.actor.trim_start_matches("admin:").to_owned())
            .unwrap_or_default()
    }

    /// The operator's role, in the console's language.
    pub(crate) fn role(&self) -> String {
        self.operator
            .as_ref()
            .map(|o| self.name(o.role))
            .unwrap_or_default()
    }

    /// A wire name a person reads (a role, a discount's kind) in the console's language.
    pub(crate) fn name(&self, wire: impl std::fmt::Display) -> String {
        self.lang.name(&wire.to_string())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let current = parts.extensions.get::<Current>();
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
        Ok(Self {
            lang: Lang::from_headers(&parts.headers),
            operator: current.map(|c| c.operator.clone()),
            csrf: current.map(|c| c.csrf.clone()).unwrap_or_default(),
            path,
        })
    }
}

/// A detail page's address after a change (`?done=saved`): which notice to show.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct DoneQuery {
    /// The change just made, if any.
    pub(crate) done: Option<String>,
}

/// A page that only says something (refusals, errors).
#[derive(Template)]
#[template(path = "console/message.html")]
pub(crate) struct Message<'a> {
    pub(crate) chrome: &'a Chrome,
    /// The heading (an i18n key).
    pub(crate) heading: &'static str,
    /// What happened, in the operator's words where the API has them.
    pub(crate) text: String,
}

/// Renders `page` with `status`; a template that fails to render is a logged 500.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "console template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// A 200 page.
pub(crate) fn ok(page: &impl Template) -> Response {
    render(StatusCode::OK, page)
}

/// The page for an error a flow returned: its status and, except for internal failures, its
/// message (escaped like everything else).
pub(crate) fn failed(chrome: &Chrome, e: &ApiError) -> Response {
    let status = e.status();
    let (heading, text) = match status {
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => ("forbidden", e.to_string()),
        StatusCode::NOT_FOUND => ("not_found", e.to_string()),
        s if s.is_server_error() => {
            tracing::error!(error = %e, "console request failed");
            ("error", String::new())
        }
        _ => ("refused", e.to_string()),
    };
    render(
        status,
        &Message {
            chrome,
            heading,
            text,
        },
    )
}

/// A 403 page with the console's own words.
pub(crate) fn forbidden(chrome: &Chrome, text: String) -> Response {
    render(
        StatusCode::FORBIDDEN,
        &Message {
            chrome,
            heading: "forbidden",
            text,
        },
    )
}

/// After a change: back to the page that shows it (POST, redirect, GET).
pub(crate) fn see(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A console result: the page, or the page that says why not.
pub(crate) trait OrFail {
    /// The answer, or the failure page.
    fn or_fail(self, chrome: &Chrome) -> Response;
}

impl OrFail for Result<Response, ApiError> {
    fn or_fail(self, chrome: &Chrome) -> Response {
        self.unwrap_or_else(|e| failed(chrome, &e))
    }
}

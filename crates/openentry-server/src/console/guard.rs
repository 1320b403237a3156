//! The console's guard, in front of every screen but the sign-in page and the assets: the
//! request must carry a live operator session (else 303 to the sign-in page), a POST must
//! carry that session's CSRF token in its `csrf` field (else a 403 page; a multipart form's
//! field too, read before any file is stored), and the operator's role must allow the
//! screen's resource and action (else a 403 page). The check is the same permission table the
//! API uses (`openentry_domain::operators::allows`).

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::Method;
use openentry_domain::operators::{Action, Resource};

use super::page::{self, Chrome};
use super::sessions;
use crate::media::upload::{self, FilePart};
use crate::state::AppState;

/// The largest console form body (the forms are a few short fields).
const FORM_LIMIT: usize = 64 * 1024;

/// What a console route needs beyond a live session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Any signed-in operator.
    Signed,
    /// The role must allow the method's action on this resource.
    Grant(Resource),
}

/// Route-template prefixes and what they need; the longest whole-segment match wins, and a
/// template with no entry is refused (a new screen cannot ship unguarded).
const TABLE: &[(&str, Need)] = &[
    ("/admin/logout", Need::Signed),
    ("/admin/orders", Need::Grant(Resource::Orders)),
    ("/admin/orders/{id}/refund", Need::Grant(Resource::Refunds)),
    ("/admin/payments", Need::Grant(Resource::Payments)),
    ("/admin/catalog", Need::Grant(Resource::Catalog)),
    ("/admin/deliveries", Need::Grant(Resource::Events)),
    ("/admin/content", Need::Grant(Resource::Content)),
    ("/admin/submissions", Need::Grant(Resource::Submissions)),
    ("/admin/discounts", Need::Grant(Resource::Discounts)),
    ("/admin/users", Need::Grant(Resource::Users)),
    // The API adjusts bonus balances under discounts: support reads them, may not change them.
    ("/admin/users/{id}/bonus", Need::Grant(Resource::Discounts)),
    ("/admin/settings", Need::Grant(Resource::Settings)),
    ("/admin/admins", Need::Grant(Resource::Admins)),
    ("/admin/audit", Need::Grant(Resource::Audit)),
];

fn need(template: &str) -> Option<Need> {
    if template == "/admin" {
        return Some(Need::Signed);
    }
    TABLE
        .iter()
        .filter(|(prefix, _)| {
            template
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|&(_, need)| need)
}

/// The fields of a console form, parsed once by the guard (which needs `csrf`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Form(pub(crate) Vec<(String, String)>);

impl Form {
    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Form {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
    }
}

/// The files of a multipart console form, parsed once by the guard with its fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Files(pub(crate) Vec<FilePart>);

impl Files {
    /// The file of `field`, unless the field was left empty.
    pub(crate) fn get(&self, field: &str) -> Option<&FilePart> {
        self.0
            .iter()
            .find(|f| f.field == field && !(f.name.is_empty() && f.bytes.is_empty()))
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Files {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
    }
}

/// Lets a request through to a screen, or answers for it.
pub(crate) async fn require_console(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let current = match sessions::current(&state, req.headers()).await {
        Ok(Some(c)) => c,
        Ok(None) => return Redirect::to("/admin/login").into_response(),
        Err(e) => {
            let chrome = chrome_of(&req, None);
            return page::failed(&chrome, &e);
        }
    };
    let template = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let chrome = chrome_of(&req, Some(&current));
    let allowed = match need(&template) {
        None => Err(format!("No permission is recorded for {template}")),
        Some(Need::Signed) => Ok(()),
        Some(Need::Grant(resource)) => {
            let action = if req.method() == Method::GET || req.method() == Method::HEAD {
                Action::Read
            } else {
                Action::Write
            };
            current
                .operator
                .require(resource, action)
                .map_err(|e| e.to_string())
        }
    };
    if let Err(why) = allowed {
        tracing::warn!(actor = %current.operator.actor, route = %template, "console refused");
        return page::forbidden(&chrome, why);
    }
    let mut req = req;
    if req.method() == Method::POST {
        let (parts, body) = req.into_parts();
        let (bytes, form, files) = match read_form(&state, &parts.headers, body).await {
            Ok(read) => read,
            Err(e) if e.status() == http::StatusCode::PAYLOAD_TOO_LARGE => {
                return page::failed(&chrome, &e);
            }
            Err(_) => return page::forbidden(&chrome, chrome.t("csrf_refused").to_owned()),
        };
        let given = form.get("csrf").unwrap_or_default();
        if given.is_empty() || !crate::auth::tokens::same_secret(given, &current.csrf) {
            tracing::warn!(actor = %current.operator.actor, route = %template, "console CSRF refused");
            return page::forbidden(&chrome, chrome.t("csrf_refused").to_owned());
        }
        req = Request::from_parts(parts, Body::from(bytes));
        req.extensions_mut().insert(form);
        req.extensions_mut().insert(files);
    }
    req.extensions_mut().insert(current);
    next.run(req).await
}

/// A POST's body and its fields: URL-encoded (64 KiB at most), or a multipart form with
/// files (the product form's image), buffered up to the media upload limit and parsed with
/// `multer`, never by hand. A body that is neither parses to no fields (so no `csrf`).
async fn read_form(
    state: &AppState,
    headers: &http::HeaderMap,
    body: Body,
) -> Result<(bytes::Bytes, Form, Files), crate::error::ApiError> {
    let Some(boundary) = upload::boundary(headers) else {
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| crate::error::ApiError::PayloadTooLarge(FORM_LIMIT))?;
        let fields = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        return Ok((bytes, Form(fields), Files::default()));
    };
    let bytes = upload::read_capped(body, upload::body_limit(&state.config)).await?;
    let parsed = upload::parse(boundary, bytes.clone()).await?;
    Ok((bytes, Form(parsed.fields), Files(parsed.files)))
}

fn chrome_of(req: &Request, current: Option<&sessions::Current>) -> Chrome {
    Chrome {
        lang: super::i18n::Lang::from_headers(req.headers()),
        operator: current.map(|c| c.operator.clone()),
        csrf: current.map(|c| c.csrf.clone()).unwrap_or_default(),
        path: req
            .extensions()
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| req.uri().path().to_owned(), |u| u.path().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screens_need_their_resource_and_unknown_ones_are_refused() {
        assert_eq!(need("/admin"), Some(Need::Signed));
        assert_eq!(
            need("/admin/orders/{id}"),
            Some(Need::Grant(Resource::Orders))
        );
        assert_eq!(
            need("/admin/orders/{id}/refund"),
            Some(Need::Grant(Resource::Refunds))
        );
        assert_eq!(
            need("/admin/payments/{id}/complete"),
            Some(Need::Grant(Resource::Payments))
        );
        assert_eq!(
            need("/admin/users/{id}/bonus"),
            Some(Need::Grant(Resource::Discounts))
        );
        assert_eq!(
            need("/admin/submissions/{id}/status"),
            Some(Need::Grant(Resource::Submissions))
        );
        assert_eq!(need("/admin/unknown"), None);
        assert_eq!(need("/admin/orders-archive"), None);
    }
}

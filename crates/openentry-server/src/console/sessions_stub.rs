//! TEMPORARY: the shape of `crate::operators::sessions` until it lands on main; replaced by a
//! re-export when the branch merges it.

#![allow(dead_code)]

use http::{HeaderMap, HeaderValue};
use openentry_types::operators::SignInBody;

use crate::error::{ApiError, ApiResult};
use crate::extract::Client;
use crate::operators::Operator;
use crate::state::AppState;

pub(crate) const COOKIE: &str = "openentry_admin";

#[derive(Debug)]
pub(crate) struct Opened {
    pub(crate) operator: Operator,
    pub(crate) set_cookie: HeaderValue,
    pub(crate) csrf: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub(crate) operator: Operator,
    pub(crate) session_id: i64,
    pub(crate) csrf: String,
}

#[allow(clippy::unused_async)]
pub(crate) async fn sign_in(_: &AppState, _: &Client, _: SignInBody) -> ApiResult<Opened> {
    Err(ApiError::Forbidden("not yet".to_owned()))
}

#[allow(clippy::unused_async)]
pub(crate) async fn current(_: &AppState, _: &HeaderMap) -> ApiResult<Option<Current>> {
    Ok(None)
}

#[allow(clippy::unused_async)]
pub(crate) async fn sign_out(_: &AppState, _: &Current) -> ApiResult<HeaderValue> {
    Ok(HeaderValue::from_static("openentry_admin=; Max-Age=0"))
}

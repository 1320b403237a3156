//! Extractors whose rejections are the SDK's error body, and the caller's identity.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::QueryRejection;
use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, Path, Query, RawPathParams, Request,
};
use axum::http::StatusCode;
use axum::http::request::Parts;
use bytes::Bytes;
use openentry_types::auth::DeviceInfo;
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;
use crate::validate;

/// A JSON body. An empty body reads as `{}` (the SDK sends `Content-Type: application/json`
/// with no body on some POSTs); the Content-Type itself is not required. The body passes the
/// shared input rules (`validate`) before it is read into `T`.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge(state.config.body_limit)
            } else {
                ApiError::BadRequest(format!(
                    "Could not read the request body: {}",
                    rej.body_text()
                ))
            }
        })?;
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        validate::json(text)?;
        serde_json::from_slice(text).map(ApiJson).map_err(|e| {
            if e.is_data() {
                ApiError::BadRequest(format!("Invalid request body: {e}"))
            } else {
                ApiError::BadRequest(format!("Malformed JSON in the request body: {e}"))
            }
        })
    }
}

/// Query parameters; unknown ones are ignored, bad ones are a 400 that names them. Every pair
/// passes the shared input rules first, read or not.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let invalid = |rej: QueryRejection| {
            ApiError::BadRequest(format!("Invalid query string: {}", rej.body_text()))
        };
        let Query(pairs) =
            Query::<Vec<(String, String)>>::try_from_uri(&parts.uri).map_err(invalid)?;
        validate::query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(invalid)
    }
}

/// Path parameters; a malformed one (e.g. a non-numeric id, a control character) is a 400.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let invalid = |text: String| ApiError::BadRequest(format!("Invalid path: {text}"));
        let raw = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|rej| invalid(rej.body_text()))?;
        for (name, value) in &raw {
            validate::path_param(name, value)?;
        }
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|rej| invalid(rej.body_text()))
    }
}

/// The signed-in user behind a valid Bearer access token whose session is still live.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// User id.
    pub user_id: i64,
    /// Session id.
    pub session_id: i64,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        Self::from_token(state, token)
            .await?
            .ok_or_else(ApiError::unauthorized)
    }
}

/// The signed-in user when the request carries a valid token, else nobody (guest routes that
/// price for the user when they can, as previewOrder).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            Some(token) => Ok(Self(CurrentUser::from_token(state, token).await?)),
            None => Ok(Self(None)),
        }
    }
}

/// The token of an `Authorization: Bearer …` header.
pub(crate) fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

impl CurrentUser {
    /// The user behind an access token, when it is valid and its session live.
    pub(crate) async fn from_token(
        state: &AppState,
        token: &str,
    ) -> Result<Option<Self>, ApiError> {
        let now = state.now();
        let Some(claims) = state.keys.verify(token, now) else {
            return Ok(None);
        };
        let live = openentry_store::signins::get_live(&state.db, claims.sid, now)
            .await?
            .filter(|s| s.user_id.to_string() == claims.sub);
        Ok(live.map(|live| Self {
            user_id: live.user_id,
            session_id: live.session_id,
        }))
    }
}

/// Who is calling from where: the client address (for throttling) and the device the SDK
/// describes in `x-device-metadata` (accepted as opaque; a missing or malformed header is fine).
#[derive(Debug, Clone)]
pub struct Client {
    /// Client address.
    pub ip: Option<IpAddr>,
    /// Device description.
    pub device: DeviceInfo,
    /// The device fingerprint the SDK sends with every POST (`UQ_…`), when it is a short
    /// printable token; anything else counts as none.
    pub fingerprint: Option<String>,
}

#[derive(serde::Deserialize)]
struct DeviceMetadata {
    #[serde(rename = "deviceInfo", default)]
    device_info: DeviceInfo,
    #[serde(default)]
    fingerprint: Option<String>,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        // Every X-Forwarded-For line, in order; the right-most untrusted hop is the client
        // (openentry_domain::net). Without a peer address there is nothing to trust.
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let ip = peer.map(|p| state.config.proxy_trust().client(p, &forwarded));
        let metadata = parts
            .headers
            .get("x-device-metadata")
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.len() <= 4096)
            .and_then(|v| serde_json::from_str::<DeviceMetadata>(v).ok());
        let (device, fingerprint) = metadata.map_or_else(Default::default, |m| {
            let fingerprint = m.fingerprint.filter(|f| {
                (1..=128).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_graphic())
            });
            (m.device_info, fingerprint)
        });
        Ok(Self {
            ip,
            device,
            fingerprint,
        })
    }
}

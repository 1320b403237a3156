//! One HTTP exchange and what surrounds it: headers, the held tokens, the automatic
//! 401 → refresh → retry of the JS SDK (docs/wire.md §2), retries of lost answers with the same
//! idempotency key, and decoding answers into wire types or [`Error`].

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use openentry_types::ErrorBody;
use openentry_types::auth::{AuthResponse, DeviceInfo, RefreshRequest};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::{Config, IdempotencyKey, SaveFunction};
use crate::error::{Error, Result};

/// The tokens of the signed-in user. `generation` counts changes, so a task that saw a 401
/// can tell whether someone else already refreshed while it waited.
#[derive(Default)]
struct Tokens {
    access: Option<String>,
    refresh: Option<String>,
    generation: u64,
}

/// Everything clones of one client share.
pub(crate) struct Inner {
    http: reqwest::Client,
    base: Url,
    app_token: Option<String>,
    tokens: Mutex<Tokens>,
    /// Held while refreshing: the server's refresh tokens are single-use, so two refreshes
    /// with one token would end the sign-in (docs/decisions.md, strict rotation).
    refresh_gate: tokio::sync::Mutex<()>,
    provider_marker: String,
    auto_refresh: bool,
    save: Option<SaveFunction>,
    device_metadata: String,
    max_retries: u32,
}

impl fmt::Debug for Inner {
    // Tokens stay out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inner")
            .field("base", &self.base.as_str())
            .field("provider_marker", &self.provider_marker)
            .field("auto_refresh", &self.auto_refresh)
            .finish_non_exhaustive()
    }
}

/// One call: what to send and how to treat its failures.
#[derive(Debug)]
pub(crate) struct Req {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    key: Option<IdempotencyKey>,
    refresh_on_401: bool,
}

impl Req {
    pub(crate) fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            body: None,
            key: None,
            refresh_on_401: true,
        }
    }

    /// With a JSON body.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::Invalid(format!("the request body cannot be written: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }

    /// With an `Idempotency-Key` (also makes a lost answer safe to ask for again).
    pub(crate) fn key(mut self, key: IdempotencyKey) -> Self {
        self.key = Some(key);
        self
    }

    /// A 401 is the answer itself (sign-in and refresh calls).
    pub(crate) fn no_refresh(mut self) -> Self {
        self.refresh_on_401 = false;
        self
    }

    fn retryable(&self) -> bool {
        self.method == Method::GET || self.key.is_some()
    }
}

impl Inner {
    pub(crate) fn new(project_url: &str, config: Config) -> Result<Self> {
        let mut base = Url::parse(project_url.trim_end_matches('/'))
            .map_err(|e| Error::Invalid(format!("project URL {project_url:?}: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Invalid(format!(
                "project URL {project_url:?} is not an http(s) URL"
            )));
        }
        base.set_query(None);
        base.set_fragment(None);
        if let Some(token) = &config.token {
            reqwest::header::HeaderValue::from_str(token).map_err(|_| {
                Error::Invalid("the app token must be visible ASCII (it is a header)".to_owned())
            })?;
        }
        // rustls on ring, process-wide; a second install (another client, the server in the
        // same process) is refused harmlessly.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("openentry-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let device_metadata = device_metadata(config.device_info, &config.lang_code)?;
        Ok(Self {
            http,
            base,
            app_token: config.token,
            tokens: Mutex::new(Tokens {
                refresh: config.refresh_token.filter(|t| !t.is_empty()),
                ..Tokens::default()
            }),
            refresh_gate: tokio::sync::Mutex::new(()),
            provider_marker: config.provider_marker,
            auto_refresh: !config.custom_auth,
            save: config.save_function,
            device_metadata,
            max_retries: config.max_retries,
        })
    }

    /// `{base}/api/content/{segments…}?{query}`, each segment percent-encoded.
    pub(crate) fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .extend(["api", "content"])
                .extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    fn tokens(&self) -> MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn access_token(&self) -> Option<String> {
        self.tokens().access.clone()
    }

    pub(crate) fn refresh_token(&self) -> Option<String> {
        self.tokens().refresh.clone()
    }

    pub(crate) fn set_access_token(&self, token: Option<String>) {
        let mut t = self.tokens();
        t.access = token;
        t.generation += 1;
    }

    pub(crate) fn set_refresh_token(&self, token: Option<String>) {
        let mut t = self.tokens();
        t.refresh = token;
        t.generation += 1;
    }

    /// Holds the tokens of a sign-in or refresh and hands the refresh token to the hook.
    pub(crate) fn store(&self, auth: &AuthResponse) {
        {
            let mut t = self.tokens();
            t.access = Some(auth.access_token.clone());
            t.refresh = Some(auth.refresh_token.clone());
            t.generation += 1;
        }
        if let Some(save) = &self.save {
            save.call(&auth.refresh_token);
        }
    }

    /// Forgets both tokens (after a logout) and tells the hook with `""`.
    pub(crate) fn clear(&self) {
        {
            let mut t = self.tokens();
            t.access = None;
            t.refresh = None;
            t.generation += 1;
        }
        if let Some(save) = &self.save {
            save.call("");
        }
    }

    /// Sends `req` and decodes a 2xx answer into `T`.
    pub(crate) async fn call<T: DeserializeOwned>(&self, req: Req) -> Result<T> {
        let (status, bytes) = self.execute(&req).await?;
        decode(status, &bytes)
    }

    /// Sends `req` until it has an answer: once more after a refreshed token, and up to
    /// `max_retries` more times when a retryable call lost its answer.
    async fn execute(&self, req: &Req) -> Result<(StatusCode, bytes::Bytes)> {
        let mut refreshed = false;
        let mut lost = 0u32;
        loop {
            let (bearer, generation) = {
                let t = self.tokens();
                (t.access.clone(), t.generation)
            };
            let (status, bytes) = match self.send_once(req, bearer.as_deref()).await {
                Ok(answer) => answer,
                Err(_) if req.retryable() && lost < self.max_retries => {
                    lost += 1;
                    tokio::time::sleep(backoff(lost)).await;
                    continue;
                }
                Err(e) => return Err(Error::Transport(e)),
            };
            if status == StatusCode::UNAUTHORIZED
                && req.refresh_on_401
                && self.auto_refresh
                && !refreshed
            {
                refreshed = true;
                if self.refresh_after_401(generation).await {
                    continue;
                }
            }
            // An earlier attempt whose answer was lost may still be running on the server:
            // the key answers 409 until it is done, then the stored answer.
            if status == StatusCode::CONFLICT
                && req.key.is_some()
                && lost > 0
                && lost < self.max_retries
            {
                lost += 1;
                tokio::time::sleep(backoff(lost)).await;
                continue;
            }
            return answer(status, bytes);
        }
    }

    async fn send_once(
        &self,
        req: &Req,
        bearer: Option<&str>,
    ) -> reqwest::Result<(StatusCode, bytes::Bytes)> {
        let mut rb = self.http.request(req.method.clone(), req.url.clone());
        if let Some(token) = &self.app_token {
            rb = rb.header("x-app-token", token);
        }
        if let Some(token) = bearer {
            rb = rb.bearer_auth(token);
        }
        if req.method == Method::POST {
            rb = rb.header("x-device-metadata", &self.device_metadata);
        }
        if let Some(key) = &req.key {
            rb = rb.header("idempotency-key", key.as_str());
        }
        if let Some(body) = &req.body {
            rb = rb
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let res = rb.send().await?;
        let status = res.status();
        Ok((status, res.bytes().await?))
    }

    /// Refreshes after a 401 seen with the tokens of `seen`; true when there is a newer
    /// access token to retry with. One refresh at a time: whoever waited finds the tokens
    /// already renewed and just retries.
    async fn refresh_after_401(&self, seen: u64) -> bool {
        let _gate = self.refresh_gate.lock().await;
        let (generation, refresh) = {
            let t = self.tokens();
            (t.generation, t.refresh.clone())
        };
        if generation != seen {
            return true;
        }
        let Some(refresh) = refresh else {
            return false;
        };
        // Refused or unreachable: the original 401 is the answer (as the JS SDK does).
        self.refresh(&self.provider_marker, &refresh).await.is_ok()
    }

    /// `POST …/marker/{marker}/users/refresh`; holds the new tokens.
    pub(crate) async fn refresh(&self, marker: &str, token: &str) -> Result<AuthResponse> {
        let url = self.url(
            &["users-auth-providers", "marker", marker, "users", "refresh"],
            &[],
        );
        let body = RefreshRequest {
            refresh_token: Some(token.to_owned()),
        };
        // Sent once, outside `execute`: a refresh never refreshes or retries itself.
        let req = Req::new(Method::POST, url).json(&body)?.no_refresh();
        let (status, bytes) = self.send_once(&req, None).await?;
        let auth: AuthResponse = decode(status, &answer(status, bytes)?.1)?;
        self.store(&auth);
        Ok(auth)
    }
}

/// A 2xx answer as it is; any other as [`Error::Api`] (or `UnexpectedResponse` without the
/// error body).
fn answer(status: StatusCode, bytes: bytes::Bytes) -> Result<(StatusCode, bytes::Bytes)> {
    if status.is_success() {
        return Ok((status, bytes));
    }
    Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(body) => Error::Api { status, body },
        Err(_) => Error::UnexpectedResponse {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        },
    })
}

/// A successful answer's JSON as `T`.
fn decode<T: DeserializeOwned>(status: StatusCode, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| Error::Decode {
        status,
        message: e.to_string(),
        body: String::from_utf8_lossy(bytes).into_owned(),
    })
}

/// 100 ms, 200 ms, 400 ms, … (at most 3.2 s).
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100 << attempt.saturating_sub(1).min(5))
}

/// The `x-device-metadata` header: the JS SDK's shape with a fingerprint of this client.
fn device_metadata(info: Option<DeviceInfo>, lang: &str) -> Result<String> {
    let info = info.unwrap_or_else(|| DeviceInfo {
        os: std::env::consts::OS.to_owned(),
        browser: concat!("openentry-client/", env!("CARGO_PKG_VERSION")).to_owned(),
        location: lang.replace('_', "-"),
    });
    let id = IdempotencyKey::generate()?;
    let fingerprint = format!("UQ_{}", &id.as_str()[3..]);
    serde_json::to_string(&serde_json::json!({"fingerprint": fingerprint, "deviceInfo": info}))
        .map_err(|e| Error::Invalid(e.to_string()))
}

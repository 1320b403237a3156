//! What a client is built from: [`Config`] (the JS SDK's `defineOneEntry` options), the
//! refresh-token hook, paging and idempotency keys.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use openentry_types::auth::DeviceInfo;

use crate::error::{Error, Result};

/// Options of a client, as the JS SDK's `defineOneEntry(url, config)` takes them.
///
/// ```
/// use openentry_client::{Config, SaveFunction};
///
/// let config = Config {
///     token: Some("my-app-token".into()),
///     lang_code: "en_US".into(),
///     save_function: Some(SaveFunction::new(|refresh_token| {
///         // Persist it (a keychain, a file); "" means signed out.
///         let _ = refresh_token;
///     })),
///     ..Config::default()
/// };
/// assert_eq!(config.provider_marker, "email");
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The app token sent as `x-app-token` (`config.token`).
    pub token: Option<String>,
    /// Language of localized answers (`config.langCode`; default `en_US`). Change it per
    /// call site with [`OneEntry::with_lang_code`](crate::OneEntry::with_lang_code).
    pub lang_code: String,
    /// A refresh token kept from an earlier run (`config.auth.refreshToken`), so the first
    /// 401 refreshes without a new sign-in.
    pub refresh_token: Option<String>,
    /// Provider whose refresh route the automatic refresh calls (`config.auth.providerMarker`;
    /// default `email`). The server accepts the refresh at any marker.
    pub provider_marker: String,
    /// Turns the automatic refresh off (`config.auth.customAuth`): a 401 is then returned
    /// as it is, and the application refreshes itself.
    pub custom_auth: bool,
    /// Called with the new refresh token whenever it changes, and with `""` after a logout
    /// (`config.auth.saveFunction`).
    pub save_function: Option<SaveFunction>,
    /// The device this client runs on, sent in `x-device-metadata` with every POST and shown
    /// in the session list (`getActiveSessionsByMarker`). Default: the operating system and
    /// `openentry-client/<version>`.
    pub device_info: Option<DeviceInfo>,
    /// Longest a single HTTP exchange may take (default 30 s).
    pub timeout: Duration,
    /// How often a call whose answer was lost is sent again (default 2). Only reads and the
    /// create calls that carry an idempotency key are retried; the key stays the same.
    pub max_retries: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            token: None,
            lang_code: "en_US".to_owned(),
            refresh_token: None,
            provider_marker: "email".to_owned(),
            custom_auth: false,
            save_function: None,
            device_info: None,
            timeout: Duration::from_secs(30),
            max_retries: 2,
        }
    }
}

/// The hook that persists the refresh token (the JS SDK's `saveFunction`). It runs on the
/// task that changed the token and must not block for long.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use openentry_client::SaveFunction;
///
/// let saved = Arc::new(Mutex::new(String::new()));
/// let sink = Arc::clone(&saved);
/// let hook = SaveFunction::new(move |t| *sink.lock().unwrap() = t.to_owned());
/// hook.call("r1");
/// assert_eq!(*saved.lock().unwrap(), "r1");
/// ```
#[derive(Clone)]
pub struct SaveFunction(Arc<dyn Fn(&str) + Send + Sync>);

impl SaveFunction {
    /// Wraps a closure.
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// Runs the hook.
    pub fn call(&self, refresh_token: &str) {
        (self.0)(refresh_token);
    }
}

impl fmt::Debug for SaveFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SaveFunction(..)")
    }
}

/// `offset` and `limit` of list calls (the JS defaults: 0 and 30).
///
/// ```
/// use openentry_client::Page;
/// assert_eq!(Page::default(), Page::new(0, 30));
/// ```
pub use openentry_types::paging::Paging as Page;

/// An `Idempotency-Key`: a create call sent twice with the same key and body is done once,
/// and the second answer is the first one again.
///
/// `create_order` and `create_session` generate one per call and reuse it when the client
/// sends the call again; pass your own to the `…_with_key` variants to make a retry that
/// spans process restarts safe.
///
/// ```
/// use openentry_client::IdempotencyKey;
///
/// let key = IdempotencyKey::new("checkout-7f3a")?;
/// assert_eq!(key.as_str(), "checkout-7f3a");
/// assert!(IdempotencyKey::new("has space").is_err());
/// assert_ne!(IdempotencyKey::generate()?, IdempotencyKey::generate()?);
/// # Ok::<(), openentry_client::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A key of your own: 1–255 visible ASCII characters (what the server accepts).
    pub fn new(key: impl Into<String>) -> Result<Self> {
        let key = key.into();
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Invalid(
                "an idempotency key is 1-255 visible ASCII characters".to_owned(),
            ));
        }
        Ok(Self(key))
    }

    /// A fresh random key (128 bits from the operating system, as hex).
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::Invalid(format!("the system random source failed: {e}")))?;
        Ok(Self(format!("oe-{:032x}", u128::from_be_bytes(bytes))))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

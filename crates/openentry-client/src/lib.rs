//! The Rust client of the OneEntry Content API: to Rust what the official JS SDK
//! (`oneentry@1.0.149`) is to JavaScript, against an OpenEntry server or any server that
//! speaks the same API.
//!
//! [`OneEntry::new`] takes the project URL and a [`Config`] (the options of the SDK's
//! `defineOneEntry`); the SDK's modules are accessors: [`OneEntry::auth_provider`],
//! [`OneEntry::users`], [`OneEntry::products`], [`OneEntry::product_statuses`],
//! [`OneEntry::attributes_sets`], [`OneEntry::forms`], [`OneEntry::orders`] and
//! [`OneEntry::payments`]. Requests and answers are the wire types of
//! [`openentry_types`] (re-exported as [`types`]), the same definitions the server uses.
//!
//! Like the SDK, the client holds the signed-in user's tokens: signing in through
//! `auth_provider()` authenticates every module, and a 401 is answered by one refresh (with
//! the held refresh token, which the server rotates) and one retry, unless
//! [`Config::custom_auth`] is set. [`Config::save_function`] sees every new refresh token.
//! Create calls carry a generated `Idempotency-Key`, reused whenever the client sends the
//! call again. A client is `Send + Sync` and cheap to clone: clones share the tokens.
//!
//! The seed flow (`docs/seed-flow.md`): sign in, order, open a payment session, read it back.
//!
//! ```no_run
//! use openentry_client::types::auth::{AuthDataItem, AuthRequest};
//! use openentry_client::types::orders::{OrderRequest, ProductQuantity};
//! use openentry_client::{Config, OneEntry, SessionType};
//! use serde_json::json;
//!
//! # async fn run() -> Result<(), openentry_client::Error> {
//! let client = OneEntry::new(
//!     "http://127.0.0.1:3000",
//!     Config { token: Some("APP_TOKEN".into()), ..Config::default() },
//! )?;
//! let user = client
//!     .auth_provider()
//!     .auth(
//!         "email",
//!         &AuthRequest {
//!             auth_data: vec![
//!                 AuthDataItem { marker: "email_reg".into(), value: "ann@example.com".into() },
//!                 AuthDataItem { marker: "password_reg".into(), value: "correct horse".into() },
//!             ],
//!         },
//!     )
//!     .await?;
//! let order = client
//!     .orders()
//!     .create_order(
//!         "orders",
//!         &OrderRequest {
//!             form_identifier: Some("order".into()),
//!             payment_account_identifier: Some("cash".into()),
//!             form_data: Some(json!([{"type": "string", "marker": "name", "value": "Ann"}])),
//!             products: vec![ProductQuantity { product_id: 15, quantity: 1 }],
//!             ..OrderRequest::default()
//!         },
//!     )
//!     .await?;
//! let session = client.payments().create_session(order.id, SessionType::Session).await?;
//! let sessions = client.payments().get_session_by_order_id(order.id).await?;
//! assert_eq!(sessions, vec![session]);
//! println!("{} paid {} {}", user.user_identifier, order.total_sum, order.currency);
//! # Ok(())
//! # }
//! ```

mod attributes_sets;
mod auth_provider;
mod collections;
mod config;
mod error;
mod forms;
mod orders;
mod payments;
mod product_statuses;
mod products;
mod transport;
mod users;

use std::sync::Arc;

pub use attributes_sets::{AttributesQuery, AttributesSets};
pub use auth_provider::AuthProvider;
pub use collections::IntegrationCollections;
pub use config::{Config, IdempotencyKey, Page, SaveFunction};
pub use error::{Error, ErrorBody, Result, StatusCode};
pub use forms::Forms;
pub use openentry_types as types;
pub use orders::Orders;
pub use payments::{Payments, SessionType};
pub use product_statuses::ProductStatuses;
pub use products::{Products, ProductsQuery};
pub use users::Users;

use transport::Inner;

/// A client of one project. Clones share the connection pool and the signed-in user's
/// tokens; [`OneEntry::with_lang_code`] gives a clone that asks for another language.
///
/// ```
/// use openentry_client::{Config, OneEntry};
///
/// let client = OneEntry::new("https://shop.example.com", Config::default())?;
/// let german = client.with_lang_code("de_DE");
/// assert_eq!(german.lang_code(), "de_DE");
/// assert_eq!(client.lang_code(), "en_US");
/// # Ok::<(), openentry_client::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct OneEntry {
    inner: Arc<Inner>,
    lang: Arc<str>,
}

impl OneEntry {
    /// A client of the project at `project_url` (`https://…`; one trailing `/` is ignored).
    /// Builds the HTTP client and installs rustls' ring provider as the process default if
    /// none is installed; sends nothing yet.
    pub fn new(project_url: &str, config: Config) -> Result<Self> {
        let lang = Arc::from(config.lang_code.as_str());
        Ok(Self {
            inner: Arc::new(Inner::new(project_url, config)?),
            lang,
        })
    }

    /// A clone that sends `lang_code` where the SDK sends `langCode` (tokens stay shared).
    pub fn with_lang_code(&self, lang_code: &str) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            lang: Arc::from(lang_code),
        }
    }

    /// The language this handle asks for.
    pub fn lang_code(&self) -> &str {
        &self.lang
    }

    /// The held access token, if signed in.
    pub fn access_token(&self) -> Option<String> {
        self.inner.access_token()
    }

    /// The held refresh token, if any.
    pub fn refresh_token(&self) -> Option<String> {
        self.inner.refresh_token()
    }

    /// Replaces the access token (the SDK's `setAccessToken`).
    pub fn set_access_token(&self, token: Option<String>) {
        self.inner.set_access_token(token);
    }

    /// Replaces the refresh token (the SDK's `setRefreshToken`); the hook is not called.
    pub fn set_refresh_token(&self, token: Option<String>) {
        self.inner.set_refresh_token(token);
    }

    /// Sign-up, sign-in, tokens, one-time codes and providers (`AuthProvider`).
    pub fn auth_provider(&self) -> AuthProvider {
        AuthProvider::new(self.clone())
    }

    /// The signed-in user (`Users`).
    pub fn users(&self) -> Users {
        Users::new(self.clone())
    }

    /// The catalog's products (`Products`).
    pub fn products(&self) -> Products {
        Products::new(self.clone())
    }

    /// Product statuses (`ProductStatuses`).
    pub fn product_statuses(&self) -> ProductStatuses {
        ProductStatuses::new(self.clone())
    }

    /// Attribute sets (`AttributesSets`).
    pub fn attributes_sets(&self) -> AttributesSets {
        AttributesSets::new(self.clone())
    }

    /// Forms (`Forms`).
    pub fn forms(&self) -> Forms {
        Forms::new(self.clone())
    }

    /// Order storages, orders and refund requests (`Orders`).
    pub fn orders(&self) -> Orders {
        Orders::new(self.clone())
    }

    /// Payment sessions and accounts (`Payments`).
    pub fn payments(&self) -> Payments {
        Payments::new(self.clone())
    }

    /// Integration collections and their rows (`IntegrationCollections`).
    pub fn integration_collections(&self) -> IntegrationCollections {
        IntegrationCollections::new(self.clone())
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// `[("langCode", <lang>)]`.
    pub(crate) fn lang_query(&self) -> Vec<(&'static str, String)> {
        vec![("langCode", self.lang.to_string())]
    }
}

/// Wire quirk: the SDK sends `formData` as `{"<lang>": [items]}` whatever the caller gave
/// (a list, or a single item); an already wrapped map passes unchanged.
pub(crate) fn wrap_form_data(form_data: &mut Option<serde_json::Value>, lang: &str) {
    use serde_json::Value;
    let Some(value) = form_data.take() else {
        return;
    };
    *form_data = Some(match value {
        Value::Array(items) => serde_json::json!({ lang: items }),
        Value::Object(map) if map.contains_key("marker") => {
            serde_json::json!({ lang: [Value::Object(map)] })
        }
        other => other,
    });
}

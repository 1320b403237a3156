//! `Payments`: `/api/content/payments` (docs/wire.md §6.3). Every call needs a signed-in user.

use openentry_types::payments::{
    CreateSessionRequest, PaymentAccount, PaymentSession, PaymentSessionList,
};
use reqwest::Method;

use crate::transport::Req;
use crate::{IdempotencyKey, OneEntry, Page, Result};

/// What `createSession` opens (the wire type, re-exported so the client's API stays).
pub use openentry_types::payments::SessionType;

/// Payment sessions and accounts.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry, order_id: i64) -> openentry_client::Result<()> {
/// use openentry_client::SessionType;
///
/// let session = client.payments().create_session(order_id, SessionType::Session).await?;
/// if let Some(url) = &session.payment_url {
///     println!("pay at {url}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Payments {
    client: OneEntry,
}

impl Payments {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<T> {
        let mut path = vec!["payments"];
        path.extend_from_slice(segments);
        let url = self.client.inner().url(&path, query);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getSessions`: a page of the user's payment sessions.
    pub async fn get_sessions(&self, page: Page) -> Result<PaymentSessionList> {
        let query = [
            ("offset", page.offset.to_string()),
            ("limit", page.limit.to_string()),
        ];
        // Wire quirk: the SDK asks for `/sessions/?…`, with the slash.
        self.get(&["sessions", ""], &query).await
    }

    /// `getSessionById`: one session.
    pub async fn get_session_by_id(&self, id: i64) -> Result<PaymentSession> {
        self.get(&["sessions", &id.to_string()], &[]).await
    }

    /// `getSessionByOrderId`: the sessions of an order, newest first.
    pub async fn get_session_by_order_id(&self, order_id: i64) -> Result<Vec<PaymentSession>> {
        self.get(&["sessions", "order", &order_id.to_string()], &[])
            .await
    }

    /// `createSession`: opens a payment for an order (or answers the one still waiting).
    /// Sent with a fresh `Idempotency-Key`, reused if the client has to send it again.
    pub async fn create_session(&self, order_id: i64, kind: SessionType) -> Result<PaymentSession> {
        let body = CreateSessionRequest {
            order_id,
            kind: kind.as_str().to_owned(),
            automatic_tax_enabled: false,
        };
        self.create_session_with_key(&body, IdempotencyKey::generate()?)
            .await
    }

    /// `createSession` with every option of the body and a key of your own.
    pub async fn create_session_with_key(
        &self,
        body: &CreateSessionRequest,
        key: IdempotencyKey,
    ) -> Result<PaymentSession> {
        let url = self.client.inner().url(&["payments", "sessions"], &[]);
        let req = Req::new(Method::POST, url).json(body)?.key(key);
        self.client.inner().call(req).await
    }

    /// `getAccounts`: the payment accounts (never with secrets).
    pub async fn get_accounts(&self) -> Result<Vec<PaymentAccount>> {
        self.get(&["accounts"], &[]).await
    }

    /// `getAccountById`: one account.
    pub async fn get_account_by_id(&self, id: i64) -> Result<PaymentAccount> {
        self.get(&["accounts", &id.to_string()], &[]).await
    }
}

//! `Users`: `/api/content/users/me` (docs/wire.md §6.4). Every call needs a signed-in user.

use openentry_types::users::{UpdateUserRequest, User};
use reqwest::Method;

use crate::transport::Req;
use crate::{OneEntry, Result};

/// The signed-in user.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// let me = client.users().get_user().await?;
/// println!("{} ({})", me.identifier, me.auth_provider_identifier);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Users {
    client: OneEntry,
}

impl Users {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, String)],
    ) -> Result<T> {
        let mut segments = vec!["users", "me"];
        segments.extend_from_slice(path);
        let url = self.client.inner().url(&segments, query);
        self.client.inner().call(Req::new(method, url)).await
    }

    /// `getUser`: the user, with form data and notification addresses.
    pub async fn get_user(&self) -> Result<User> {
        self.send(Method::GET, &[], &self.client.lang_query()).await
    }

    /// `updateUser`: changes form data, notification data or state. As the SDK does,
    /// `langCode` is added when absent and `formData` is wrapped as `{"<lang>": [items]}`.
    pub async fn update_user(&self, body: &UpdateUserRequest) -> Result<bool> {
        let mut body = body.clone();
        let lang = self.client.lang_code();
        body.lang_code.get_or_insert_with(|| lang.to_owned());
        crate::wrap_form_data(&mut body.form_data, lang);
        if let Some(n) = body.notification_data.as_mut() {
            n.phone_sms = n.phone_sms.take().filter(|s| !s.is_empty());
        }
        let url = self.client.inner().url(&["users", "me"], &[]);
        let req = Req::new(Method::PUT, url).json(&body)?;
        self.client.inner().call(req).await
    }

    /// `archiveUser`: closes the account and ends its sessions; the login stays taken.
    pub async fn archive_user(&self) -> Result<bool> {
        self.send(Method::DELETE, &[], &[]).await
    }

    /// `deleteUser`: removes the account; the login becomes free.
    pub async fn delete_user(&self) -> Result<bool> {
        self.send(Method::DELETE, &["account"], &[]).await
    }

    /// `addFCMToken`: adds a push token.
    pub async fn add_fcm_token(&self, token: &str) -> Result<bool> {
        self.send(Method::POST, &["fcm-token", token], &[]).await
    }

    /// `deleteFCMToken`: removes a push token (404 when the user has no such token).
    pub async fn delete_fcm_token(&self, token: &str) -> Result<bool> {
        self.send(Method::DELETE, &["fcm-token", token], &[]).await
    }
}

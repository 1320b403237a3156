//! `AuthProvider`: `/api/content/users-auth-providers` (docs/wire.md §6.1).

use openentry_types::auth::{
    ActivateRequest, ActiveSession, AuthProvider as Provider, AuthRequest, AuthResponse,
    ChangePasswordRequest, CheckCodeRequest, GenerateCodeRequest, RefreshRequest, SignUpRequest,
    SignUpResponse,
};
use reqwest::{Method, Url};
use serde_json::Value;

use crate::transport::Req;
use crate::{OneEntry, Page, Result};

/// Sign-up, sign-in, tokens, one-time codes and providers.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// use openentry_client::types::auth::{AuthDataItem, AuthRequest};
///
/// let auth = client.auth_provider();
/// let tokens = auth
///     .auth("email", &AuthRequest {
///         auth_data: vec![
///             AuthDataItem { marker: "email_reg".into(), value: "ann@example.com".into() },
///             AuthDataItem { marker: "password_reg".into(), value: "correct horse".into() },
///         ],
///     })
///     .await?;
/// assert_eq!(client.access_token(), Some(tokens.access_token));
/// auth.logout_all("email").await?;
/// assert_eq!(client.access_token(), None);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AuthProvider {
    client: OneEntry,
}

impl AuthProvider {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    fn url(&self, marker: &str, action: &str) -> Url {
        self.client.inner().url(
            &["users-auth-providers", "marker", marker, "users", action],
            &[],
        )
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        marker: &str,
        action: &str,
        body: &impl serde::Serialize,
    ) -> Result<T> {
        let req = Req::new(Method::POST, self.url(marker, action)).json(body)?;
        self.client.inner().call(req).await
    }

    /// `signUp`: registers a user. As the SDK does, `langCode` is set to this client's
    /// language, `formData` is wrapped as `{"<lang>": [items]}` and an empty SMS number is
    /// left out.
    pub async fn sign_up(&self, marker: &str, body: &SignUpRequest) -> Result<SignUpResponse> {
        let mut body = body.clone();
        let lang = self.client.lang_code();
        body.lang_code = Some(lang.to_owned());
        crate::wrap_form_data(&mut body.form_data, lang);
        if let Some(n) = body.notification_data.as_mut() {
            n.phone_sms = n.phone_sms.take().filter(|s| !s.is_empty());
        }
        let req = Req::new(Method::POST, self.url(marker, "sign-up"))
            .json(&body)?
            .no_refresh();
        self.client.inner().call(req).await
    }

    /// `generateCode`: sends a one-time code for `event_identifier` to the user.
    pub async fn generate_code(
        &self,
        marker: &str,
        user_identifier: &str,
        event_identifier: &str,
    ) -> Result<()> {
        let body = GenerateCodeRequest {
            user_identifier: user_identifier.to_owned(),
            event_identifier: event_identifier.to_owned(),
        };
        let _: Value = self.post(marker, "generate-code", &body).await?;
        Ok(())
    }

    /// `checkCode`: whether `code` is the live code of the event (it is not spent).
    pub async fn check_code(
        &self,
        marker: &str,
        user_identifier: &str,
        event_identifier: &str,
        code: &str,
    ) -> Result<bool> {
        let body = CheckCodeRequest {
            user_identifier: user_identifier.to_owned(),
            event_identifier: event_identifier.to_owned(),
            code: code.to_owned(),
        };
        self.post(marker, "check-code", &body).await
    }

    /// `activateUser`: activates a new user with the code sent at sign-up.
    pub async fn activate_user(
        &self,
        marker: &str,
        user_identifier: &str,
        code: &str,
    ) -> Result<bool> {
        let body = ActivateRequest {
            user_identifier: user_identifier.to_owned(),
            code: code.to_owned(),
        };
        self.post(marker, "activate", &body).await
    }

    /// `auth`: signs in. The answer's tokens are held by the client (every module is then
    /// authenticated) and the refresh token goes to [`Config::save_function`](crate::Config).
    pub async fn auth(&self, marker: &str, body: &AuthRequest) -> Result<AuthResponse> {
        let req = Req::new(Method::POST, self.url(marker, "auth"))
            .json(body)?
            .no_refresh();
        let auth: AuthResponse = self.client.inner().call(req).await?;
        self.client.inner().store(&auth);
        Ok(auth)
    }

    /// `refresh`: trades a refresh token for new tokens (the old one is spent) and holds
    /// them. The client does this by itself on a 401 unless `custom_auth` is set.
    pub async fn refresh(&self, marker: &str, token: &str) -> Result<AuthResponse> {
        self.client.inner().refresh(marker, token).await
    }

    /// `logout`: ends this sign-in (and the one `token` belongs to, if it is another of the
    /// same user); the held tokens are forgotten.
    pub async fn logout(&self, marker: &str, token: &str) -> Result<bool> {
        let body = RefreshRequest {
            refresh_token: Some(token.to_owned()),
        };
        let done: bool = self.post(marker, "logout", &body).await?;
        self.client.inner().clear();
        Ok(done)
    }

    /// `logoutAll`: ends every sign-in of the user; the held tokens are forgotten.
    pub async fn logout_all(&self, marker: &str) -> Result<bool> {
        let req = Req::new(Method::POST, self.url(marker, "logout-all"));
        let done: bool = self.client.inner().call(req).await?;
        self.client.inner().clear();
        Ok(done)
    }

    /// `changePassword`: sets a new password with a code generated for
    /// `body.event_identifier` (`type` 1: change, 2: recovery). Ends every sign-in.
    pub async fn change_password(
        &self,
        marker: &str,
        body: &ChangePasswordRequest,
    ) -> Result<bool> {
        self.post(marker, "change-password", body).await
    }

    /// `getAuthProviders`: the project's providers.
    pub async fn get_auth_providers(&self, page: Page) -> Result<Vec<Provider>> {
        let mut query = self.client.lang_query();
        query.extend([
            ("offset", page.offset.to_string()),
            ("limit", page.limit.to_string()),
        ]);
        let url = self.client.inner().url(&["users-auth-providers"], &query);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getAuthProviderByMarker`: one provider.
    pub async fn get_auth_provider_by_marker(&self, marker: &str) -> Result<Provider> {
        let url = self.client.inner().url(
            &["users-auth-providers", "marker", marker],
            &self.client.lang_query(),
        );
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getActiveSessionsByMarker`: the signed-in user's sessions and their devices.
    pub async fn get_active_sessions_by_marker(&self, marker: &str) -> Result<Vec<ActiveSession>> {
        let req = Req::new(Method::GET, self.url(marker, "sessions"));
        self.client.inner().call(req).await
    }

    /// `oauth`: signs in through an external identity provider with `{client_id,
    /// client_secret, code, grant_type, redirect_uri}`. The tokens are NOT held (as in the
    /// SDK). OpenEntry has no OAuth providers yet and answers 400.
    pub async fn oauth(&self, marker: &str, body: &Value) -> Result<AuthResponse> {
        let url = self
            .client
            .inner()
            .url(&["users-auth-providers", "marker", marker, "oauth"], &[]);
        let req = Req::new(Method::POST, url).json(body)?.no_refresh();
        self.client.inner().call(req).await
    }
}

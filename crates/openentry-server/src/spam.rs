//! Captcha verification for forms with a `spam` field (docs/decisions.md, "Spam fields").
//!
//! [`SpamVerifier`] is the seam: [`SiteVerify`] speaks the `siteverify` protocol that
//! reCAPTCHA, hCaptcha and Cloudflare Turnstile share (a form POST of `secret`, `response` and
//! `remoteip`; a JSON answer whose `success` says yes or no), configured by
//! `OPENENTRY_CAPTCHA_VERIFY_URL` and `OPENENTRY_CAPTCHA_SECRET`. A form with a spam field
//! and no verifier is refused at start; a project reloaded later with one answers its
//! submissions 503 until a verifier is configured: a token nobody checks is never accepted.

use std::net::IpAddr;
use std::sync::Arc;

use openentry_domain::form_data::{spam_field, spam_token};
use openentry_domain::project::{FormDef, ProjectDefinition};
use openentry_types::form_data::FormDataItem;
use serde::Deserialize;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::media::BoxFuture;
use crate::state::AppState;

/// The secret's environment variable (read through [`Config::secret`]).
pub const SECRET_VAR: &str = "OPENENTRY_CAPTCHA_SECRET";

/// Asks a captcha service whether a token is genuine.
pub trait SpamVerifier: Send + Sync + std::fmt::Debug {
    /// `Ok(true)`: the token is good (and now spent); `Ok(false)`: refused; `Err`: the service
    /// could not say.
    fn verify<'a>(
        &'a self,
        token: &'a str,
        remote_ip: Option<IpAddr>,
    ) -> BoxFuture<'a, anyhow::Result<bool>>;
}

/// A `siteverify` endpoint (reCAPTCHA, hCaptcha, Turnstile).
pub struct SiteVerify {
    http: reqwest::Client,
    url: String,
    secret: String,
}

impl std::fmt::Debug for SiteVerify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteVerify")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Answer {
    success: bool,
}

impl SpamVerifier for SiteVerify {
    fn verify<'a>(
        &'a self,
        token: &'a str,
        remote_ip: Option<IpAddr>,
    ) -> BoxFuture<'a, anyhow::Result<bool>> {
        Box::pin(async move {
            let mut form = vec![
                ("secret", self.secret.clone()),
                ("response", token.to_owned()),
            ];
            if let Some(ip) = remote_ip {
                form.push(("remoteip", ip.to_string()));
            }
            let response = self.http.post(&self.url).form(&form).send().await?;
            let status = response.status();
            if !status.is_success() {
                anyhow::bail!("the captcha verifier answered {status}");
            }
            Ok(response.json::<Answer>().await?.success)
        })
    }
}

/// The verifier the configuration names; `None` without `captcha_verify_url`. A URL without
/// a secret is a configuration error.
pub fn from_config(
    config: &Config,
    http: &reqwest::Client,
) -> anyhow::Result<Option<Arc<dyn SpamVerifier>>> {
    let Some(url) = config.captcha_verify_url.clone() else {
        return Ok(None);
    };
    let secret = config.secret(SECRET_VAR).ok_or_else(|| {
        anyhow::anyhow!("OPENENTRY_CAPTCHA_VERIFY_URL is set but {SECRET_VAR} is not")
    })?;
    Ok(Some(Arc::new(SiteVerify {
        http: http.clone(),
        url,
        secret,
    })))
}

/// The forms of a definition that need a verifier, as `forms[i] "marker"` for messages.
fn forms_needing_one(def: &ProjectDefinition) -> Vec<String> {
    def.forms
        .iter()
        .filter(|f| spam_field(f).is_some())
        .map(|f| format!("\"{}\"", f.identifier))
        .collect()
}

/// Refuses to serve a project with spam fields when no verifier is configured.
pub fn ensure_verifier(def: &ProjectDefinition, verifier: bool) -> anyhow::Result<()> {
    let forms = forms_needing_one(def);
    if verifier || forms.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "form {} has a spam (captcha) field, but no captcha verifier is configured: set OPENENTRY_CAPTCHA_VERIFY_URL (the siteverify URL of reCAPTCHA, hCaptcha or Turnstile) and {SECRET_VAR}, or remove the field",
        forms.join(", ")
    )
}

/// The captcha token a submission to `form` carries (`None` when the form has no spam field);
/// a 400 when the form has one and the token is missing or malformed.
pub(crate) fn token(form: &FormDef, items: &[FormDataItem]) -> ApiResult<Option<String>> {
    spam_token(form, items).map_err(|r| ApiError::BadRequest(r.message))
}

/// Verifies a submission's captcha token (see [`token`]). Operators (the admin token) are not
/// asked for one. Called after the submission's other checks, since a verified token is spent.
pub(crate) async fn verify(
    state: &AppState,
    form: &FormDef,
    token: Option<String>,
    remote_ip: Option<IpAddr>,
    operator: bool,
) -> ApiResult<()> {
    let Some(token) = token.filter(|_| !operator) else {
        return Ok(());
    };
    let Some(verifier) = state.spam.as_ref() else {
        tracing::error!(form = %form.identifier, "a form with a spam field has no captcha verifier");
        return Err(ApiError::Unavailable(format!(
            "Form \"{}\" needs a captcha check and this server has no captcha verifier configured",
            form.identifier
        )));
    };
    match verifier.verify(&token, remote_ip).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(ApiError::BadRequest(
            "The captcha was not accepted; solve it again".to_owned(),
        )),
        Err(e) => {
            tracing::warn!(error = %e, "captcha verifier failed");
            Err(ApiError::Upstream(
                "The captcha could not be verified; try again".to_owned(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spam_field_without_a_verifier_is_refused_at_start() {
        let def: ProjectDefinition = toml::from_str(
            r#"
            [[forms]]
            identifier = "contact"
            kind = "data"
            fields = [{ marker = "text" }, { marker = "captcha", type = "spam" }]
            "#,
        )
        .unwrap();
        let err = ensure_verifier(&def, false).unwrap_err().to_string();
        assert!(
            err.starts_with("form \"contact\" has a spam (captcha) field"),
            "{err}"
        );
        assert!(err.contains("OPENENTRY_CAPTCHA_VERIFY_URL"), "{err}");
        assert!(ensure_verifier(&def, true).is_ok());
        assert!(ensure_verifier(&ProjectDefinition::default(), false).is_ok());
    }
}

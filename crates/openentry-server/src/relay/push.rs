//! The `push` channel: Firebase Cloud Messaging's HTTP v1 API, as the hosted platform pushes
//! (users register FCM device tokens in `notificationData.phonePush` and through
//! `POST /users/me/fcm-token`). One delivery per recipient user and device token, holding
//! the whole FCM message rendered in the user's locale when the row was routed
//! (`push/route.rs`); each attempt posts it with an OAuth 2.0 access token of the project's
//! service account (`push/auth.rs`), fetched once and reused until shortly before it ends.
//!
//! Outcomes: 2xx sent; a token FCM no longer knows (404, `UNREGISTERED`) or a message it
//! refuses (400 `INVALID_ARGUMENT`, `SENDER_ID_MISMATCH`) is dead at once, since no retry
//! can mend it, and a token FCM no longer knows is removed from the user's devices; 401 drops the access token (the next attempt fetches another) and retries;
//! 429, 5xx and timeouts retry with the relay's backoff.

mod auth;
pub(super) mod route;

use std::sync::Arc;
use std::time::Instant;

use openentry_domain::clock::Timestamp;
use openentry_store::deliveries::DeliveryRecord;
use serde_json::Value;

use self::auth::{AccessToken, ServiceAccount, reason};
use super::webhook::{Failure, Sent};
use crate::config::Config;
use crate::state::AppState;

/// The channel's name in deliveries.
pub(super) const CHANNEL: &str = "push";
/// An access token is renewed this long before Google says it ends (clocks differ, and a
/// request may be in flight when it does).
const RENEW_BEFORE_SECS: i64 = 300;
/// The most of an error answer read (to find FCM's error code).
const ERROR_BODY_LIMIT: usize = 16 * 1024;

/// The FCM client of a server: built once at start from [`crate::config::PushSettings`].
pub struct Pusher {
    account: ServiceAccount,
    /// `{base}/v1/projects/{project}/messages:send`.
    send_url: String,
    client: reqwest::Client,
    /// The access token and when to stop using it (unix seconds). An async lock: deliveries
    /// sent at once wait for one fetch instead of each fetching a token.
    token: tokio::sync::Mutex<Option<(AccessToken, i64)>>,
}

impl std::fmt::Debug for Pusher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pusher")
            .field("account", &self.account)
            .field("send_url", &self.send_url)
            .finish_non_exhaustive()
    }
}

impl Pusher {
    /// The client the configuration names, if any; says once which way push goes.
    pub fn from_config(config: &Config, now: Timestamp) -> anyhow::Result<Option<Arc<Self>>> {
        let Some(settings) = &config.push else {
            tracing::info!(
                "push: no FCM credentials configured (OPENENTRY_PUSH_FCM_CREDENTIALS): events' push channel is skipped"
            );
            return Ok(None);
        };
        let account = ServiceAccount::load(&settings.credentials, now)?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.relay.webhook_timeout)
            .build()?;
        let base = settings.fcm_url.trim_end_matches('/');
        let send_url = format!("{base}/v1/projects/{}/messages:send", account.project_id);
        tracing::info!(
            project = %account.project_id,
            api = base,
            "push: sent through Firebase Cloud Messaging by the relay"
        );
        Ok(Some(Arc::new(Self {
            account,
            send_url,
            client,
            token: tokio::sync::Mutex::new(None),
        })))
    }

    /// The cached access token, or a new one.
    async fn access_token(&self, now: Timestamp) -> Result<AccessToken, Failure> {
        let mut slot = self.token.lock().await;
        if let Some((token, until)) = &*slot
            && now.unix_secs() < *until
        {
            return Ok(token.clone());
        }
        let (token, lives) = self.account.fetch(&self.client, now).await?;
        let until = now.unix_secs() + (lives - RENEW_BEFORE_SECS).max(lives / 2);
        *slot = Some((token.clone(), until));
        Ok(token)
    }

    /// Drops `token` when FCM refused it (not a newer one another delivery fetched since).
    async fn forget(&self, token: &AccessToken) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|(t, _)| t == token) {
            *slot = None;
        }
    }
}

/// FCM's error codes in an error answer: `error.status` and each `error.details[].errorCode`.
fn error_codes(body: &[u8]) -> Vec<String> {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let error = &v["error"];
    let details = error["details"].as_array().into_iter().flatten();
    error["status"]
        .as_str()
        .into_iter()
        .chain(details.filter_map(|d| d["errorCode"].as_str()))
        .map(str::to_owned)
        .collect()
}

/// Whether an FCM error answer means no retry can succeed.
fn is_permanent(status: u16, codes: &[String]) -> bool {
    let has = |c: &str| codes.iter().any(|x| x == c);
    status == 404
        || has("UNREGISTERED")
        || has("SENDER_ID_MISMATCH")
        || (status == 400 && has("INVALID_ARGUMENT"))
}

/// Whether FCM says the device token itself is gone (the app was uninstalled, the token
/// rotated or belongs to another project), not that this one message was refused.
fn is_gone(status: u16, codes: &[String]) -> bool {
    let has = |c: &str| codes.iter().any(|x| x == c);
    status == 404 || has("UNREGISTERED") || has("SENDER_ID_MISMATCH")
}

/// Removes a dead token from the user's devices (both `fcm-token` registrations and
/// `notificationData.phonePush`), so later events stop making deliveries that cannot arrive.
/// `phonePush` is the user's own data: it is rewritten only at the version read, retried
/// when the user changed their profile meanwhile.
async fn forget_device(state: &AppState, d: &DeliveryRecord) -> anyhow::Result<()> {
    let (Some(user_id), Some(token)) = (d.user_id, device_token(&d.payload)) else {
        return Ok(());
    };
    openentry_store::users::delete_fcm_token(&state.db, user_id, &token).await?;
    for _ in 0..3 {
        let Some(u) = openentry_store::users::get(&state.db, user_id).await? else {
            return Ok(());
        };
        let mut data = u.notification_data.clone();
        let before = data.phone_push.len();
        data.phone_push.retain(|t| t.trim() != token);
        if data.phone_push.len() == before {
            return Ok(());
        }
        let text = serde_json::to_string(&data)?;
        if openentry_store::users::set_notification_data_if(
            &state.db,
            user_id,
            u.version,
            &text,
            state.now(),
        )
        .await?
        {
            tracing::info!(user = user_id, "a dead push token was removed");
            return Ok(());
        }
    }
    anyhow::bail!("the user's profile kept changing")
}

/// The device token of a delivery's FCM message (`message.token`).
fn device_token(payload: &str) -> Option<String> {
    let v: Value = serde_json::from_str(payload).ok()?;
    v.pointer("/message/token")?.as_str().map(str::to_owned)
}

/// Reads at most [`ERROR_BODY_LIMIT`] bytes of an answer.
async fn head_of(mut answer: reqwest::Response) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < ERROR_BODY_LIMIT
        && let Ok(Some(chunk)) = answer.chunk().await
    {
        out.extend_from_slice(&chunk);
    }
    out
}

/// Posts the delivery's FCM message.
pub(super) async fn send(state: &AppState, d: &DeliveryRecord) -> Result<Sent, Failure> {
    let pusher = state
        .pusher
        .as_ref()
        .ok_or_else(|| Failure::new(None, "push is not configured"))?;
    let token = pusher.access_token(state.now()).await?;
    let started = Instant::now();
    let answer = pusher
        .client
        .post(&pusher.send_url)
        .bearer_auth(&token.0)
        .header("content-type", "application/json")
        .body(d.payload.clone())
        .send()
        .await;
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let answer = answer.map_err(|e| Failure {
        latency_ms,
        ..Failure::new(None, &format!("request failed: {}", reason(e)))
    })?;
    let status = answer.status().as_u16();
    if answer.status().is_success() {
        return Ok(Sent {
            status: Some(i64::from(status)),
            latency_ms,
        });
    }
    if status == 401 {
        pusher.forget(&token).await;
    }
    let codes = error_codes(&head_of(answer).await);
    if is_gone(status, &codes)
        && let Err(e) = forget_device(state, d).await
    {
        // The delivery's outcome stands; the token is tried again (and forgotten) next time.
        tracing::warn!(delivery = %d.id, error = %e, "a dead push token could not be removed");
    }
    // FCM's codes only: its messages may quote the request.
    let error = match codes.last() {
        Some(code) => format!("HTTP {status} {code}"),
        None => format!("HTTP {status}"),
    };
    Err(Failure {
        latency_ms,
        permanent: is_permanent(status, &codes),
        ..Failure::new(Some(i64::from(status)), &error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tokens_and_refused_messages_are_permanent_the_rest_retried() {
        let body = br#"{"error":{"code":404,"status":"NOT_FOUND","details":[
            {"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}"#;
        let codes = error_codes(body);
        assert_eq!(codes, ["NOT_FOUND", "UNREGISTERED"]);
        assert!(is_permanent(404, &codes));
        assert!(is_permanent(404, &[]));
        assert!(is_permanent(400, &["INVALID_ARGUMENT".to_owned()]));
        assert!(!is_permanent(500, &["INVALID_ARGUMENT".to_owned()]));
        assert!(!is_permanent(503, &["UNAVAILABLE".to_owned()]));
        assert!(!is_permanent(429, &["QUOTA_EXCEEDED".to_owned()]));
        assert!(!is_permanent(401, &["UNAUTHENTICATED".to_owned()]));
        assert!(error_codes(b"<html>").is_empty());
    }
}

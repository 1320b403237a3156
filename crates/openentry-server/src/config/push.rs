//! Push settings (`OPENENTRY_PUSH_FCM_*`; docs/operations.md, "Push"): the Firebase project
//! the relay's `push` channel sends through. Without them events' `push` channel is skipped at
//! routing (as e-mail is without SMTP), and the server says so at start.

use std::path::PathBuf;

use super::{Config, env_value};

/// Firebase Cloud Messaging's API, the default of [`PushSettings::fcm_url`].
pub const FCM_URL: &str = "https://fcm.googleapis.com";

/// Where push notifications go: a Google service account of the Firebase project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushSettings {
    /// The service account's JSON key file (`project_id`, `client_email`, `private_key`,
    /// `token_uri`), read when the server starts; the key never leaves the server.
    pub credentials: PathBuf,
    /// Base URL of the FCM HTTP v1 API (tests point it at a local stand-in).
    pub fcm_url: String,
}

impl PushSettings {
    /// Settings for a credentials file and FCM's public API.
    pub fn new(credentials: impl Into<PathBuf>) -> Self {
        Self {
            credentials: credentials.into(),
            fcm_url: FCM_URL.to_owned(),
        }
    }
}

impl Config {
    /// Reads `OPENENTRY_PUSH_FCM_CREDENTIALS` (the service-account file) and
    /// `OPENENTRY_PUSH_FCM_URL` (default [`FCM_URL`]); no credentials: no push.
    pub fn push_from_env(&mut self) {
        let Some(path) = env_value("OPENENTRY_PUSH_FCM_CREDENTIALS") else {
            return;
        };
        let fcm_url = env_value("OPENENTRY_PUSH_FCM_URL").map_or_else(
            || FCM_URL.to_owned(),
            |url| url.trim().trim_end_matches('/').to_owned(),
        );
        self.push = Some(PushSettings {
            credentials: path.into(),
            fcm_url,
        });
    }
}

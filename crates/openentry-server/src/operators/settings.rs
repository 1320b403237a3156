//! How console sessions end.

use std::time::Duration;

/// Console session settings (`OPENENTRY_ADMIN_IDLE_MINUTES`, `OPENENTRY_ADMIN_SESSION_HOURS`).
#[derive(Debug, Clone)]
pub struct OperatorSettings {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after sign-in, whatever its use.
    pub absolute: Duration,
    /// Whether the session cookie is `Secure` (set when the public URL is `https://`: the
    /// server itself speaks plain HTTP behind a TLS proxy).
    pub secure_cookie: bool,
}

impl Default for OperatorSettings {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            secure_cookie: false,
        }
    }
}

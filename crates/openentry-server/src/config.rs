//! Server configuration: one typed struct, filled by the CLI from flags and `OPENENTRY_*`
//! variables, or by the test kit. There is no global configuration.

use std::path::{Path, PathBuf};
use std::time::Duration;

use openentry_domain::net::{Cidr, ProxyTrust};

mod push;
mod smtp;
mod uploads;

use openentry_domain::throttle::ThrottlePolicy;
pub use push::{FCM_URL, PushSettings};
pub use smtp::{SmtpSecurity, SmtpSettings};
pub use uploads::S3Settings;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Params {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Argon2Params {
    /// OWASP / ASVS 5.0 Appendix C: m = 19 MiB, t = 2, p = 1.
    pub const PRODUCTION: Self = Self {
        m_kib: 19_456,
        t: 2,
        p: 1,
    };
    /// Cheap parameters for tests only; never for stored production hashes.
    pub const TESTING: Self = Self {
        m_kib: 256,
        t: 1,
        p: 1,
    };
}

/// Everything the server needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://FILE` or `postgres://…`.
    pub database_url: String,
    /// App token from the environment; when absent, one is generated and stored on first start.
    pub app_token: Option<String>,
    /// Token of the admin API (`/api/admin`); without one the admin API is closed.
    pub admin_token: Option<String>,
    /// Origins allowed by CORS on the Content API; empty means any origin (no cookies are used,
    /// so `*` is safe). `/api/admin` has its own list, `admin_cors_origins`.
    pub cors_origins: Vec<String>,
    /// Password hashing cost.
    pub argon2: Argon2Params,
    /// Hashes computed at once: the number of hashing threads (default: the number of cores).
    pub hash_concurrency: usize,
    /// Sign-ins allowed to wait for a hashing slot before more are refused with 429.
    pub hash_queue: usize,
    /// Largest request body in bytes (larger → 413).
    pub body_limit: usize,
    /// Longest a request may take before it is abandoned with 503 (its transaction rolls back).
    pub request_timeout: Duration,
    /// Longest a client may take to send its request headers.
    pub header_read_timeout: Duration,
    /// Most open client connections; when full, the oldest idle one is closed for a newcomer,
    /// or the newcomer is closed when none is idle.
    pub max_connections: usize,
    /// Sign-in failures per account.
    pub account_throttle: ThrottlePolicy,
    /// Sign-in failures per client address.
    pub address_throttle: ThrottlePolicy,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// How often to look for a project imported by another process.
    pub project_poll: Duration,
    /// Database pool size.
    pub db_max_connections: u32,
    /// Base URL of Stripe's API (tests point it at a local stand-in).
    pub stripe_api_base: String,
    /// Secrets by name, consulted before the environment (tests inject them here; the
    /// environment is process-wide).
    pub secrets: Secrets,
    /// How often to expire payment sessions whose time is up.
    pub expiry_sweep: Duration,

    // Abuse limits of the anonymous auth routes (docs/decisions.md, "Anonymous abuse").
    /// Proxies trusted to append to `X-Forwarded-For` (addresses or CIDR blocks). When set, the
    /// client is the right-most address of `X-Forwarded-For…, peer` that is not one of them.
    pub trusted_proxies: Vec<Cidr>,
    /// Proxies every request passes when `trusted_proxies` is empty: the client is the n-th
    /// address from the right. 0 ignores `X-Forwarded-For` (unless `trust_forwarded_for`,
    /// which means 1).
    pub forwarded_hops: usize,
    /// Anonymous writes (sign-up, sign-in, refresh, code routes) per client address;
    /// `max_failures` 0 turns the budget off.
    pub anonymous_budget: ThrottlePolicy,
    /// Anonymous form submissions per client address (IPv6: its /64); `max_failures` 0
    /// turns the budget off.
    pub form_data_address_budget: ThrottlePolicy,
    /// Anonymous form submissions per device fingerprint; 0 turns the budget off.
    pub form_data_fingerprint_budget: ThrottlePolicy,
    /// Form submissions per signed-in user; 0 turns the budget off.
    pub form_data_user_budget: ThrottlePolicy,
    /// How often stale throttle counters, codes, idempotency keys, sessions and notifications
    /// are purged.
    pub purge_interval: Duration,
    /// How long revoked sessions are kept (for the record) before they are purged.
    pub revoked_session_retention: Duration,
    /// How long notifications (the outbox the admin API reads) are kept.
    pub notification_retention: Duration,
    /// How long finished deliveries (sent, dead) stay in the delivery log.
    pub delivery_retention: Duration,
    /// Push tokens kept per user (the oldest go first).
    pub max_fcm_tokens: usize,

    // Abuse limits (issue 10, findings 2, 3 and 12): connections, bodies, heads, CORS.
    /// Open connections per client address; more are closed at once (0: no limit).
    pub max_connections_per_address: usize,
    /// A kept-alive connection with no request in flight is closed after this long. (A new
    /// connection gets `header_read_timeout` for its first request, first byte included.)
    pub idle_timeout: Duration,
    /// Longest a client may take to send a request body (then 408, and the connection closes).
    pub body_read_timeout: Duration,
    /// Request-body bytes held in memory at once, all clients together (then 503).
    pub body_budget: usize,
    /// Request-body bytes held in memory at once for one client address (then 429).
    pub body_budget_per_address: usize,
    /// Concurrent HTTP/2 streams per connection.
    pub h2_max_streams: u32,
    /// Longest request target (path and query) in bytes (longer: 414).
    pub max_uri_len: usize,
    /// Largest request header section in bytes, names and values (larger: 431).
    pub max_header_bytes: usize,
    /// Origins allowed by CORS on `/api/admin`; empty means none (no cross-origin admin calls).
    pub admin_cors_origins: Vec<String>,

    // Media (README, "Configuration"; docs/decisions.md, "Attribute values and media").
    /// Directory of the media store (`OPENENTRY_MEDIA_DIR`); `None`: beside the SQLite file
    /// (`openentry.db` → `openentry-media`), or `./openentry-media` with PostgreSQL.
    pub media_dir: Option<PathBuf>,
    /// Base of the absolute media links (`OPENENTRY_PUBLIC_URL`, e.g. `https://api.shop.example`);
    /// `None`: `http://` and the address the server listens on.
    pub public_url: Option<String>,

    // Captcha (docs/decisions.md, "Spam fields").
    /// The `siteverify` URL of the captcha service that checks the tokens of forms' spam
    /// fields (`OPENENTRY_CAPTCHA_VERIFY_URL`); its secret is the secret
    /// `OPENENTRY_CAPTCHA_SECRET`. `None`: no verifier, and a project with a spam field is
    /// refused at start.
    pub captcha_verify_url: Option<String>,
    /// An S3-compatible bucket for the media store instead of `media_dir`
    /// (`OPENENTRY_MEDIA_S3_*`).
    pub media_s3: Option<S3Settings>,

    // Uploads (the FileUploading module; README, "Configuration"; docs/decisions.md,
    // "Uploaded files").
    /// Largest uploaded file in bytes (`OPENENTRY_UPLOAD_MAX_FILE_BYTES`; larger: 413).
    pub upload_max_file_bytes: u64,
    /// Files in one upload request at most (`OPENENTRY_UPLOAD_MAX_FILES`; more: 413).
    pub upload_max_files: usize,
    /// Bytes one owner (a user, or an anonymous visitor's address) may hold
    /// (`OPENENTRY_UPLOAD_QUOTA_BYTES`; beyond: 413).
    pub upload_quota_bytes: u64,
    /// Files one owner may hold (`OPENENTRY_UPLOAD_QUOTA_FILES`; beyond: 413).
    pub upload_quota_files: u64,
    /// Accepted media types, as read from the content (`OPENENTRY_UPLOAD_TYPES`, comma
    /// separated; `image/*` allows every image type; other files: 415).
    pub upload_types: Vec<String>,
    /// Longest an upload's body may take to arrive (`OPENENTRY_UPLOAD_READ_TIMEOUT_SECS`; it
    /// replaces `body_read_timeout` and extends the request timeout on the upload route).
    pub upload_read_timeout: Duration,
    /// The event relay: retries, leases, concurrency, webhook targets (docs/operations.md).
    pub relay: crate::relay::RelaySettings,
    /// The WebSocket (`OPENENTRY_WS_*`; docs/operations.md).
    pub ws: crate::ws::WsSettings,
    /// The SMTP server e-mail goes out through (`OPENENTRY_SMTP_*`); `None`: no e-mail, the
    /// log notifier only.
    pub smtp: Option<SmtpSettings>,
    /// The Firebase project push notifications go out through (`OPENENTRY_PUSH_FCM_*`);
    /// `None`: no push.
    pub push: Option<PushSettings>,
    /// How console sessions end (`OPENENTRY_ADMIN_IDLE_MINUTES`, `..._SESSION_HOURS`).
    pub operators: crate::operators::OperatorSettings,
}

impl Config {
    /// Production defaults for a database URL.
    pub fn new(database_url: impl Into<String>) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Self {
            database_url: database_url.into(),
            app_token: None,
            admin_token: None,
            cors_origins: Vec::new(),
            argon2: Argon2Params::PRODUCTION,
            hash_concurrency: cores,
            hash_queue: cores * 16,
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            max_connections: 4096,
            account_throttle: ThrottlePolicy::ACCOUNT,
            address_throttle: ThrottlePolicy::ADDRESS,
            trust_forwarded_for: false,
            project_poll: Duration::from_millis(500),
            db_max_connections: 16,
            stripe_api_base: "https://api.stripe.com".to_owned(),
            secrets: Secrets::default(),
            expiry_sweep: Duration::from_secs(30),
            trusted_proxies: Vec::new(),
            forwarded_hops: 0,
            anonymous_budget: ThrottlePolicy::ANONYMOUS,
            form_data_address_budget: ThrottlePolicy::FORM_DATA_ADDRESS,
            form_data_fingerprint_budget: ThrottlePolicy::FORM_DATA_FINGERPRINT,
            form_data_user_budget: ThrottlePolicy::FORM_DATA_USER,
            purge_interval: Duration::from_secs(600),
            revoked_session_retention: Duration::from_secs(24 * 3600),
            notification_retention: Duration::from_secs(7 * 24 * 3600),
            delivery_retention: Duration::from_secs(30 * 24 * 3600),
            max_fcm_tokens: 20,
            max_connections_per_address: 64,
            idle_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(10),
            body_budget: 32 * 1024 * 1024,
            body_budget_per_address: 4 * 1024 * 1024,
            h2_max_streams: 32,
            max_uri_len: 8 * 1024,
            max_header_bytes: 32 * 1024,
            admin_cors_origins: Vec::new(),
            media_dir: None,
            public_url: None,
            captcha_verify_url: None,
            media_s3: None,
            upload_max_file_bytes: 10 * 1024 * 1024,
            upload_max_files: 10,
            upload_quota_bytes: 100 * 1024 * 1024,
            upload_quota_files: 1_000,
            upload_types: openentry_domain::files::DEFAULT_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            upload_read_timeout: Duration::from_secs(120),
            relay: crate::relay::RelaySettings::default(),
            ws: crate::ws::WsSettings::default(),
            smtp: None,
            push: None,
            operators: crate::operators::OperatorSettings::default(),
        }
    }

    /// Reads the media settings from `OPENENTRY_MEDIA_DIR` and `OPENENTRY_PUBLIC_URL` (the CLI
    /// calls this for `serve` and `project`, so both use the same store).
    pub fn media_from_env(&mut self) {
        if let Some(dir) = env_value("OPENENTRY_MEDIA_DIR") {
            self.media_dir = Some(PathBuf::from(dir));
        }
        if let Some(url) = env_value("OPENENTRY_PUBLIC_URL") {
            self.public_url = Some(url);
        }
        self.media_s3 = uploads::s3_from_env();
    }

    /// Reads the captcha verifier's URL from `OPENENTRY_CAPTCHA_VERIFY_URL` (its secret is read
    /// when the server starts, see [`Self::secret`]).
    pub fn captcha_from_env(&mut self) {
        if let Some(url) = env_value("OPENENTRY_CAPTCHA_VERIFY_URL") {
            self.captcha_verify_url = Some(url);
        }
    }

    /// Reads the relay's settings (`OPENENTRY_RELAY_*`, `OPENENTRY_WEBHOOK_*`; docs/operations.md).
    pub fn relay_from_env(&mut self) -> anyhow::Result<()> {
        self.relay.apply(env_value)
    }

    /// Reads the WebSocket's settings (`OPENENTRY_WS_*`; docs/operations.md).
    pub fn ws_from_env(&mut self) -> anyhow::Result<()> {
        self.ws.apply(env_value)
    }

    /// The media store's directory: the configured one, else beside the SQLite database file
    /// (`shop.db` → `shop-media`), else `openentry-media` in the working directory.
    pub fn media_dir(&self) -> PathBuf {
        if let Some(dir) = &self.media_dir {
            return dir.clone();
        }
        let file = self
            .database_url
            .strip_prefix("sqlite://")
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|f| !f.is_empty() && !f.starts_with(':'));
        match file.map(Path::new) {
            Some(f) => {
                let stem = f
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("openentry");
                f.with_file_name(format!("{stem}-media"))
            }
            None => PathBuf::from("openentry-media"),
        }
    }

    /// Which proxies may name the client in `X-Forwarded-For`; the old `trust_forwarded_for`
    /// flag means one proxy hop.
    pub fn proxy_trust(&self) -> ProxyTrust {
        let hops = match (self.forwarded_hops, self.trust_forwarded_for) {
            (0, true) => 1,
            (n, _) => n,
        };
        ProxyTrust {
            proxies: self.trusted_proxies.clone(),
            hops,
        }
    }

    /// A secret by the name of its environment variable: injected ones first, then the
    /// environment. Empty values count as missing.
    pub fn secret(&self, name: &str) -> Option<String> {
        self.secrets
            .0
            .get(name)
            .cloned()
            .or_else(|| env_value(name))
            .filter(|v| !v.is_empty())
    }
}

/// The value of the environment variable `name`; empty counts as missing. The one place the
/// server reads the environment (clippy's `disallowed-methods` keeps it so): everything else
/// gets its settings from [`Config`], which tests build without touching the process
/// environment.
#[allow(clippy::disallowed_methods)] // configuration: this is the reader
pub fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Secrets by name. `Debug` shows the names only.
#[derive(Clone, Default)]
pub struct Secrets(pub std::collections::BTreeMap<String, String>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

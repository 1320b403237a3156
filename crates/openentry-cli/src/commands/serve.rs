//! `openentry serve`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use openentry_domain::clock::SystemClock;
use openentry_domain::net::Cidr;
use openentry_domain::throttle::ThrottlePolicy;
use openentry_server::config::Argon2Params;
use openentry_server::{App, Config, ProjectSource};

/// Options of `serve` (each also readable from its `OPENENTRY_*` variable).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  openentry serve --demo
  openentry serve --listen 0.0.0.0:8080 --project shop.toml
  OPENENTRY_DATABASE_URL=postgres://app@db/shop openentry serve")]
pub(crate) struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "OPENENTRY_LISTEN", default_value = "127.0.0.1:3000")]
    pub(crate) listen: String,
    /// Database: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "OPENENTRY_DATABASE_URL",
        default_value = "sqlite://openentry.db"
    )]
    pub(crate) database_url: String,
    /// Import this project definition at start.
    #[arg(long, env = "OPENENTRY_PROJECT", conflicts_with = "demo")]
    pub(crate) project: Option<PathBuf>,
    /// Import the demo project at start.
    #[arg(long)]
    pub(crate) demo: bool,
    /// The app token clients send in x-app-token (default: generated once and stored).
    #[arg(long, env = "OPENENTRY_APP_TOKEN", hide_env_values = true)]
    pub(crate) app_token: Option<String>,
    /// Token of the admin API (/api/admin); without it the admin API is closed.
    #[arg(long, env = "OPENENTRY_ADMIN_TOKEN", hide_env_values = true)]
    pub(crate) admin_token: Option<String>,
    /// Origins allowed by CORS on the Content API, comma-separated (default: any).
    #[arg(long, env = "OPENENTRY_CORS_ORIGINS", value_delimiter = ',')]
    pub(crate) cors_origins: Vec<String>,
    /// Argon2id memory in KiB (default 19456; lower only for tests).
    #[arg(long, env = "OPENENTRY_ARGON2_M_KIB", default_value_t = Argon2Params::PRODUCTION.m_kib)]
    pub(crate) argon2_m_kib: u32,
    /// Argon2id iterations.
    #[arg(long, env = "OPENENTRY_ARGON2_T", default_value_t = Argon2Params::PRODUCTION.t)]
    pub(crate) argon2_t: u32,
    /// Largest request body in bytes.
    #[arg(long, env = "OPENENTRY_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub(crate) body_limit: usize,
    /// Seconds a request may take before it is abandoned with 503.
    #[arg(long, env = "OPENENTRY_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub(crate) request_timeout_secs: u64,
    /// Take client addresses from X-Forwarded-For behind exactly one proxy (the same as
    /// --forwarded-hops 1; prefer --trusted-proxies).
    #[arg(long, env = "OPENENTRY_TRUST_FORWARDED_FOR")]
    pub(crate) trust_forwarded_for: bool,
    /// Proxies allowed to set X-Forwarded-For, comma-separated addresses or CIDR blocks
    /// (e.g. 10.0.0.0/8,127.0.0.1): the client is the right-most address not among them.
    #[arg(long, env = "OPENENTRY_TRUSTED_PROXIES", value_delimiter = ',')]
    pub(crate) trusted_proxies: Vec<Cidr>,
    /// Proxies every request passes (when no --trusted-proxies): the client is the n-th
    /// address from the right of X-Forwarded-For. 0 ignores the header.
    #[arg(long, env = "OPENENTRY_FORWARDED_HOPS", default_value_t = 0)]
    pub(crate) forwarded_hops: usize,
    /// Anonymous writes (sign-up, sign-in, refresh, code routes) per client address and
    /// window; 0 turns the budget off.
    #[arg(long, env = "OPENENTRY_ANONYMOUS_BUDGET", default_value_t = ThrottlePolicy::ANONYMOUS.max_failures)]
    pub(crate) anonymous_budget: i64,
    /// The window of --anonymous-budget, in seconds.
    #[arg(long, env = "OPENENTRY_ANONYMOUS_WINDOW_SECS", default_value_t = ThrottlePolicy::ANONYMOUS.window_secs)]
    pub(crate) anonymous_window_secs: i64,
    /// Seconds between purges of stale throttle counters, codes, idempotency keys, sessions
    /// and notifications.
    #[arg(long, env = "OPENENTRY_PURGE_INTERVAL_SECS", default_value_t = 600)]
    pub(crate) purge_interval_secs: u64,
    /// Hours notifications (the outbox read by the admin API) are kept.
    #[arg(
        long,
        env = "OPENENTRY_NOTIFICATION_RETENTION_HOURS",
        default_value_t = 168
    )]
    pub(crate) notification_retention_hours: u64,
    /// Days finished deliveries (sent or dead) stay in the delivery log.
    #[arg(long, env = "OPENENTRY_DELIVERY_RETENTION_DAYS", default_value_t = 30)]
    pub(crate) delivery_retention_days: u64,
    /// Minutes an unused console session lives.
    #[arg(long, env = "OPENENTRY_ADMIN_IDLE_MINUTES", default_value_t = 30)]
    pub(crate) admin_idle_minutes: u64,
    /// Hours a console session lives at most, however used.
    #[arg(long, env = "OPENENTRY_ADMIN_SESSION_HOURS", default_value_t = 12)]
    pub(crate) admin_session_hours: u64,
    /// Base URL of Stripe's API (tests point it at a local stand-in).
    #[arg(
        long,
        env = "OPENENTRY_STRIPE_API_BASE",
        default_value = "https://api.stripe.com"
    )]
    pub(crate) stripe_api_base: String,
    /// Directory of the media store (default: $OPENENTRY_MEDIA_DIR, else beside the SQLite
    /// file, e.g. openentry-media, else ./openentry-media).
    #[arg(long)]
    pub(crate) media_dir: Option<PathBuf>,
    /// Base of the absolute media links browsers load (default: $OPENENTRY_PUBLIC_URL, else
    /// http:// and the listening address), e.g. `https://api.shop.example`.
    #[arg(long)]
    pub(crate) public_url: Option<String>,
    #[command(flatten)]
    pub(crate) abuse: AbuseArgs,
}

/// Abuse limits (docs/operations.md, "Abuse limits"); unset ones keep the server's defaults.
#[derive(Debug, Args)]
pub(crate) struct AbuseArgs {
    /// Open connections at most (default 4096); when full, the oldest idle one is closed.
    #[arg(long, env = "OPENENTRY_MAX_CONNECTIONS")]
    pub(crate) max_connections: Option<usize>,
    /// Open connections per client address (default 64; 0: no limit).
    #[arg(long, env = "OPENENTRY_MAX_CONNECTIONS_PER_ADDRESS")]
    pub(crate) max_connections_per_address: Option<usize>,
    /// Seconds a new connection has to send its request headers (default 10).
    #[arg(long, env = "OPENENTRY_HEADER_READ_TIMEOUT_SECS")]
    pub(crate) header_read_timeout_secs: Option<u64>,
    /// Seconds a kept-alive connection may stay idle (default 30).
    #[arg(long, env = "OPENENTRY_IDLE_TIMEOUT_SECS")]
    pub(crate) idle_timeout_secs: Option<u64>,
    /// Seconds a client has to send a request body (default 10; then 408).
    #[arg(long, env = "OPENENTRY_BODY_READ_TIMEOUT_SECS")]
    pub(crate) body_read_timeout_secs: Option<u64>,
    /// Request-body bytes in memory at once, all clients (default 33554432; then 503).
    #[arg(long, env = "OPENENTRY_BODY_BUDGET")]
    pub(crate) body_budget: Option<usize>,
    /// Request-body bytes in memory at once per client address (default 4194304; then 429).
    #[arg(long, env = "OPENENTRY_BODY_BUDGET_PER_ADDRESS")]
    pub(crate) body_budget_per_address: Option<usize>,
    /// Concurrent HTTP/2 streams per connection (default 32).
    #[arg(long, env = "OPENENTRY_H2_MAX_STREAMS")]
    pub(crate) h2_max_streams: Option<u32>,
    /// Anonymous form submissions (postFormsData) per client address and hour (default 30;
    /// 0 turns the budget off).
    #[arg(long, env = "OPENENTRY_FORM_DATA_BUDGET")]
    pub(crate) form_data_budget: Option<i64>,
    /// Anonymous form submissions per device fingerprint and hour (default 10; 0: off).
    #[arg(long, env = "OPENENTRY_FORM_DATA_DEVICE_BUDGET")]
    pub(crate) form_data_device_budget: Option<i64>,
    /// Form submissions per signed-in user and hour (default 60; 0: off).
    #[arg(long, env = "OPENENTRY_FORM_DATA_USER_BUDGET")]
    pub(crate) form_data_user_budget: Option<i64>,
    /// Origins allowed by CORS on /api/admin, comma-separated (default: none).
    #[arg(long, env = "OPENENTRY_ADMIN_CORS_ORIGINS", value_delimiter = ',')]
    pub(crate) admin_cors_origins: Vec<String>,
}

impl AbuseArgs {
    fn apply(&self, c: &mut Config) {
        let secs = |s: u64| Duration::from_secs(s.max(1));
        if let Some(v) = self.max_connections {
            c.max_connections = v.max(1);
        }
        if let Some(v) = self.max_connections_per_address {
            c.max_connections_per_address = v;
        }
        if let Some(v) = self.header_read_timeout_secs {
            c.header_read_timeout = secs(v);
        }
        if let Some(v) = self.idle_timeout_secs {
            c.idle_timeout = secs(v);
        }
        if let Some(v) = self.body_read_timeout_secs {
            c.body_read_timeout = secs(v);
        }
        if let Some(v) = self.body_budget {
            c.body_budget = v;
        }
        if let Some(v) = self.body_budget_per_address {
            c.body_budget_per_address = v;
        }
        if let Some(v) = self.h2_max_streams {
            c.h2_max_streams = v.max(1);
        }
        for (given, budget) in [
            (self.form_data_budget, &mut c.form_data_address_budget),
            (
                self.form_data_device_budget,
                &mut c.form_data_fingerprint_budget,
            ),
            (self.form_data_user_budget, &mut c.form_data_user_budget),
        ] {
            if let Some(n) = given {
                budget.max_failures = n.max(0);
            }
        }
        c.admin_cors_origins = self
            .admin_cors_origins
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
    }
}

impl ServeArgs {
    pub(crate) fn config(&self) -> Config {
        let mut c = Config::new(self.database_url.clone());
        c.app_token.clone_from(&self.app_token);
        c.admin_token = self.admin_token.clone().filter(|t| !t.is_empty());
        c.cors_origins = self
            .cors_origins
            .iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        c.argon2 = Argon2Params {
            m_kib: self.argon2_m_kib,
            t: self.argon2_t,
            p: 1,
        };
        c.body_limit = self.body_limit;
        c.request_timeout = Duration::from_secs(self.request_timeout_secs.max(1));
        c.trust_forwarded_for = self.trust_forwarded_for;
        c.trusted_proxies.clone_from(&self.trusted_proxies);
        c.forwarded_hops = self.forwarded_hops;
        c.anonymous_budget = ThrottlePolicy {
            max_failures: self.anonymous_budget.max(0),
            window_secs: self.anonymous_window_secs.max(1),
        };
        c.purge_interval = Duration::from_secs(self.purge_interval_secs.max(1));
        c.notification_retention =
            Duration::from_secs(self.notification_retention_hours.saturating_mul(3600));
        c.delivery_retention =
            Duration::from_secs(self.delivery_retention_days.saturating_mul(24 * 3600));
        c.stripe_api_base.clone_from(&self.stripe_api_base);
        c.operators.idle = Duration::from_secs(self.admin_idle_minutes.max(1).saturating_mul(60));
        c.operators.absolute =
            Duration::from_secs(self.admin_session_hours.max(1).saturating_mul(3600));
        self.abuse.apply(&mut c);
        c.media_from_env();
        c.captcha_from_env();
        if let Some(dir) = &self.media_dir {
            c.media_dir = Some(dir.clone());
        }
        if let Some(url) = self.public_url.as_ref().filter(|u| !u.is_empty()) {
            c.public_url = Some(url.clone());
        }
        // Behind a TLS proxy the public URL is https: the console cookie is then Secure.
        c.operators.secure_cookie = c
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        c
    }

    pub(crate) fn project_source(&self) -> ProjectSource {
        match (&self.project, self.demo) {
            (Some(p), _) => ProjectSource::File(p.clone()),
            (None, true) => ProjectSource::Demo,
            (None, false) => ProjectSource::Stored,
        }
    }
}

/// Connections the kernel may hold completed before the server accepts them. tokio's default
/// (1024) overflowed when thousands of clients connected at once: the kernel then drops their
/// handshakes and retries for seconds, which looks like a stalled server from outside.
const LISTEN_BACKLOG: u32 = 4096;

async fn listen(addr: &str) -> std::io::Result<tokio::net::TcpListener> {
    let addr = tokio::net::lookup_host(addr).await?.next().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "the address resolves to nothing",
        )
    })?;
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// Resolves on SIGINT or SIGTERM.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

pub(crate) async fn run(args: ServeArgs) -> anyhow::Result<()> {
    if args.argon2_m_kib < Argon2Params::PRODUCTION.m_kib
        || args.argon2_t < Argon2Params::PRODUCTION.t
    {
        tracing::warn!("argon2 parameters are below OWASP's minimum: use them for tests only");
    }
    let listener = listen(&args.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
    let mut config = args.config();
    config.uploads_from_env().map_err(anyhow::Error::msg)?;
    config.relay_from_env()?;
    config.ws_from_env()?;
    config.smtp_from_env().map_err(anyhow::Error::msg)?;
    config.push_from_env();
    let app = App::build(config, Arc::new(SystemClock), args.project_source()).await?;
    if app.app_token_generated {
        eprintln!(
            "Generated an app token for this install (send it as x-app-token): {}",
            app.app_token
        );
    } else if args.app_token.is_none() {
        eprintln!("App token (x-app-token): {}", app.app_token);
    }
    let addr = listener.local_addr()?;
    // Machine-readable readiness line: test harnesses wait for it.
    println!("openentry listening on http://{addr}");
    app.serve(listener, shutdown_signal()).await;
    Ok(())
}

//! What every handler can reach: pool, clock, project, keys, hasher, configuration, and the
//! token that stops the background tasks.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use openentry_domain::clock::{Clock, Timestamp};
use openentry_store::Db;
use tokio_util::sync::CancellationToken;

use crate::auth::passwords::Passwords;
use crate::auth::tokens::Keys;
use crate::config::Config;
use crate::media::MediaStore;
use crate::notify::Notifier;
use crate::project::{Project, ProjectHandle};

/// Shared application state (cheap to clone).
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The injected clock.
    pub clock: Arc<dyn Clock>,
    /// The served project.
    pub project: Arc<ProjectHandle>,
    /// Token and code keys.
    pub keys: Arc<Keys>,
    /// Password hashing pool.
    pub passwords: Arc<Passwords>,
    /// Configuration.
    pub config: Arc<Config>,
    /// Delivery of messages to users.
    pub notifier: Arc<dyn Notifier>,
    /// Where media files live (imported with the project, served at `/media/…`).
    pub media: Arc<dyn MediaStore>,
    /// Client for payment providers' APIs.
    pub http: reqwest::Client,
    /// Cancelled when the server shuts down: every background task (project poller, expiry
    /// sweeper, purger) stops on it, so none runs against a database being closed.
    pub shutdown: CancellationToken,
    /// Request counts of this node since it started (`System.getApiStat`).
    pub stats: Arc<crate::system::ApiStats>,
    /// Prometheus metrics of this node (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Checks the captcha tokens of forms' spam fields; `None` when none is configured.
    pub spam: Option<Arc<dyn crate::spam::SpamVerifier>>,
    /// The WebSocket server of this node (socket.io, `WS.connect`).
    pub ws: crate::ws::Hub,
    /// The SMTP client e-mail deliveries go out through; `None`: no e-mail (the log notifier).
    pub mailer: Option<Arc<crate::relay::email::Mailer>>,
    /// The FCM client push deliveries go out through; `None`: no push.
    pub pusher: Option<Arc<crate::relay::push::Pusher>>,
}

impl AppState {
    /// The current time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Runs `work` every `every`, the first time after `first`, until [`Self::shutdown`] is
    /// cancelled (the server stopped, or its `App` was dropped): the one loop every background
    /// task uses.
    pub(crate) fn spawn_periodic<F, Fut>(
        &self,
        name: &'static str,
        first: Duration,
        every: Duration,
        work: F,
    ) where
        F: Fn(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + first, every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    () = state.shutdown.cancelled() => break,
                    _ = tick.tick() => {}
                }
                work(state.clone()).await;
            }
            tracing::debug!(task = name, "background task stopped");
        });
    }

    /// The current project.
    pub fn project(&self) -> Arc<Project> {
        self.project.get()
    }
}

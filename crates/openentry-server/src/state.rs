//! What every handler can reach: pool, clock, project, keys, hasher, configuration.

use std::sync::Arc;

use openentry_domain::clock::{Clock, Timestamp};
use openentry_store::Db;

use crate::auth::passwords::Passwords;
use crate::auth::tokens::Keys;
use crate::config::Config;
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
    /// Client for payment providers' APIs.
    pub http: reqwest::Client,
}

impl AppState {
    /// The current time.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The current project.
    pub fn project(&self) -> Arc<Project> {
        self.project.get()
    }
}

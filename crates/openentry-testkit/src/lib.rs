//! Boots a real OpenEntry server per test: the production router on `127.0.0.1:0`, a fresh
//! database (a temp SQLite file, or a new PostgreSQL database when
//! `OPENENTRY_TEST_DATABASE_URL` names a server), a manual clock the test moves, and cheap
//! argon2 parameters. The listener is bound before the server starts, so no test waits.

// Test support: a failed setup step should fail the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod calls;
mod fixtures;
pub mod operators;
pub mod sdk;
pub mod smtp;

use std::sync::Arc;

use openentry_domain::clock::{ManualClock, Timestamp};
use openentry_server::config::Argon2Params;
use openentry_server::{App, Config, ProjectSource};
use serde_json::Value;
use tokio::sync::oneshot;

pub use fixtures::{ORDERS, PASSWORD, auth_body, order_body, sign_up_body, unique_email};

/// The test catalog (fixtures/test-catalog.toml): the small shop the tests assert on.
pub const TEST_CATALOG: &str = include_str!("../fixtures/test-catalog.toml");

/// The test catalog as a project source for [`TestServer::spawn_with`].
pub fn test_catalog() -> ProjectSource {
    ProjectSource::File(std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/test-catalog.toml"
    )))
}

/// A project definition written to a file of its own (kept for the test's life), as a
/// project source.
pub fn project_file(text: &str) -> ProjectSource {
    let dir = tempfile::tempdir().unwrap().keep();
    let file = dir.join("project.toml");
    std::fs::write(&file, text).unwrap();
    ProjectSource::File(file)
}

/// The test catalog followed by `extra` (events, forms, webhooks…), as a project source.
pub fn test_catalog_with(extra: &str) -> ProjectSource {
    project_file(&format!("{TEST_CATALOG}\n{extra}"))
}

/// The start time of every test clock: 2026-06-06T11:38:21.644Z, the seed's `createdDate`.
pub const T0: Timestamp = Timestamp(1_780_745_901_644);

/// A running server and what a test needs to talk to it.
#[derive(Debug)]
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// A valid `x-app-token`.
    pub app_token: String,
    /// The admin API token.
    pub admin_token: String,
    /// The server's clock.
    pub clock: ManualClock,
    /// A plain HTTP client.
    pub http: reqwest::Client,
    /// The database the server uses (for a second node).
    pub database_url: String,
    /// The media store's directory (shared with a second node).
    pub media_dir: Option<std::path::PathBuf>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    pg: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body as JSON (`Null` when it is not JSON).
    pub body: Value,
}

impl Resp {
    /// `body["message"]` as a string.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or_default()
    }
}

/// Test configuration: cheap argon2, tokens set, short timeouts.
pub fn test_config(database_url: &str) -> Config {
    let mut c = Config::new(database_url);
    c.argon2 = Argon2Params::TESTING;
    c.app_token = Some("test-app-token-0123456789".to_owned());
    c.admin_token = Some("test-admin-token-0123456789".to_owned());
    c.hash_concurrency = 2;
    c.hash_queue = 64;
    c.db_max_connections = 8;
    c
}

/// The PostgreSQL server tests create their databases on (`OPENENTRY_TEST_DATABASE_URL`), or
/// `None` to test on SQLite. Test configuration, so the one place tests read it.
// Configuration: the environment chooses the test database.
#[allow(clippy::disallowed_methods)]
pub fn test_database_admin_url() -> Option<String> {
    std::env::var("OPENENTRY_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

fn random_name(prefix: &str) -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap_or_default();
    format!("{prefix}_{}", hex::encode(b))
}

impl TestServer {
    /// The test catalog on a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}, test_catalog()).await
    }

    /// A server whose configuration the test adjusts, serving `project`.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config), project: ProjectSource) -> Self {
        // One temporary directory per server: the SQLite file and the media store.
        let dir = tempfile::tempdir().unwrap();
        let (database_url, pg) = if let Some(admin) = test_database_admin_url() {
            let name = random_name("oe_test");
            let url = openentry_store::testdb::create_postgres(&admin, &name)
                .await
                .unwrap();
            (url, Some((admin, name)))
        } else {
            (
                format!("sqlite://{}", dir.path().join("test.db").display()),
                None,
            )
        };
        let mut config = test_config(&database_url);
        config.media_dir = Some(dir.path().join("media"));
        adjust(&mut config);
        let dir = Some(dir);
        Self::boot(config, project, ManualClock::new(T0), pg, dir).await
    }

    /// Another node on the same database (what a second server process would be).
    pub async fn second_node(&self) -> Self {
        self.second_node_with(|_| {}).await
    }

    /// Another node on the same database, its configuration adjusted by the test.
    pub async fn second_node_with(&self, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = test_config(&self.database_url);
        config.media_dir.clone_from(&self.media_dir);
        adjust(&mut config);
        Self::boot(
            config,
            ProjectSource::Stored,
            self.clock.clone(),
            None,
            None,
        )
        .await
    }

    /// Starts a server; it owns (drops with it) the PostgreSQL database `pg` (admin URL,
    /// name) or the SQLite directory `dir` it was given.
    async fn boot(
        config: Config,
        project: ProjectSource,
        clock: ManualClock,
        pg: Option<(String, String)>,
        dir: Option<tempfile::TempDir>,
    ) -> Self {
        let app_token = config.app_token.clone().unwrap_or_default();
        let admin_token = config.admin_token.clone().unwrap_or_default();
        let database_url = config.database_url.clone();
        let media_dir = config.media_dir.clone();
        let app = App::build(config, Arc::new(clock.clone()), project)
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.serve(listener, async {
            let _ = stopped.await;
        }));
        Self {
            url,
            app_token,
            admin_token,
            clock,
            http: reqwest::Client::new(),
            database_url,
            media_dir,
            stop: Some(stop),
            task: Some(task),
            pg,
            _dir: dir,
        }
    }

    /// Stops the server and waits until its connections are closed.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Drop the PostgreSQL database even when the test panicked; FORCE ends the server's
        // connections. A thread of its own, because Drop cannot await.
        if let Some((admin, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    let _ = rt.block_on(openentry_store::testdb::drop_postgres(&admin, &name));
                }
            })
            .join();
        }
    }
}

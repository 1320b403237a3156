//! Boots a real OpenEntry server per test: the production router on `127.0.0.1:0`, a fresh
//! database (a temp SQLite file, or a new PostgreSQL database when
//! `OPENENTRY_TEST_DATABASE_URL` names a server), a manual clock the test moves, and cheap
//! argon2 parameters. The listener is bound before the server starts, so no test waits.

// Test support: a failed setup step should fail the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use openentry_domain::clock::{ManualClock, Timestamp};
use openentry_server::config::Argon2Params;
use openentry_server::{App, Config, ProjectSource};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::oneshot;

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

fn random_name(prefix: &str) -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap_or_default();
    format!("{prefix}_{}", hex::encode(b))
}

impl TestServer {
    /// The demo project on a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}, ProjectSource::Demo).await
    }

    /// A server whose configuration the test adjusts, serving `project`.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config), project: ProjectSource) -> Self {
        let (database_url, pg, dir) = match std::env::var("OPENENTRY_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = random_name("oe_test");
                let url = openentry_store::testdb::create_postgres(&admin, &name)
                    .await
                    .unwrap();
                (url, Some((admin, name)), None)
            }
            _ => {
                let dir = tempfile::tempdir().unwrap();
                (
                    format!("sqlite://{}", dir.path().join("test.db").display()),
                    None,
                    Some(dir),
                )
            }
        };
        let mut config = test_config(&database_url);
        adjust(&mut config);
        let mut server = Self::boot(config, project, ManualClock::new(T0)).await;
        server.pg = pg;
        server._dir = dir;
        server
    }

    /// Another node on the same database (what a second server process would be).
    pub async fn second_node(&self) -> Self {
        let config = test_config(&self.database_url);
        Self::boot(config, ProjectSource::Stored, self.clock.clone()).await
    }

    async fn boot(config: Config, project: ProjectSource, clock: ManualClock) -> Self {
        let app_token = config.app_token.clone().unwrap_or_default();
        let admin_token = config.admin_token.clone().unwrap_or_default();
        let database_url = config.database_url.clone();
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
            stop: Some(stop),
            task: Some(task),
            pg: None,
            _dir: None,
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

    /// Sends a request with the app token, an optional Bearer and an optional JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("x-app-token", &self.app_token)
            .header("content-type", "application/json");
        if let Some(t) = bearer {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.body(b.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        Resp {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    /// `GET` with the app token.
    pub async fn get(&self, path: &str, bearer: Option<&str>) -> Resp {
        self.call(Method::GET, path, bearer, None).await
    }

    /// `POST` JSON with the app token.
    pub async fn post(&self, path: &str, bearer: Option<&str>, body: Value) -> Resp {
        self.call(Method::POST, path, bearer, Some(body)).await
    }

    /// Signs a user up with the demo provider `email`; asserts success.
    pub async fn sign_up(&self, email: &str, password: &str) -> Value {
        let r = self
            .post(
                "/api/content/users-auth-providers/marker/email/users/sign-up",
                None,
                sign_up_body(email, password),
            )
            .await;
        assert_eq!(r.status, 201, "sign-up failed: {:?}", r.body);
        r.body
    }

    /// Signs in with the demo provider; returns the raw answer.
    pub async fn auth(&self, email: &str, password: &str) -> Resp {
        self.post(
            "/api/content/users-auth-providers/marker/email/users/auth",
            None,
            auth_body(email, password),
        )
        .await
    }

    /// Signs in; returns `(accessToken, refreshToken)`.
    pub async fn sign_in(&self, email: &str, password: &str) -> (String, String) {
        let r = self.auth(email, password).await;
        assert_eq!(r.status, 200, "sign-in failed: {:?}", r.body);
        (
            r.body["accessToken"].as_str().unwrap().to_owned(),
            r.body["refreshToken"].as_str().unwrap().to_owned(),
        )
    }

    /// Signs up and in; returns the access token.
    pub async fn user(&self, email: &str) -> String {
        self.sign_up(email, "correct horse battery").await;
        self.sign_in(email, "correct horse battery").await.0
    }
}

/// The sign-up body the SDK sends.
pub fn sign_up_body(email: &str, password: &str) -> Value {
    json!({
        "formIdentifier": "reg",
        "authData": [{"marker": "email_reg", "value": email}, {"marker": "password_reg", "value": password}],
        "formData": {"en_US": [{"marker": "name", "type": "string", "value": "Christina Thomas"}]},
        "notificationData": {"email": email, "phonePush": []},
        "langCode": "en_US"
    })
}

/// The sign-in body the SDK sends.
pub fn auth_body(email: &str, password: &str) -> Value {
    json!({"authData": [{"marker": "email_reg", "value": email}, {"marker": "password_reg", "value": password}]})
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

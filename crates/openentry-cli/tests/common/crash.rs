//! The crash tests' shared pieces (docs/operations.md, "Crash matrix"): a real `openentry serve`
//! process killed with SIGKILL when dropped, the database it runs on, the project with a webhook,
//! users' sessions, and what the server stores.

// Each test uses its part of this module.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use crate::listening;

pub const BIN: &str = env!("CARGO_BIN_EXE_openentry");

/// The server binary the crash tests start: `OPENENTRY_CRASH_BIN` (scripts/crash-matrix sets
/// it to a release build with `CRASH_BIN`), else the one cargo built with the tests.
pub fn bin() -> String {
    #[allow(clippy::disallowed_methods)] // a test parameter: scripts/crash-matrix sets it
    let chosen = std::env::var("OPENENTRY_CRASH_BIN").ok();
    chosen
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| BIN.to_owned())
}
pub const APP_TOKEN: &str = "crash-app-token";
pub const ADMIN_TOKEN: &str = "crash-admin-token";
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
pub const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";

/// A running server process and its base URL; SIGKILLed when dropped (no shutdown, no flush),
/// so a failing test leaves no process behind either.
pub struct Server {
    child: Child,
    pub base: String,
}

/// Starts `openentry serve` on `database_url` with the project `project` (the demo when
/// `None`), the relay fast (its lease `lease_ms`) and the webhook secret set.
pub fn serve(database_url: &str, project: Option<&Path>, lease_ms: u64) -> Server {
    let mut cmd = Command::new(bin());
    cmd.args(["serve", "--listen", "127.0.0.1:0"]);
    match project {
        Some(p) => cmd.arg("--project").arg(p),
        None => cmd.arg("--demo"),
    };
    let mut child = cmd
        .args(["--database-url", database_url, "--app-token", APP_TOKEN])
        .args(["--admin-token", ADMIN_TOKEN])
        .env("OPENENTRY_ARGON2_M_KIB", "256")
        .env("OPENENTRY_ARGON2_T", "1")
        .env("BACKOFFICE_WEBHOOK_SECRET", SECRET)
        .env("OPENENTRY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")
        .env("OPENENTRY_RELAY_INTERVAL_MS", "20")
        .env("OPENENTRY_RELAY_LEASE_MS", lease_ms.to_string())
        .env("OPENENTRY_RELAY_BACKOFF_BASE_MS", "20")
        .env("OPENENTRY_RELAY_BACKOFF_MAX_MS", "200")
        .env("OPENENTRY_WEBHOOK_TIMEOUT_MS", "60000")
        // The whole load comes from 127.0.0.1: not an abuser to cut off.
        .env("OPENENTRY_MAX_CONNECTIONS_PER_ADDRESS", "100000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = listening::base_url(&mut child);
    Server { child, base }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test-catalog project with an `order_created` webhook to `url`.
pub fn project_file(dir: &Path, url: &str) -> PathBuf {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openentry-testkit/fixtures/test-catalog.toml"
    ))
    .unwrap();
    let file = dir.join("crash.toml");
    let hook = format!(
        "\n[[events]]\nidentifier = \"order_in\"\nmodule = \"orders\"\n\
         condition = \"order_created\"\nchannels = [\"webhook\"]\n\n\
         [[webhooks]]\nidentifier = \"backoffice\"\nurl = \"{url}\"\n\
         secret_env = \"BACKOFFICE_WEBHOOK_SECRET\"\nevents = [\"order_in\"]\n"
    );
    std::fs::write(&file, format!("{base}{hook}")).unwrap();
    file
}

/// The PostgreSQL admin URL the suite runs against, if any.
pub fn pg_admin() -> Option<String> {
    #[allow(clippy::disallowed_methods)] // configuration: the environment chooses the database
    let url = std::env::var("OPENENTRY_TEST_DATABASE_URL").ok();
    url.filter(|u| !u.is_empty())
}

/// A reading of a whole-number test parameter (`OPENENTRY_CRASH_*`; scripts/crash-matrix).
pub fn param(name: &str, default: usize) -> usize {
    #[allow(clippy::disallowed_methods)] // test parameters: scripts/crash-matrix sets them
    let value = std::env::var(name).ok();
    value.map_or(default, |v| v.parse().expect(name))
}

/// The database a test runs on: a file in `dir` on SQLite, a database of its own on PostgreSQL.
pub struct Db {
    pub url: String,
    pub file: Option<PathBuf>,
    pg: Option<(String, String)>,
}

pub async fn database(dir: &Path, name: &str) -> Db {
    if let Some(admin) = pg_admin() {
        let db = format!("oe_{name}_{}", std::process::id());
        let url = openentry_store::testdb::create_postgres(&admin, &db)
            .await
            .unwrap();
        return Db {
            url,
            file: None,
            pg: Some((admin, db)),
        };
    }
    let file = dir.join(format!("{name}.db"));
    Db {
        url: format!("sqlite://{}", file.display()),
        file: Some(file),
        pg: None,
    }
}

impl Db {
    /// The SQLite file passes `PRAGMA integrity_check` (nothing to check on PostgreSQL).
    pub fn integrity_ok(&self) {
        let Some(file) = &self.file else { return };
        let conn = rusqlite::Connection::open(file).unwrap();
        let verdict: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(verdict, "ok");
    }

    pub async fn drop_pg(self) {
        if let Some((admin, name)) = self.pg {
            openentry_store::testdb::drop_postgres(&admin, &name)
                .await
                .unwrap();
        }
    }
}

/// A signed-in user: the access token and the latest refresh token.
#[derive(Clone, Debug)]
pub struct Session {
    pub access: String,
    pub refresh: String,
}

fn auth_url(base: &str, action: &str) -> String {
    format!("{base}/api/content/users-auth-providers/marker/email/users/{action}")
}

fn session_of(v: &Value) -> Session {
    Session {
        access: v["accessToken"].as_str().unwrap().to_owned(),
        refresh: v["refreshToken"].as_str().unwrap().to_owned(),
    }
}

/// Signs `email` up and in.
pub async fn sign_in(http: &reqwest::Client, base: &str, email: &str) -> Session {
    let body = json!({"authData": [
        {"marker": "email_reg", "value": email},
        {"marker": "password_reg", "value": "correct horse battery"}]});
    for action in ["sign-up", "auth"] {
        let r = http
            .post(auth_url(base, action))
            .header("x-app-token", APP_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{action}: {v}");
        if action == "auth" {
            return session_of(&v);
        }
    }
    unreachable!()
}

/// Rotates the session's refresh token: the session outlived what happened since it was
/// issued. An answer of 5xx (the database coming back) rolled back, so it is tried again. On
/// a connection of its own: a pooled one the server is closing would lose the answer.
pub async fn refresh(base: &str, session: &mut Session) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for _ in 0..100 {
        let r = http
            .post(auth_url(base, "refresh"))
            .header("x-app-token", APP_TOKEN)
            .json(&json!({"refreshToken": session.refresh}))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let v: Value = r.json().await.unwrap_or_default();
        if status.is_server_error() {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await; // backoff
            continue;
        }
        assert!(status.is_success(), "session lost: {status} {v}");
        *session = session_of(&v);
        return;
    }
    panic!("refresh kept failing with 5xx");
}

/// A total as exact text: createOrder answers a number (`579.7`), stored orders a string
/// (`"579.70"`) — a wire quirk of the platform.
pub fn amount(v: &Value) -> String {
    let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// Every order of the user with access token `token`.
pub async fn orders_of(http: &reqwest::Client, base: &str, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let r = http
            .get(format!("{base}{ORDERS}?limit=100&offset={}", out.len()))
            .header("x-app-token", APP_TOKEN)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "session lost: {}", r.status());
        let page: Value = r.json().await.unwrap();
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            return out;
        }
        out.extend(items);
    }
}

/// One order without a key, for tests that need a few before the load; its id.
pub async fn create_order(http: &reqwest::Client, base: &str, token: &str) -> i64 {
    let body = json!({"formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "K9"}]},
        "products": [{"productId": 15, "quantity": 1}]});
    let r = http
        .post(format!("{base}{ORDERS}"))
        .header("x-app-token", APP_TOKEN)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let v: Value = r.json().await.unwrap();
    v["id"].as_i64().unwrap()
}

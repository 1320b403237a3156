//! A real `openentry serve` process with the demo project, and the shop calls the backup and
//! migrate tests make on it, as raw HTTP (what a storefront sends).

// Each test binary includes this file and uses a part of it.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use super::listening;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_openentry");
pub(crate) const APP_TOKEN: &str = "backup-app-token";
pub(crate) const ADMIN_TOKEN: &str = "backup-admin-token-0123456789";
pub(crate) const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";
pub(crate) const PASSWORD: &str = "correct horse battery";

/// A running server; killed when dropped, so a failing test leaves no process behind.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

pub(crate) fn start(database_url: &str) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .args(["--database-url", database_url, "--app-token", APP_TOKEN])
        .args(["--admin-token", ADMIN_TOKEN])
        .env("OPENENTRY_ARGON2_M_KIB", "256")
        .env("OPENENTRY_ARGON2_T", "1")
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

/// Runs `openentry ARGS`; its success and what it said (stdout, stderr).
pub(crate) fn openentry(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn auth_url(base: &str, action: &str) -> String {
    format!("{base}/api/content/users-auth-providers/marker/email/users/{action}")
}

fn auth_body(email: &str) -> Value {
    json!({"authData": [
        {"marker": "email_reg", "value": email},
        {"marker": "password_reg", "value": PASSWORD}]})
}

/// Signs `email` in (signing it up first when `sign_up`); returns the access token.
pub(crate) async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    email: &str,
    sign_up: bool,
) -> String {
    if sign_up {
        let r = http
            .post(auth_url(base, "sign-up"))
            .header("x-app-token", APP_TOKEN)
            .json(&auth_body(email))
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "sign-up: {}",
            r.text().await.unwrap()
        );
    }
    let r = http
        .post(auth_url(base, "auth"))
        .header("x-app-token", APP_TOKEN)
        .json(&auth_body(email))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "auth: {}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    v["accessToken"].as_str().unwrap().to_owned()
}

pub(crate) fn order_body(n: usize) -> Value {
    json!({"formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Backup"}]},
        "products": [{"productId": 15, "quantity": 1 + n % 4}]})
}

/// Sends createOrder with `key`; the status and the body (`None`: no answer).
pub(crate) async fn create_order(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    key: &str,
    n: usize,
) -> Option<(u16, Value)> {
    let r = http
        .post(format!("{base}{ORDERS}"))
        .header("x-app-token", APP_TOKEN)
        .header("Idempotency-Key", key)
        .bearer_auth(token)
        .json(&order_body(n))
        .send()
        .await
        .ok()?;
    let status = r.status().as_u16();
    Some((status, r.json().await.unwrap_or_default()))
}

/// A GET (or, with a body, POST) as the user `token` (or the operator); status and body.
pub(crate) async fn call(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let req = match body {
        Some(b) => http.post(format!("{base}{path}")).json(&b),
        None => http.get(format!("{base}{path}")),
    };
    let r = req
        .header("x-app-token", APP_TOKEN)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

/// Every order of the user `token`, all pages.
pub(crate) async fn orders_of(http: &reqwest::Client, base: &str, token: &str) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let path = format!("{ORDERS}?limit=100&offset={}", out.len());
        let (status, page) = call(http, base, token, &path, None).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().unwrap().clone();
        if items.is_empty() {
            return out;
        }
        out.extend(items);
    }
}

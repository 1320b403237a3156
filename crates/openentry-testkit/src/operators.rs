//! Operators in tests: accounts and API tokens made through the management API, and console
//! sessions (cookie + CSRF token) made by signing in.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{Resp, TestServer};

/// The password every test operator gets.
pub const OPERATOR_PASSWORD: &str = "operator pass 2026";

/// A signed-in console session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The `Cookie` header value (`openentry_admin=...`).
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The sign-in answer.
    pub body: Value,
}

impl TestServer {
    /// Creates an admin account with `role` (through the owner's admin token); panics when
    /// the server refuses.
    pub async fn create_operator(&self, login: &str, role: &str) -> Value {
        let body = json!({"login": login, "password": OPERATOR_PASSWORD, "role": role});
        let r = self
            .admin(Method::POST, "/api/admin/operators", Some(body))
            .await;
        assert_eq!(r.status, 200, "create operator: {:?}", r.body);
        r.body
    }

    /// An API token with `role`.
    pub async fn operator_token(&self, name: &str, role: &str) -> String {
        let body = json!({"name": name, "role": role});
        let r = self
            .admin(Method::POST, "/api/admin/tokens", Some(body))
            .await;
        assert_eq!(r.status, 200, "create token: {:?}", r.body);
        r.body["token"].as_str().unwrap_or_default().to_owned()
    }

    /// `POST /api/admin/sign-in` as it is answered.
    pub async fn operator_sign_in(&self, login: &str, password: &str, totp: Option<&str>) -> Resp {
        let mut body = json!({"login": login, "password": password});
        if let Some(code) = totp {
            body["totp"] = json!(code);
        }
        let req = self
            .http
            .post(format!("{}/api/admin/sign-in", self.url))
            .json(&body);
        Resp::read(req.send().await.unwrap()).await
    }

    /// Signs in and returns the session; panics when refused.
    pub async fn session(&self, login: &str) -> Session {
        let r = self.operator_sign_in(login, OPERATOR_PASSWORD, None).await;
        assert_eq!(r.status, 200, "sign in: {:?}", r.body);
        let set = r.headers["set-cookie"].to_str().unwrap().to_owned();
        let cookie = set.split(';').next().unwrap().to_owned();
        Session {
            cookie,
            csrf: r.body["csrfToken"].as_str().unwrap().to_owned(),
            body: r.body,
        }
    }

    /// A management call with a session's cookie, and its CSRF token when `csrf`.
    pub async fn as_session(
        &self,
        s: &Session,
        csrf: bool,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("cookie", &s.cookie);
        if csrf {
            req = req.header("x-csrf-token", &s.csrf);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::read(req.send().await.unwrap()).await
    }

    /// A management call with a given Bearer token.
    pub async fn as_token(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::read(req.send().await.unwrap()).await
    }
}

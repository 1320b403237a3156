//! Requests a test sends: the Content API with the app token, and the admin API with the admin
//! token. Every helper returns the raw answer; the test asserts what it cares about.

use reqwest::Method;
use serde_json::Value;

use crate::{Resp, TestServer};

impl TestServer {
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
        Resp::read(req.send().await.unwrap()).await
    }

    /// `GET` with the app token.
    pub async fn get(&self, path: &str, bearer: Option<&str>) -> Resp {
        self.call(Method::GET, path, bearer, None).await
    }

    /// `POST` JSON with the app token.
    pub async fn post(&self, path: &str, bearer: Option<&str>, body: Value) -> Resp {
        self.call(Method::POST, path, bearer, Some(body)).await
    }

    /// An admin API call: the admin token as Bearer, no app token (the operator API does not
    /// take one), and an optional JSON body.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.admin_token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        Resp::read(req.send().await.unwrap()).await
    }

    /// The digits of the last one-time code queued for `recipient`, read through the admin
    /// notification outbox (the server sends no mail in tests).
    pub async fn last_code(&self, recipient: &str) -> String {
        let path = format!("/api/admin/notifications?recipient={recipient}");
        let list = self.admin(Method::GET, &path, None).await.body;
        let body = list[0]["body"].as_str().unwrap().to_owned();
        body.split("code is ")
            .nth(1)
            .unwrap()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect()
    }
}

impl Resp {
    pub(crate) async fn read(res: reqwest::Response) -> Self {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        Resp {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }
}

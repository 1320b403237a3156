//! A stand-in for Google's OAuth token endpoint and FCM's HTTP v1 API, on 127.0.0.1:0: it
//! checks the JWT-bearer grant's signature with the public half of the test-only key pair in
//! `fcm/` (never a real account's), issues numbered access tokens, and records each message
//! with the bearer it came with. Answers per device token can be scripted.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use openentry_server::config::PushSettings;
use serde_json::{Value, json};

/// The test-only key pair (generated for these tests; it guards nothing).
const PRIVATE_KEY: &str = include_str!("fcm/test-only-private-key.pem");
const PUBLIC_KEY: &str = include_str!("fcm/test-only-public-key.pem");
pub(super) const CLIENT_EMAIL: &str = "relay@openentry-test.iam.gserviceaccount.com";
pub(super) const PROJECT: &str = "openentry-test";

/// One message FCM got.
#[derive(Debug, Clone)]
pub(super) struct Pushed {
    pub(super) bearer: String,
    pub(super) message: Value,
}

#[derive(Debug, Default)]
struct Inner {
    /// Grants answered with an access token.
    grants: usize,
    /// `iat` of each grant's JWT.
    issued_at: Vec<i64>,
    pushed: Vec<Pushed>,
    /// Scripted answers per device token (status, FCM error code), used up in order.
    script: HashMap<String, VecDeque<(u16, &'static str)>>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct FakeFcm {
    inner: Arc<Mutex<Inner>>,
    pub(super) url: String,
}

impl FakeFcm {
    /// Answers the next messages to `token` with `answers` (then 200).
    pub(super) fn script(&self, token: &str, answers: &[(u16, &'static str)]) {
        let mut inner = self.inner.lock().unwrap();
        inner
            .script
            .entry(token.to_owned())
            .or_default()
            .extend(answers.iter().copied());
    }

    pub(super) fn grants(&self) -> usize {
        self.inner.lock().unwrap().grants
    }

    pub(super) fn issued_at(&self) -> Vec<i64> {
        self.inner.lock().unwrap().issued_at.clone()
    }

    pub(super) fn pushed(&self) -> Vec<Pushed> {
        self.inner.lock().unwrap().pushed.clone()
    }

    /// Messages to one device token.
    pub(super) fn pushed_to(&self, token: &str) -> Vec<Pushed> {
        self.pushed()
            .into_iter()
            .filter(|p| p.message["message"]["token"] == token)
            .collect()
    }

    /// A service-account key file naming this stand-in, and the settings that use it.
    pub(super) fn settings(&self) -> PushSettings {
        let key_file = json!({
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": "test-only",
            "private_key": PRIVATE_KEY,
            "client_email": CLIENT_EMAIL,
            "token_uri": format!("{}/token", self.url),
        });
        let dir = tempfile::tempdir().unwrap().keep();
        let path: PathBuf = dir.join("service-account.json");
        std::fs::write(&path, key_file.to_string()).unwrap();
        let mut settings = PushSettings::new(path);
        settings.fcm_url.clone_from(&self.url);
        settings
    }
}

/// The PKCS#1 DER of the test public key.
fn public_der() -> Vec<u8> {
    let b64: String = PUBLIC_KEY
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

async fn token(State(f): State<FakeFcm>, body: String) -> Response {
    let field = |name: &str| {
        body.split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        field("grant_type"),
        "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
    );
    let mut v = Validation::new(Algorithm::RS256);
    // The server signs with its manual clock, long before today: `iat` is checked below.
    v.validate_exp = false;
    v.set_audience(&[format!("{}/token", f.url)]);
    v.set_issuer(&[CLIENT_EMAIL]);
    v.set_required_spec_claims(&["exp", "iss", "aud"]);
    let key = DecodingKey::from_rsa_der(&public_der());
    let Ok(jwt) = jsonwebtoken::decode::<Value>(&field("assertion"), &key, &v) else {
        return (StatusCode::BAD_REQUEST, "invalid_grant").into_response();
    };
    let claims = jwt.claims;
    assert_eq!(
        claims["scope"],
        "https://www.googleapis.com/auth/firebase.messaging"
    );
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["exp"].as_i64().unwrap(), iat + 3600);
    let mut inner = f.inner.lock().unwrap();
    inner.grants += 1;
    inner.issued_at.push(iat);
    let access = format!("ya29.test-{}", inner.grants);
    axum::Json(json!({"access_token": access, "expires_in": 3599, "token_type": "Bearer"}))
        .into_response()
}

async fn send(
    State(f): State<FakeFcm>,
    Path(project): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    assert_eq!(project, PROJECT);
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let message: Value = serde_json::from_str(&body).unwrap();
    let device = message["message"]["token"].as_str().unwrap().to_owned();
    let mut inner = f.inner.lock().unwrap();
    inner.pushed.push(Pushed { bearer, message });
    let next = inner.script.get_mut(&device).and_then(VecDeque::pop_front);
    match next {
        Some((status, code)) => {
            let status = StatusCode::from_u16(status).unwrap();
            let body = json!({"error": {
                "code": status.as_u16(),
                "message": "scripted",
                "status": code,
                "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}],
            }});
            (status, axum::Json(body)).into_response()
        }
        None => axum::Json(
            json!({"name": format!("projects/{PROJECT}/messages/{}", inner.pushed.len())}),
        )
        .into_response(),
    }
}

/// Starts the stand-in.
pub(super) async fn start() -> FakeFcm {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let fake = FakeFcm {
        url: format!("http://{}", listener.local_addr().unwrap()),
        ..FakeFcm::default()
    };
    let app = Router::new()
        .route("/token", post(token))
        .route("/v1/projects/{project}/messages:send", post(send))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    fake
}

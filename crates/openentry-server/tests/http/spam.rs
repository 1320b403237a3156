//! `spam` (captcha) fields (tests/sdk/spam.toml): a submission carries a token the configured
//! verifier accepts, or it is refused; the token is never stored. The verifier is a local
//! stand-in of a `siteverify` endpoint that says yes to one token only.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use bytes::Bytes;
use openentry_server::ProjectSource;
use openentry_testkit::TestServer;
use serde_json::{Value, json};

use crate::email;

const SECRET: &str = "captcha-secret-1";
const GOOD: &str = "good-token";
const FORM_DATA: &str = "/api/content/form-data";
const SIGN_UP: &str = "/api/content/users-auth-providers/marker/email/users/sign-up";
const ORDERS: &str = "/api/content/orders-storage/marker/orders/orders";

/// What the stand-in received: one form per call.
#[derive(Debug, Clone, Default)]
struct Verifier {
    url: String,
    calls: Arc<Mutex<Vec<BTreeMap<String, String>>>>,
}

impl Verifier {
    fn calls(&self) -> Vec<BTreeMap<String, String>> {
        self.calls.lock().unwrap().clone()
    }
}

/// `siteverify`: yes to `GOOD` with the right secret, no to anything else; `down` is a 500.
async fn siteverify(State(v): State<Verifier>, body: Bytes) -> (StatusCode, Json<Value>) {
    let form: BTreeMap<String, String> = String::from_utf8_lossy(&body)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    v.calls.lock().unwrap().push(form.clone());
    let field = |k: &str| form.get(k).map(String::as_str);
    if field("response") == Some("down") {
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({})));
    }
    let ok = field("secret") == Some(SECRET) && field("response") == Some(GOOD);
    (
        StatusCode::OK,
        Json(
            json!({"success": ok, "error-codes": if ok { json!([]) } else { json!(["invalid-input-response"]) }}),
        ),
    )
}

async fn verifier() -> Verifier {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let v = Verifier {
        url: format!("http://{}/siteverify", listener.local_addr().unwrap()),
        ..Verifier::default()
    };
    let app = Router::new()
        .route("/siteverify", post(siteverify))
        .with_state(v.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    v
}

fn project_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/sdk/spam.toml"
    ))
}

async fn spawn(v: &Verifier) -> TestServer {
    let url = v.url.clone();
    TestServer::spawn_with(
        move |c| {
            c.captcha_verify_url = Some(url);
            c.secrets
                .0
                .insert("OPENENTRY_CAPTCHA_SECRET".to_owned(), SECRET.to_owned());
        },
        ProjectSource::File(project_file()),
    )
    .await
}

fn contact(message: &str, captcha: Option<&str>) -> Value {
    let mut items = vec![json!({"marker": "message", "type": "string", "value": message})];
    if let Some(t) = captcha {
        items.push(json!({"marker": "captcha", "type": "spam", "value": t}));
    }
    json!({"formIdentifier": "contact", "formModuleConfigId": 0, "formData": {"en_US": items}})
}

#[tokio::test]
async fn a_submission_needs_a_token_the_verifier_accepts_and_the_token_is_never_stored() {
    let v = verifier().await;
    let s = spawn(&v).await;
    let missing = s.post(FORM_DATA, None, contact("Hello", None)).await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert!(
        missing.message().contains("\"captcha\" is a captcha"),
        "{}",
        missing.body
    );
    let empty = s.post(FORM_DATA, None, contact("Hello", Some(" "))).await;
    assert_eq!(empty.status, 400);
    assert!(v.calls().is_empty(), "nothing to verify yet");

    let refused = s
        .post(FORM_DATA, None, contact("Hello", Some("forged")))
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.message(),
        "The captcha was not accepted; solve it again"
    );
    let down = s
        .post(FORM_DATA, None, contact("Hello", Some("down")))
        .await;
    assert_eq!(down.status, 502, "{}", down.body);

    let ok = s.post(FORM_DATA, None, contact("Hello", Some(GOOD))).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        ok.body["formData"]["formData"],
        json!([{"marker": "message", "type": "string", "value": "Hello"}])
    );
    let calls = v.calls();
    assert_eq!(calls.len(), 3);
    let last = calls.last().unwrap();
    assert_eq!(last.get("secret").map(String::as_str), Some(SECRET));
    assert_eq!(last.get("response").map(String::as_str), Some(GOOD));
    assert_eq!(last.get("remoteip").map(String::as_str), Some("127.0.0.1"));

    // Operators are not asked for a token. Stored: the message alone, never a token.
    let by_operator = s
        .post(
            FORM_DATA,
            Some(&s.admin_token),
            contact("From the shop", None),
        )
        .await;
    assert_eq!(by_operator.status, 200, "{}", by_operator.body);
    assert_eq!(v.calls().len(), 3);
    let read = s
        .post(
            &format!("{FORM_DATA}/marker/contact?formModuleConfigId=0&langCode=en_US"),
            Some(&s.admin_token),
            json!({}),
        )
        .await;
    assert_eq!(read.body["total"], 2, "{}", read.body);
    assert!(!read.body.to_string().contains(GOOD), "{}", read.body);
    for item in read.body["items"].as_array().unwrap() {
        assert_eq!(item["formData"].as_array().unwrap().len(), 1, "{item}");
    }
}

fn sign_up(login: &str, captcha: Option<&str>) -> Value {
    let mut items = vec![json!({"marker": "name", "type": "string", "value": "Christina Thomas"})];
    if let Some(t) = captcha {
        items.push(json!({"marker": "captcha", "type": "spam", "value": t}));
    }
    json!({
        "formIdentifier": "reg",
        "authData": [{"marker": "email_reg", "value": login}, {"marker": "password_reg", "value": "correct horse battery"}],
        "formData": {"en_US": items},
        "notificationData": {"email": login, "phonePush": []},
        "langCode": "en_US"
    })
}

fn order(captcha: Option<&str>) -> Value {
    let mut items = vec![json!({"marker": "name", "type": "string", "value": "Christina Thomas"})];
    if let Some(t) = captcha {
        items.push(json!({"marker": "captcha", "type": "spam", "value": t}));
    }
    json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": items}, "products": [{"productId": 15, "quantity": 1}]
    })
}

#[tokio::test]
async fn sign_up_and_checkout_forms_check_their_captcha_too() {
    let v = verifier().await;
    let s = spawn(&v).await;
    let login = email("captcha");
    let r = s.post(SIGN_UP, None, sign_up(&login, None)).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s.post(SIGN_UP, None, sign_up(&login, Some("forged"))).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s.post(SIGN_UP, None, sign_up(&login, Some(GOOD))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(!r.body.to_string().contains(GOOD), "{}", r.body);

    let auth = s.auth(&login, "correct horse battery").await;
    assert_eq!(auth.status, 200, "{}", auth.body);
    let token = auth.body["accessToken"].as_str().unwrap().to_owned();
    let me = s
        .get("/api/content/users/me?langCode=en_US", Some(&token))
        .await;
    assert!(!me.body.to_string().contains(GOOD), "{}", me.body);

    let r = s.post(ORDERS, Some(&token), order(None)).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s.post(ORDERS, Some(&token), order(Some("forged"))).await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = s.post(ORDERS, Some(&token), order(Some(GOOD))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.body["formData"],
        json!([{"marker": "name", "type": "string", "value": "Christina Thomas"}])
    );
    let id = r.body["id"].as_i64().unwrap();
    let stored = s
        .get(&format!("{ORDERS}/{id}?langCode=en_US"), Some(&token))
        .await;
    assert!(!stored.body.to_string().contains(GOOD), "{}", stored.body);
    assert_eq!(v.calls().len(), 4);
}

#[tokio::test]
async fn a_spam_field_without_a_verifier_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut config =
        openentry_testkit::test_config(&format!("sqlite://{}", dir.path().join("t.db").display()));
    config.media_dir = Some(dir.path().join("media"));
    let clock = Arc::new(openentry_domain::clock::SystemClock);
    let source = ProjectSource::File(project_file());
    let err = openentry_server::App::build(config.clone(), Arc::clone(&clock) as _, source.clone())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(r#"form "reg", "order", "contact" has a spam (captcha) field, but no captcha verifier is configured"#),
        "{err}"
    );
    // A verifier URL without its secret is refused too.
    config.captcha_verify_url = Some("http://127.0.0.1:9/siteverify".to_owned());
    let err = openentry_server::App::build(config, clock, source)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("OPENENTRY_CAPTCHA_SECRET is not"), "{err}");
}

/// A project imported later (by `openentry project import`, another process) may add a spam
/// field to a node that has no verifier: the node keeps serving, and those forms answer 503
/// rather than take submissions nobody checks.
#[tokio::test]
async fn a_reloaded_spam_field_without_a_verifier_closes_its_form_with_503() {
    let text = std::fs::read_to_string(project_file()).unwrap();
    let plain = text
        .replace("  { marker = \"captcha\", type = \"spam\" },\n", "")
        .replace(
            "  { marker = \"captcha\", type = \"spam\", required = true },\n",
            "",
        );
    assert!(!plain.contains("\"spam\""));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.toml");
    std::fs::write(&file, &plain).unwrap();
    let s = TestServer::spawn_with(
        |c| c.project_poll = std::time::Duration::from_millis(5),
        ProjectSource::File(file),
    )
    .await;
    let before = s.post(FORM_DATA, None, contact("Hello", None)).await;
    assert_eq!(before.status, 200, "{}", before.body);

    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        s.database_url.clone(),
    ))
    .await
    .unwrap();
    let media =
        openentry_server::media::local::LocalDir::open(s.media_dir.as_ref().unwrap()).unwrap();
    openentry_server::project::import_text(&db, &media, &s.clock, "spam.toml", &text)
        .await
        .unwrap();
    db.close().await;
    // Asks (without sleeping) until the node serves the new revision.
    let form = "/api/content/forms/marker/contact?langCode=en_US";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !s
        .get(form, None)
        .await
        .body
        .to_string()
        .contains("\"spam\"")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the node never reloaded"
        );
    }
    let after = s.post(FORM_DATA, None, contact("Hello", Some(GOOD))).await;
    assert_eq!(after.status, 503, "{}", after.body);
    assert!(
        after.message().contains("no captcha verifier"),
        "{}",
        after.body
    );
}

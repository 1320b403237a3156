//! One-time codes and the users module's events by e-mail, through a real SMTP server: the
//! activation code mailed at sign-up activates the account (`activateUser`, as the SDK calls
//! it); a project's `code_request` event words the code mail in the user's locale; sign-up and
//! password changes fire their events.

use openentry_server::ProjectSource;
use openentry_testkit::smtp::SmtpSink;
use openentry_testkit::{TestServer, unique_email};
use reqwest::Method;
use serde_json::{Value, json};

use super::{log, pass};

/// The code-checking e-mail provider of the code tests.
const PROVIDER: &str = crate::codes::PROJECT;

const EVENTS: &str = r#"
[[events]]
identifier = "code_mail"
module = "users"
condition = "code_request"
recipients = ["user"]
channels = ["email"]
[events.messages.en_US]
subject = "Your code"
text = "Code: {{code}} ({{event.purpose}}, {{event.validMinutes}} min)"
[events.messages.de_DE]
subject = "Dein Code"
text = "Hallo {{user.name}}, dein Code: {{code}}"
html = "<p>Dein Code: <b>{{code}}</b></p>"

[[events]]
identifier = "welcome"
module = "users"
condition = "sign_up"
recipients = ["user"]
channels = ["email"]
[events.messages.en_US]
subject = "Welcome"
text = "Welcome, {{user.login}}"
[events.messages.de_DE]
subject = "Willkommen"
text = "Willkommen, {{user.name}}"

[[events]]
identifier = "password_changed"
module = "users"
condition = "password_change"
recipients = ["user"]
channels = ["email"]
[events.messages.en_US]
subject = "Password changed"
text = "Your password was changed."
"#;

async fn server(sink: &SmtpSink, project: &str) -> (TestServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, project).unwrap();
    let settings = sink.settings();
    let s = TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.smtp = Some(settings);
        },
        ProjectSource::File(path),
    )
    .await;
    (s, dir)
}

fn path(action: &str) -> String {
    format!("/api/content/users-auth-providers/marker/email/users/{action}")
}

async fn sign_up(s: &TestServer, e: &str, lang: &str) {
    let body = json!({
        "formIdentifier": "reg",
        "authData": [{"marker": "email_reg", "value": e}, {"marker": "password_reg", "value": "correct horse battery"}],
        "formData": { lang: [{"marker": "name", "type": "string", "value": "Bernd"}] },
        "notificationData": {"email": e, "phonePush": []},
        "langCode": lang
    });
    let r = s.post(&path("sign-up"), None, body).await;
    assert_eq!(r.status, 201, "{}", r.body);
}

/// The six digits after `after` in `text`.
fn digits_after(text: &str, after: &str) -> String {
    text.split(after)
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

fn field(m: &Value, key: &str) -> String {
    m[key].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_activation_code_arrives_by_mail_and_activates_the_account() {
    let sink = SmtpSink::start();
    let (s, _d) = server(&sink, PROVIDER).await;
    let e = unique_email("mail");
    sign_up(&s, &e, "en_US").await;
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 403);
    let report = pass(&s).await;
    assert_eq!(report["sent"], 1, "{report}");
    let mail = sink.messages_to(&e);
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(field(&mail[0], "subject"), "Your email code");
    let code = digits_after(&field(&mail[0], "text"), "code is ");
    assert_eq!(code.len(), 6, "{}", mail[0]);
    // The operators' copy in the admin API is the same code, as before.
    assert_eq!(s.last_code(&e).await, code);
    let r = s
        .post(
            &path("activate"),
            None,
            json!({"userIdentifier": e, "code": code}),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(s.auth(&e, "correct horse battery").await.status, 200);
    let entries = log(&s).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["event"], "one_time_code");
    assert_eq!(entries[0]["state"], "sent");
}

#[tokio::test]
async fn users_events_mail_in_the_users_locale_and_the_code_uses_the_projects_words() {
    let sink = SmtpSink::start();
    let project = format!(
        "[project]\nname = \"Laden\"\nlocales = [\"en_US\", \"de_DE\"]\n{PROVIDER}{EVENTS}"
    );
    let (s, _d) = server(&sink, &project).await;
    let e = unique_email("de");
    sign_up(&s, &e, "de_DE").await;
    let report = pass(&s).await;
    assert_eq!(report["sent"], 2, "{report}");
    let mut mail = sink.messages_to(&e);
    mail.sort_by_key(|m| field(m, "subject"));
    let subjects: Vec<String> = mail.iter().map(|m| field(m, "subject")).collect();
    assert_eq!(subjects, ["Dein Code", "Willkommen"]);
    let code = digits_after(&field(&mail[0], "text"), "Hallo Bernd, dein Code: ");
    assert_eq!(code.len(), 6, "{}", mail[0]);
    assert!(field(&mail[0], "html").contains(&format!("<b>{code}</b>")));
    assert_eq!(field(&mail[1], "text").trim(), "Willkommen, Bernd");
    let r = s
        .post(
            &path("activate"),
            None,
            json!({"userIdentifier": e, "code": code}),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));

    // A password reset: the code mail, then the change's own event.
    s.clock.advance_secs(31);
    let r = s
        .post(
            &path("generate-code"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "password"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(pass(&s).await["sent"], 1);
    let mail = sink.messages_to(&e);
    let code = digits_after(&field(&mail[2], "text"), "dein Code: ");
    assert_eq!(code.len(), 6, "{}", mail[2]);
    let r = s
        .post(
            &path("change-password"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "password", "code": code,
                   "type": 1, "password1": "another horse battery", "password2": "another horse battery"}),
        )
        .await;
    assert_eq!((r.status, r.body), (200, json!(true)));
    assert_eq!(pass(&s).await["sent"], 1);
    let mail = sink.messages_to(&e);
    assert_eq!(mail.len(), 4);
    // No German text: the default locale's.
    assert_eq!(field(&mail[3], "subject"), "Password changed");

    // Both codes went out as deliveries of the project's code event, with the user's address.
    let r = s
        .admin(Method::GET, "/api/admin/deliveries?event=code_mail", None)
        .await;
    let codes = r.body.as_array().unwrap();
    assert_eq!(codes.len(), 2, "{}", r.body);
    assert!(
        codes
            .iter()
            .all(|d| d["target"] == e.to_lowercase().as_str())
    );
}

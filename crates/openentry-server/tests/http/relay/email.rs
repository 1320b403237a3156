//! E-mail through a real SMTP server (tests/smtp/sink.py, aiosmtpd): an order reaching `paid`
//! mails its customer in their locale (text + HTML in one, text only in the other; values
//! escaped in HTML) and the operators; a dead SMTP server neither fails nor holds up checkout,
//! and its mail goes out once it is back.

use openentry_server::ProjectSource;
use openentry_testkit::smtp::{SmtpSink, free_port, smtp_settings};
use openentry_testkit::{ORDERS, PASSWORD, TestServer, order_body, sign_up_body, unique_email};
use reqwest::Method;
use serde_json::{Value, json};

use super::{log, pass};

const EVENTS: &str = r#"
[[attribute_sets]]
identifier = "profile"
title = { en_US = "Profile" }
attributes = [{ marker = "email", type = "string", title = { en_US = "E-mail" } }]

[[admins]]
identifier = "boss"
attribute_set = "profile"
values = { email = "boss@example.com" }

[[events]]
identifier = "order_paid"
module = "orders"
condition = "order_status"
storage = "orders"
status = "paid"
recipients = ["user", "operators"]
channels = ["email"]

[events.messages.en_US]
subject = "Order {{order.id}} is {{order.statusTitle}}"
text = "Hello {{user.name}}, we received {{order.total}} {{order.currency}} for order {{order.id}}."
html = "<p>Hello {{user.name}}, order <b>{{order.id}}</b> is paid.</p>"

[events.messages.de_DE]
subject = "Bestellung {{order.id}}: {{order.statusTitle}}"
text = "Hallo {{user.name}}, wir haben {{order.total}} {{order.currency}} für Bestellung {{order.id}} erhalten."
"#;

/// The test catalog in English and German, with the `order_paid` e-mail event.
pub(super) fn mail_shop() -> ProjectSource {
    mail_shop_with("")
}

/// [`mail_shop`] with more definitions.
pub(super) fn mail_shop_with(extra: &str) -> ProjectSource {
    let base = openentry_testkit::TEST_CATALOG
        .replace(
            r#"locales = ["en_US"]"#,
            r#"locales = ["en_US", "de_DE"]"#,
        )
        .replace(
            r#"{ identifier = "paid", title = { en_US = "Paid" }, paid = true }"#,
            r#"{ identifier = "paid", title = { en_US = "Paid", de_DE = "Bezahlt" }, paid = true }"#,
        );
    assert!(base.contains("de_DE = \"Bezahlt\""), "the fixture changed");
    openentry_testkit::project_file(&format!("{base}\n{EVENTS}\n{extra}"))
}

pub(super) async fn server(smtp_port: u16) -> TestServer {
    TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.smtp = Some(smtp_settings(smtp_port));
        },
        mail_shop(),
    )
    .await
}

/// A customer who signed up in `lang` with the name `name`; returns (address, access token).
pub(super) async fn customer(s: &TestServer, lang: &str, name: &str) -> (String, String) {
    let e = unique_email(lang);
    let mut body = sign_up_body(&e, PASSWORD);
    body["langCode"] = json!(lang);
    body["formData"] = json!({ lang: [{"marker": "name", "type": "string", "value": name}] });
    let r = s
        .post(
            "/api/content/users-auth-providers/marker/email/users/sign-up",
            None,
            body,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    (e.clone(), s.sign_in(&e, PASSWORD).await.0)
}

pub(super) async fn paid(s: &TestServer, token: &str) -> i64 {
    let r = s.post(ORDERS, Some(token), order_body("cash")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let path = format!("/api/admin/orders/{id}/status");
    let moved = s
        .admin(
            Method::PUT,
            &path,
            Some(json!({"statusIdentifier": "paid"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    id
}

fn text(m: &Value, key: &str) -> String {
    m[key].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_paid_order_mails_its_customer_in_their_locale_and_the_operators() {
    let sink = SmtpSink::start();
    let s = server(sink.port).await;
    let (ann, ann_token) = customer(&s, "en_US", "Ann <b>& Co</b>").await;
    let (bernd, bernd_token) = customer(&s, "de_DE", "Bernd").await;
    let ann_order = paid(&s, &ann_token).await;
    let bernd_order = paid(&s, &bernd_token).await;
    let report = pass(&s).await;
    assert_eq!(report["sent"], 4, "{report}");

    let mail = sink.messages_to(&ann);
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert_eq!(text(m, "subject"), format!("Order {ann_order} is Paid"));
    assert_eq!(text(m, "contentType"), "multipart/alternative");
    assert!(text(m, "from").contains("shop@example.com"), "{m}");
    assert_eq!(
        text(m, "text").trim_end(),
        format!("Hello Ann <b>& Co</b>, we received 400.00 USD for order {ann_order}.")
    );
    let html = text(m, "html");
    assert!(
        html.contains("Hello Ann &lt;b&gt;&amp; Co&lt;&#x2f;b&gt;"),
        "{html}"
    );
    assert!(html.contains(&format!("<b>{ann_order}</b>")), "{html}");
    assert!(!text(m, "messageId").is_empty());

    let mail = sink.messages_to(&bernd);
    assert_eq!(mail.len(), 1, "{mail:?}");
    let m = &mail[0];
    assert_eq!(
        text(m, "subject"),
        format!("Bestellung {bernd_order}: Bezahlt")
    );
    assert_eq!(text(m, "contentType"), "text/plain");
    assert!(m["html"].is_null(), "{m}");
    assert!(
        text(m, "text").starts_with("Hallo Bernd, wir haben ")
            && text(m, "text").contains(&format!("für Bestellung {bernd_order} erhalten.")),
        "{m}"
    );

    // The operator hears of both, in the project's default locale.
    let boss = sink.messages_to("boss@example.com");
    let mut subjects: Vec<String> = boss.iter().map(|m| text(m, "subject")).collect();
    subjects.sort();
    let mut want = vec![
        format!("Order {ann_order} is Paid"),
        format!("Order {bernd_order} is Paid"),
    ];
    want.sort();
    assert_eq!(subjects, want);

    let entries = log(&s).await;
    assert_eq!(entries.len(), 4);
    for e in &entries {
        assert_eq!(e["channel"], "email");
        assert_eq!(e["state"], "sent");
        assert_eq!(e["lastStatus"], 250);
    }
    let r = s
        .admin(
            Method::GET,
            &format!("/api/admin/deliveries?target={}", ann.to_lowercase()),
            None,
        )
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 1, "{}", r.body);
    // Nothing is sent twice.
    assert_eq!(pass(&s).await["claimed"], 0);
    assert_eq!(sink.messages().len(), 4);
}

#[tokio::test]
async fn a_dead_smtp_server_does_not_fail_checkout_and_its_mail_goes_out_when_it_is_back() {
    let port = free_port();
    let s = server(port).await;
    let (ann, token) = customer(&s, "en_US", "Ann").await;
    let order = paid(&s, &token).await;
    // Nothing listens: the attempts fail and wait for their retry; checkout went on.
    let report = pass(&s).await;
    assert_eq!(report["retried"], 2, "{report}");
    let entries = log(&s).await;
    for e in &entries {
        assert_eq!(e["state"], "pending", "{e}");
        assert!(
            e["lastError"]
                .as_str()
                .unwrap()
                .starts_with("SMTP 127.0.0.1:"),
            "{e}"
        );
    }
    let second = s.post(ORDERS, Some(&token), order_body("cash")).await;
    assert_eq!(second.status, 201, "{}", second.body);

    let sink = SmtpSink::start_on(port);
    // Not due before the backoff ends.
    assert_eq!(pass(&s).await["claimed"], 0);
    s.clock.advance_secs(3600);
    let report = pass(&s).await;
    assert_eq!(report["sent"], 2, "{report}");
    let mail = sink.messages_to(&ann);
    assert_eq!(mail.len(), 1);
    assert_eq!(text(&mail[0], "subject"), format!("Order {order} is Paid"));
    assert!(log(&s).await.iter().all(|e| e["state"] == "sent"));
}

#[tokio::test]
async fn checkout_does_not_wait_for_an_smtp_server_that_never_answers() {
    // A server that accepts connections and says nothing: each attempt waits for its timeout.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let s = TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            let mut smtp = smtp_settings(port);
            smtp.timeout = std::time::Duration::from_secs(5);
            c.smtp = Some(smtp);
        },
        mail_shop(),
    )
    .await;
    let (_, token) = customer(&s, "en_US", "Ann").await;
    paid(&s, &token).await;
    let relay = {
        let url = s.url.clone();
        let admin = s.admin_token.clone();
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(format!("{url}/api/admin/relay/run"))
                .bearer_auth(admin)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    // The pass has claimed its deliveries (they are `sending`) and waits on the silent server.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !log(&s).await.iter().any(|e| e["state"] == "sending") {
        assert!(
            std::time::Instant::now() < deadline,
            "the pass never claimed"
        );
        tokio::task::yield_now().await;
    }
    let started = std::time::Instant::now();
    let r = s.post(ORDERS, Some(&token), order_body("cash")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(
        !relay.is_finished(),
        "createOrder took {:?}, as long as the SMTP timeout",
        started.elapsed()
    );
    let report = relay.await.unwrap();
    assert_eq!(report["retried"], 2, "{report}");
    let entries = log(&s).await;
    assert_eq!(entries.len(), 2);
    for e in &entries {
        assert!(
            e["lastError"].as_str().unwrap().ends_with(": timed out"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn a_group_event_mails_every_active_user_of_the_group_once() {
    let sink = SmtpSink::start();
    let newcomer = r#"
[[events]]
identifier = "newcomer"
module = "users"
condition = "sign_up"
recipients = ["group", "user"]
group = "guest"
channels = ["email"]
[events.messages.en_US]
subject = "{{user.login}} joined"
"#;
    let s = TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.smtp = Some(sink.settings());
        },
        mail_shop_with(newcomer),
    )
    .await;
    let (ann, _) = customer(&s, "en_US", "Ann").await;
    assert_eq!(pass(&s).await["sent"], 1);
    let (bob, _) = customer(&s, "de_DE", "Bob").await;
    // Bob is the user and in the group: one mail for him, one for Ann.
    assert_eq!(pass(&s).await["sent"], 2);
    let to_ann: Vec<String> = sink
        .messages_to(&ann)
        .iter()
        .map(|m| text(m, "subject"))
        .collect();
    assert_eq!(to_ann, [format!("{ann} joined"), format!("{bob} joined")]);
    let to_bob: Vec<String> = sink
        .messages_to(&bob)
        .iter()
        .map(|m| text(m, "subject"))
        .collect();
    // No German message: the default locale's.
    assert_eq!(to_bob, [format!("{bob} joined")]);
}

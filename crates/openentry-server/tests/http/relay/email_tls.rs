//! E-mail over TLS and with SMTP AUTH, against a real aiosmtpd server holding a certificate
//! from a CA made per test: STARTTLS and implicit TLS with the CA trusted through
//! `OPENENTRY_SMTP_CA_FILE` (its setting), a certificate the server does not trust refused, a
//! wrong password retried (the server's configuration, to be mended), and a recipient the
//! server refuses for good dead after one attempt while the others go out.

use openentry_server::config::SmtpSettings;
use openentry_testkit::TestServer;
use openentry_testkit::smtp::{SinkOptions, SmtpSink, free_port};
use serde_json::Value;

use super::email::{customer, mail_shop, paid};
use super::{log, pass};

async fn server(smtp: SmtpSettings) -> TestServer {
    TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.smtp = Some(smtp);
        },
        mail_shop(),
    )
    .await
}

fn tls_sink(options: SinkOptions) -> SmtpSink {
    SmtpSink::start_with(
        free_port(),
        &SinkOptions {
            tls: true,
            ..options
        },
    )
}

fn credentials() -> (String, String) {
    ("shop".to_owned(), "s3cret pass".to_owned())
}

/// A paid order's two mails (customer, operator); returns the customer's address.
async fn order_mail(s: &TestServer) -> String {
    let (ann, token) = customer(s, "en_US", "Ann").await;
    paid(s, &token).await;
    ann
}

#[tokio::test]
async fn mail_goes_out_over_starttls_with_smtp_auth() {
    let sink = tls_sink(SinkOptions {
        auth: Some(credentials()),
        ..SinkOptions::default()
    });
    // The password travels percent-encoded in the URL.
    let s = server(sink.tls_settings(Some(("shop", "s3cret%20pass")))).await;
    let ann = order_mail(&s).await;
    let report = pass(&s).await;
    assert_eq!(report["sent"], 2, "{report}");
    let mail = sink.messages_to(&ann);
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["tls"], true, "{}", mail[0]);
    assert_eq!(mail[0]["authenticated"], true, "{}", mail[0]);
}

#[tokio::test]
async fn mail_goes_out_over_implicit_tls() {
    let sink = tls_sink(SinkOptions {
        implicit_tls: true,
        ..SinkOptions::default()
    });
    let s = server(sink.tls_settings(None)).await;
    let ann = order_mail(&s).await;
    assert_eq!(pass(&s).await["sent"], 2);
    let mail = sink.messages_to(&ann);
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["tls"], true, "{}", mail[0]);
}

#[tokio::test]
async fn a_certificate_the_server_does_not_trust_is_refused() {
    let sink = tls_sink(SinkOptions::default());
    let mut smtp = sink.tls_settings(None);
    smtp.ca_pem = None;
    let s = server(smtp).await;
    order_mail(&s).await;
    let report = pass(&s).await;
    assert_eq!(report["retried"], 2, "{report}");
    assert!(sink.messages().is_empty());
    for e in log(&s).await {
        let error = e["lastError"].as_str().unwrap_or_default().to_lowercase();
        assert!(error.contains("certificate"), "{e}");
    }
}

#[tokio::test]
async fn a_wrong_password_is_retried_until_it_is_mended() {
    let sink = tls_sink(SinkOptions {
        auth: Some(credentials()),
        ..SinkOptions::default()
    });
    let s = server(sink.tls_settings(Some(("shop", "wrong")))).await;
    order_mail(&s).await;
    let report = pass(&s).await;
    assert_eq!(report["retried"], 2, "{report}");
    assert_eq!(report["dead"], 0, "{report}");
    for e in log(&s).await {
        assert_eq!(e["state"], "pending", "{e}");
        assert!(e["lastError"].as_str().unwrap().contains("535"), "{e}");
    }
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_recipient_refused_for_good_is_dead_at_once_and_the_others_go_out() {
    let sink = SmtpSink::start_with(
        free_port(),
        &SinkOptions {
            reject: Some("boss@".to_owned()),
            ..SinkOptions::default()
        },
    );
    let s = server(sink.settings()).await;
    let ann = order_mail(&s).await;
    let report = pass(&s).await;
    assert_eq!(
        (report["sent"].as_i64(), report["dead"].as_i64()),
        (Some(1), Some(1)),
        "{report}"
    );
    let entries = log(&s).await;
    let boss: Vec<&Value> = entries
        .iter()
        .filter(|e| e["target"] == "boss@example.com")
        .collect();
    assert_eq!(boss.len(), 1, "{entries:?}");
    assert_eq!(boss[0]["state"], "dead");
    assert_eq!(boss[0]["attempts"], 1);
    assert_eq!(boss[0]["lastStatus"], 550);
    assert!(boss[0]["lastError"].as_str().unwrap().contains("5.1.1"));
    assert_eq!(sink.messages_to(&ann).len(), 1);
}

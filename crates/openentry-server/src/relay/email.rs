//! Sending one e-mail delivery through SMTP (lettre, on tokio with rustls): the message was
//! rendered when the delivery was routed (its payload), so every attempt sends the same mail,
//! with the same `Message-ID` (derived from the delivery id, so a receiver can tell a retry
//! from a new mail). Multipart text + HTML when the event's message has HTML, plain text
//! otherwise. Each whole conversation is bounded by the configured timeout (connect, greeting,
//! every command); connections are pooled.

use std::time::{Duration, Instant, SystemTime};

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use openentry_domain::notices::Rendered;
use openentry_store::deliveries::DeliveryRecord;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::recipients::Addressee;
use super::webhook::{Failure, Sent};
use crate::config::{SmtpSecurity, SmtpSettings};
use crate::state::AppState;

/// The SMTP client of a server: built once at start from [`SmtpSettings`].
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The sender's domain, the right-hand side of `Message-ID`s.
    domain: String,
    /// What the start-up log and errors name (never the password).
    server: String,
    /// Bound of one whole conversation: lettre's async client bounds only the connect, so a
    /// server that accepts and never answers would hold a delivery (and a relay slot) forever.
    timeout: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A client for `s` (nothing is connected until the first mail).
    pub fn new(s: &SmtpSettings) -> anyhow::Result<Self> {
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("OPENENTRY_SMTP_FROM {:?}: {e}", s.from))?;
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .timeout(Some(s.timeout));
        let tls = || TlsParameters::new(s.host.clone());
        b = match s.security {
            SmtpSecurity::StartTls => b.tls(Tls::Required(tls()?)),
            SmtpSecurity::Tls => b.tls(Tls::Wrapper(tls()?)),
            SmtpSecurity::Plain => b,
        };
        if let Some(user) = &s.username {
            b = b.credentials(Credentials::new(
                user.clone(),
                s.password.clone().unwrap_or_default(),
            ));
        }
        let security = match s.security {
            SmtpSecurity::StartTls => "STARTTLS",
            SmtpSecurity::Tls => "TLS",
            SmtpSecurity::Plain => "no TLS",
        };
        Ok(Self {
            transport: b.build(),
            domain: from.email.domain().to_owned(),
            from,
            server: format!("{}:{} ({security})", s.host, s.port),
            timeout: s.timeout,
        })
    }

    /// `host:port (protection)`, for the start-up log.
    pub fn server(&self) -> &str {
        &self.server
    }
}

/// What an e-mail delivery stores: the rendered message and its recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MailPayload {
    /// The address.
    pub(crate) to: String,
    /// The locale it was rendered in.
    pub(crate) locale: String,
    /// Subject.
    pub(crate) subject: String,
    /// Plain text.
    pub(crate) text: String,
    /// HTML (empty: a plain-text mail).
    #[serde(default)]
    pub(crate) html: String,
}

impl MailPayload {
    pub(super) fn new(to: &Addressee, r: Rendered) -> Self {
        Self {
            to: to.address.clone(),
            locale: to.locale.clone(),
            subject: r.subject,
            text: r.text,
            html: r.html,
        }
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// `<hex@domain>` from the delivery id: stable across attempts, free of the address's `@`.
fn message_id(delivery_id: &str, domain: &str) -> String {
    let digest = Sha256::digest(delivery_id.as_bytes());
    format!("<{}@{domain}>", hex::encode(&digest[..16]))
}

fn build(state: &AppState, mailer: &Mailer, d: &DeliveryRecord) -> Result<Message, Failure> {
    let p: MailPayload = serde_json::from_str(&d.payload)
        .map_err(|e| Failure::permanent(None, &format!("bad e-mail payload: {e}")))?;
    let to: Mailbox =
        p.to.parse()
            .map_err(|e| Failure::permanent(None, &format!("bad address {:?}: {e}", p.to)))?;
    let millis = u64::try_from(state.now().0).unwrap_or(0);
    let builder = Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(p.subject)
        .date(SystemTime::UNIX_EPOCH + Duration::from_millis(millis))
        .message_id(Some(message_id(&d.id, &mailer.domain)));
    let built = if p.html.is_empty() {
        builder.singlepart(SinglePart::plain(p.text))
    } else {
        builder.multipart(MultiPart::alternative_plain_html(p.text, p.html))
    };
    built.map_err(|e| Failure::permanent(None, &format!("the message could not be built: {e}")))
}

/// Sends `d` through the configured SMTP server.
pub(super) async fn send(state: &AppState, d: &DeliveryRecord) -> Result<Sent, Failure> {
    let mailer = state
        .mailer
        .as_deref()
        .ok_or_else(|| Failure::new(None, "no SMTP server is configured"))?;
    let message = build(state, mailer, d)?;
    let started = Instant::now();
    let answer = tokio::time::timeout(mailer.timeout, mailer.transport.send(message)).await;
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let Ok(answer) = answer else {
        return Err(Failure {
            status: None,
            latency_ms,
            error: format!("SMTP {}: timed out", mailer.server),
            permanent: false,
        });
    };
    match answer {
        Ok(r) => Ok(Sent {
            status: Some(i64::from(u16::from(r.code()))),
            latency_ms,
        }),
        Err(e) => Err(Failure {
            status: e.status().map(|c| i64::from(u16::from(c))),
            // A 5xx answer is the server's final word on this mail (RFC 5321 §4.2.1: "do not
            // repeat the exact request"); a 4xx or a broken connection may pass later.
            permanent: e.is_permanent(),
            latency_ms,
            error: if e.is_timeout() {
                format!("SMTP {}: timed out", mailer.server)
            } else {
                format!("SMTP {}: {e}", mailer.server)
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::message_id;

    #[test]
    fn message_ids_are_stable_and_hold_one_at_sign() {
        let a = message_id("msg_1_order_paid_email_ann@example.com", "shop.example");
        assert_eq!(
            a,
            message_id("msg_1_order_paid_email_ann@example.com", "shop.example")
        );
        assert_ne!(
            a,
            message_id("msg_2_order_paid_email_ann@example.com", "shop.example")
        );
        assert_eq!(a.matches('@').count(), 1);
        assert!(a.starts_with('<') && a.ends_with("@shop.example>"));
    }
}

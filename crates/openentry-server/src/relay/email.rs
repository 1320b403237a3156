//! Sending one e-mail delivery through SMTP (lettre, on tokio with rustls): the message was
//! rendered when the delivery was routed (its payload), so every attempt sends the same mail,
//! with the same `Message-ID` (derived from the delivery id, so a receiver can tell a retry
//! from a new mail). Multipart text + HTML when the event's message has HTML, plain text
//! otherwise. Each whole conversation is bounded by the configured timeout (connect, greeting,
//! every command); connections are pooled.

use std::time::{Duration, Instant, SystemTime};

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
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
    /// A client for `s` keeping up to `pool` connections open (nothing is connected until
    /// the first mail). The pool must hold as many connections as the relay sends mails at
    /// once: lettre opens a fresh connection when the pool is empty and closes it on return
    /// when the pool is full, so a smaller pool pays a connect, greeting, EHLO (and TLS
    /// handshake) and QUIT for every mail beyond it.
    pub fn new(s: &SmtpSettings, pool: usize) -> anyhow::Result<Self> {
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|e| anyhow::anyhow!("OPENENTRY_SMTP_FROM {:?}: {e}", s.from))?;
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.clone())
            .port(s.port)
            .timeout(Some(s.timeout))
            .pool_config(PoolConfig::new().max_size(u32::try_from(pool.max(1)).unwrap_or(16)));
        let tls = || -> anyhow::Result<TlsParameters> {
            let mut t = TlsParameters::builder(s.host.clone());
            if let Some(pem) = &s.ca_pem {
                let ca = Certificate::from_pem(pem)
                    .map_err(|e| anyhow::anyhow!("OPENENTRY_SMTP_CA_FILE: {e}"))?;
                t = t.add_root_certificate(ca);
            }
            Ok(t.build()?)
        };
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
            permanent: e
                .status()
                .is_some_and(|c| is_final(u16::from(c), &e.to_string())),
            latency_ms,
            error: if e.is_timeout() {
                format!("SMTP {}: timed out", mailer.server)
            } else {
                format!("SMTP {}: {e}", mailer.server)
            },
        }),
    }
}

/// Whether an SMTP refusal is final for this mail, so it is dead at once (docs/decisions.md,
/// "Which SMTP refusals are final"): a 5xx about the recipient's address (enhanced status
/// 5.1.x but the sender's 5.1.7/5.1.8; without one, 550, 551 or 553) or about the message
/// itself (5.6.x, 5.3.4 too big). Other 5xx answers (authentication 535, relaying denied
/// 5.7.1, a sender refused) are the server's configuration or ours: retried with backoff, so
/// mail goes out once an operator mends it. 4xx answers are always retried.
fn is_final(code: u16, reply: &str) -> bool {
    if !(500..600).contains(&code) {
        return false;
    }
    let enhanced = reply.split_whitespace().find_map(|w| {
        let mut parts = w.trim_end_matches([',', ';', ':']).split('.');
        let class = parts.next()?;
        let subject: u16 = parts.next()?.parse().ok()?;
        let detail: u16 = parts.next()?.parse().ok()?;
        (class == "5" && parts.next().is_none()).then_some((subject, detail))
    });
    match enhanced {
        Some((1, detail)) => !matches!(detail, 7 | 8),
        Some((6, _) | (3, 4)) => true,
        Some(_) => false,
        None => matches!(code, 550 | 551 | 553),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_final, message_id};

    #[test]
    fn refusals_of_the_recipient_or_the_message_are_final_and_the_rest_retried() {
        assert!(is_final(
            550,
            "permanent error (550): 5.1.1 No such mailbox here"
        ));
        assert!(is_final(
            553,
            "permanent error (553): mailbox name not allowed"
        ));
        assert!(is_final(
            552,
            "permanent error (552): 5.3.4 Message too big"
        ));
        assert!(!is_final(
            535,
            "permanent error (535): 5.7.8 Authentication failed"
        ));
        assert!(!is_final(
            550,
            "permanent error (550): 5.7.1 Relaying denied"
        ));
        assert!(!is_final(
            553,
            "permanent error (553): 5.1.8 Bad sender's domain"
        ));
        assert!(!is_final(554, "permanent error (554): Transaction failed"));
        assert!(!is_final(450, "transient error (450): 4.2.1 Mailbox busy"));
    }

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

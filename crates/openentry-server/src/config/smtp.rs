//! SMTP settings (`OPENENTRY_SMTP_*`; docs/operations.md, "E-mail"): where the relay sends
//! e-mail. Without them nothing is mailed: one-time codes go to the log notifier and the admin
//! API, as before, and the server says so at start.

use std::time::Duration;

use super::{Config, env_value};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: plain connection upgraded with STARTTLS, which is required (no credentials
    /// or mail go out unencrypted). Port 587 by default.
    StartTls,
    /// `smtps://`: TLS from the first byte (implicit TLS). Port 465 by default.
    Tls,
    /// `smtp://…?tls=none`: no encryption at all, for a relay on the same machine or tests.
    /// Port 25 by default.
    Plain,
}

/// A parsed `OPENENTRY_SMTP_URL` with its sender. `Debug` never shows the password.
#[derive(Clone)]
pub struct SmtpSettings {
    /// Host name (also the name the TLS certificate must carry).
    pub host: String,
    /// Port.
    pub port: u16,
    /// STARTTLS, implicit TLS or plain.
    pub security: SmtpSecurity,
    /// User name, if the server wants one.
    pub username: Option<String>,
    /// Password (percent-decoded).
    pub password: Option<String>,
    /// The `From` mailbox (`Shop <shop@example.com>`).
    pub from: String,
    /// Longest one SMTP conversation may take (connect, every command).
    pub timeout: Duration,
    /// A PEM certificate authority trusted besides the system's (`OPENENTRY_SMTP_CA_FILE`):
    /// a relay inside the company with a private CA. Never a way to skip verification.
    pub ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("from", &self.from)
            .field("timeout", &self.timeout)
            .field("extra_ca", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("a bad %-escape in the SMTP URL")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the SMTP URL's credentials are not UTF-8".to_owned())
}

impl SmtpSettings {
    /// Reads `smtp://user:pass@host:port` (STARTTLS required), `smtps://…` (implicit TLS) or
    /// `smtp://host:port?tls=none` (no encryption), with the sender `from`.
    pub fn parse(url: &str, from: &str, timeout: Duration) -> Result<Self, String> {
        let u = reqwest::Url::parse(url).map_err(|e| format!("OPENENTRY_SMTP_URL: {e}"))?;
        let tls = u
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let security = match (u.scheme(), tls.as_deref()) {
            ("smtp", None | Some("required" | "starttls")) => SmtpSecurity::StartTls,
            ("smtp", Some("none")) => SmtpSecurity::Plain,
            ("smtps", None | Some("wrapper" | "implicit")) => SmtpSecurity::Tls,
            (scheme, tls) => {
                return Err(format!(
                    "OPENENTRY_SMTP_URL: use smtp:// (STARTTLS), smtps:// (TLS) or \
                     smtp://…?tls=none, not {scheme}:// with tls={}",
                    tls.unwrap_or_default()
                ));
            }
        };
        let host = u
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("OPENENTRY_SMTP_URL names no host")?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = u.port().unwrap_or(match security {
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::Plain => 25,
        });
        let username = Some(percent_decode(u.username())?).filter(|s| !s.is_empty());
        let password = u.password().map(percent_decode).transpose()?;
        let from = from.trim().to_owned();
        if from.is_empty() {
            return Err("OPENENTRY_SMTP_FROM is needed with OPENENTRY_SMTP_URL".to_owned());
        }
        Ok(Self {
            host,
            port,
            security,
            username,
            password,
            from,
            timeout,
            ca_pem: None,
        })
    }
}

impl Config {
    /// Reads `OPENENTRY_SMTP_URL`, `OPENENTRY_SMTP_FROM`, `OPENENTRY_SMTP_TIMEOUT_MS`
    /// (default 10 000) and `OPENENTRY_SMTP_CA_FILE`; no URL: no e-mail.
    pub fn smtp_from_env(&mut self) -> Result<(), String> {
        let Some(url) = env_value("OPENENTRY_SMTP_URL") else {
            return Ok(());
        };
        let from = env_value("OPENENTRY_SMTP_FROM").unwrap_or_default();
        let timeout = match env_value("OPENENTRY_SMTP_TIMEOUT_MS") {
            Some(v) => Duration::from_millis(v.trim().parse().map_err(|_| {
                format!("OPENENTRY_SMTP_TIMEOUT_MS: \"{v}\" is not a whole number")
            })?),
            None => Duration::from_secs(10),
        };
        let mut smtp = SmtpSettings::parse(&url, &from, timeout)?;
        if let Some(path) = env_value("OPENENTRY_SMTP_CA_FILE") {
            let pem = std::fs::read(path.trim())
                .map_err(|e| format!("OPENENTRY_SMTP_CA_FILE {path:?}: {e}"))?;
            if !pem.starts_with(b"-----BEGIN") {
                return Err(format!(
                    "OPENENTRY_SMTP_CA_FILE {path:?} is not a PEM certificate"
                ));
            }
            smtp.ca_pem = Some(pem);
        }
        self.smtp = Some(smtp);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<SmtpSettings, String> {
        SmtpSettings::parse(url, "Shop <shop@example.com>", Duration::from_secs(5))
    }

    #[test]
    fn schemes_choose_the_protection_and_the_default_port() {
        let s = parse("smtp://ann%40shop:p%3Ass@mail.example.com").unwrap();
        assert_eq!((s.security, s.port), (SmtpSecurity::StartTls, 587));
        assert_eq!(s.username.as_deref(), Some("ann@shop"));
        assert_eq!(s.password.as_deref(), Some("p:ss"));
        let s = parse("smtps://mail.example.com").unwrap();
        assert_eq!((s.security, s.port), (SmtpSecurity::Tls, 465));
        let s = parse("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!((s.security, s.port), (SmtpSecurity::Plain, 2525));
        assert_eq!(s.username, None);
        assert!(!format!("{:?}", parse("smtp://a:secret@h").unwrap()).contains("secret"));
    }

    #[test]
    fn unknown_schemes_and_a_missing_sender_are_refused() {
        assert!(parse("http://mail.example.com").is_err());
        assert!(parse("smtps://mail.example.com?tls=none").is_err());
        assert!(SmtpSettings::parse("smtp://h", " ", Duration::from_secs(1)).is_err());
    }
}

//! Sending one webhook delivery: signed (Standard Webhooks), SSRF-safe (an address literal or
//! every address a name resolves to must be public, unless the configuration allows private
//! targets; the check runs in the client's resolver, on the addresses it connects to), no
//! redirects, a timeout, pooled connections, and the response body never read or stored: only
//! status and latency.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use openentry_store::deliveries::DeliveryRecord;

use super::sign::signature;
use crate::state::AppState;

/// A delivered attempt.
#[derive(Debug)]
pub(super) struct Sent {
    /// The HTTP status; `None` for channels without one (WebSocket).
    pub(super) status: Option<i64>,
    pub(super) latency_ms: i64,
}

/// A failed attempt.
#[derive(Debug)]
pub(super) struct Failure {
    pub(super) status: Option<i64>,
    pub(super) latency_ms: i64,
    pub(super) error: String,
    /// Retrying cannot help (a mailbox the server refuses for good, a payload that cannot be
    /// built, a push token the provider no longer knows): the delivery is dead at once instead
    /// of holding relay slots through every backoff step.
    pub(super) permanent: bool,
}

impl Failure {
    pub(super) fn new(status: Option<i64>, error: &str) -> Self {
        Self {
            status,
            latency_ms: 0,
            error: error.to_owned(),
            permanent: false,
        }
    }

    /// A failure no retry can mend (see `permanent`).
    pub(super) fn permanent(status: Option<i64>, error: &str) -> Self {
        Self {
            permanent: true,
            ..Self::new(status, error)
        }
    }
}

/// Whether an address is one a webhook may reach without `allow_private_targets`.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80) // link-local
        }
    }
}

/// Resolves webhook hosts and refuses non-public answers: the check runs inside the client's
/// connector, on the very addresses it connects to, so a second DNS answer cannot swap them.
#[derive(Debug)]
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                return Err(
                    format!("{host} resolves to the non-public address {}", bad.ip()).into(),
                );
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// One client per (private targets allowed, timeout): connections are pooled across
/// deliveries; servers in one process (tests) may differ in both.
fn client(allow_private: bool, timeout: Duration) -> Result<reqwest::Client, Failure> {
    static CLIENTS: OnceLock<Mutex<HashMap<(bool, Duration), reqwest::Client>>> = OnceLock::new();
    let mut clients = CLIENTS
        .get_or_init(Mutex::default)
        .lock()
        .map_err(|_| Failure::new(None, "client cache poisoned"))?;
    if let Some(c) = clients.get(&(allow_private, timeout)) {
        return Ok(c.clone());
    }
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout);
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    let c = builder
        .build()
        .map_err(|e| Failure::new(None, &format!("client: {e}")))?;
    clients.insert((allow_private, timeout), c.clone());
    Ok(c)
}

/// Refuses a URL whose host is a non-public address literal (names are checked when resolved).
fn check_literal(url: &reqwest::Url, allow_private: bool) -> Result<(), Failure> {
    let host = url
        .host_str()
        .ok_or_else(|| Failure::new(None, "the URL has no host"))?;
    let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    else {
        return Ok(());
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(Failure::new(
            None,
            &format!("refused: {ip} is not a public address"),
        ))
    }
}

/// Sends `d` to its endpoint.
pub(super) async fn send(state: &AppState, d: &DeliveryRecord) -> Result<Sent, Failure> {
    let project = state.project();
    let endpoint = project
        .def
        .webhooks
        .iter()
        .find(|w| w.identifier == d.target)
        .ok_or_else(|| Failure::new(None, "the endpoint is no longer in the project"))?;
    let secret = state
        .config
        .secret(&endpoint.secret_env)
        .ok_or_else(|| Failure::new(None, &format!("{} is not set", endpoint.secret_env)))?;
    let url = reqwest::Url::parse(&endpoint.url)
        .map_err(|e| Failure::new(None, &format!("bad URL: {e}")))?;
    let settings = &state.config.relay;
    check_literal(&url, settings.allow_private_targets)?;
    let client = client(settings.allow_private_targets, settings.webhook_timeout)?;
    let timestamp = state.now().unix_secs();
    let sig = signature(&secret, &d.id, timestamp, &d.payload)
        .map_err(|e| Failure::new(None, &e.to_string()))?;
    let started = Instant::now();
    let answer = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "OpenEntry-Webhooks")
        .header("webhook-id", &d.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", sig)
        .body(d.payload.clone())
        .send()
        .await;
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match answer {
        Ok(r) if r.status().is_success() => Ok(Sent {
            status: Some(i64::from(r.status().as_u16())),
            latency_ms,
        }),
        Ok(r) => Err(Failure {
            status: Some(i64::from(r.status().as_u16())),
            latency_ms,
            error: format!("HTTP {}", r.status().as_u16()),
            permanent: false,
        }),
        Err(e) => Err(Failure {
            status: None,
            latency_ms,
            error: if e.is_timeout() {
                "timed out".to_owned()
            } else {
                // The resolver's refusal is in the source chain.
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    text = format!("{text}: {s}");
                    source = s.source();
                }
                format!("request failed: {text}")
            },
            permanent: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}

//! The event relay (docs/architecture.md, "Events and the relay"): outbox rows → deliveries →
//! channels. It runs in its own task, apart from request handling: checkout only writes the
//! outbox row in its own transaction, so a dead receiver never slows it. Each pass
//! ([`run_once`]) routes new outbox rows into deliveries, claims due deliveries (leased, so a
//! node that dies mid-send is replaced once its lease ends), sends them with bounded
//! concurrency and a timeout each, and records the outcome: sent, retried later with
//! exponential backoff and jitter, or dead after the configured number of attempts.
//! At-least-once: a receiver may see a delivery twice (a retry after a lost answer), always
//! with the same id.

pub mod admin;
mod audience;
pub(crate) mod codes;
mod context;
mod drain;
pub mod email;
pub mod push;
mod recipients;
mod route;
pub mod sign;
mod webhook;
mod websocket;

use std::time::Duration;

use openentry_domain::clock::Timestamp;
use openentry_store::deliveries::{self, DeliveryRecord, Outcome};
use serde::Serialize;
use tokio::task::JoinSet;

use crate::state::AppState;

/// Relay settings.
#[derive(Debug, Clone)]
pub struct RelaySettings {
    /// How often the background pass runs; `None`: never (tests drive passes through the admin
    /// API, `POST /api/admin/relay/run`).
    pub interval: Option<Duration>,
    /// Attempts before a delivery is dead.
    pub max_attempts: i64,
    /// First retry delay; doubles each attempt.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_max: Duration,
    /// How long a claim holds a delivery; after it another node may take it over.
    pub lease: Duration,
    /// Deliveries sent at once by one node (and claimed per pass).
    pub concurrency: usize,
    /// Timeout of one webhook request (connect + answer).
    pub webhook_timeout: Duration,
    /// Allow webhook targets on loopback, private and link-local addresses (tests, or an
    /// internal receiver on purpose).
    pub allow_private_targets: bool,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            interval: Some(Duration::from_secs(1)),
            max_attempts: 8,
            backoff_base: Duration::from_secs(10),
            backoff_max: Duration::from_secs(3600),
            lease: Duration::from_secs(60),
            concurrency: 16,
            webhook_timeout: Duration::from_secs(10),
            allow_private_targets: false,
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassReport {
    /// Outbox rows routed.
    pub routed: u64,
    /// Deliveries claimed.
    pub claimed: u64,
    /// Sent (2xx).
    pub sent: u64,
    /// Failed and scheduled again.
    pub retried: u64,
    /// Failed for the last time.
    pub dead: u64,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

/// A claim token: unique per node and pass, so only the pass that sent a delivery records
/// its outcome.
fn claim_token() -> String {
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).unwrap_or_default();
    hex::encode(b)
}

fn draw() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap_or_default();
    u64::from_le_bytes(b)
}

/// One relay pass at the clock's time.
pub async fn run_once(state: &AppState) -> anyhow::Result<PassReport> {
    let mut report = PassReport {
        routed: route::route_new(state).await?,
        ..PassReport::default()
    };
    let settings = &state.config.relay;
    let now = state.now();
    let token = claim_token();
    let limit = i64::try_from(settings.concurrency.max(1)).unwrap_or(16);
    let lease_until = now.plus_millis(millis(settings.lease));
    let claimed = deliveries::claim(&state.db, &token, now, lease_until, limit).await?;
    report.claimed = claimed.len() as u64;
    let mut tasks = JoinSet::new();
    for d in claimed {
        let state = state.clone();
        tasks.spawn(async move { attempt(&state, d).await });
    }
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Ok(Some("sent"))) => report.sent += 1,
            Ok(Ok(Some("dead"))) => report.dead += 1,
            Ok(Ok(Some(_))) => report.retried += 1,
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not record a delivery"),
            Err(e) => tracing::warn!(error = %e, "a delivery task failed"),
        }
    }
    Ok(report)
}

/// Sends one claimed delivery and records the outcome; `None` when the claim was lost.
async fn attempt(state: &AppState, d: DeliveryRecord) -> anyhow::Result<Option<&'static str>> {
    let settings = &state.config.relay;
    let claim = d.claim.clone().unwrap_or_default();
    let result = if d.attempts > settings.max_attempts {
        // Claimed again after its lease ran out on the last attempt: that attempt counts.
        Err(webhook::Failure::new(
            None,
            "the last attempt's lease ran out",
        ))
    } else {
        match d.channel.as_str() {
            "webhook" => webhook::send(state, &d).await,
            websocket::CHANNEL => websocket::send(state, &d).await,
            "email" => email::send(state, &d).await,
            push::CHANNEL => push::send(state, &d).await,
            other => Err(webhook::Failure::new(
                None,
                &format!("no sender for channel {other}"),
            )),
        }
    };
    let now = state.now();
    let outcome = match result {
        Ok(sent) => Outcome {
            state: "sent",
            due_at: now,
            status: sent.status,
            latency_ms: sent.latency_ms,
            error: None,
        },
        Err(f) => {
            let dead = f.permanent || d.attempts >= settings.max_attempts;
            let delay = openentry_domain::retry::backoff_ms(
                d.attempts,
                millis(settings.backoff_base),
                millis(settings.backoff_max),
                draw(),
            );
            Outcome {
                state: if dead { "dead" } else { "pending" },
                due_at: now.plus_millis(delay),
                status: f.status,
                latency_ms: f.latency_ms,
                error: Some(f.error),
            }
        }
    };
    let kept = deliveries::finish(&state.db, &d.id, &claim, d.attempts, &outcome, now).await?;
    Ok(kept.then_some(outcome.state))
}

/// Starts the background relay (unless its interval is `None`).
pub(crate) fn spawn_relay(state: &AppState) {
    let Some(every) = state.config.relay.interval else {
        return;
    };
    state.spawn_periodic("relay", every, every, |state| async move {
        drain::tick(&state).await;
    });
}

/// The stored time of a delivery as RFC 3339.
pub(crate) fn rfc3339(ms: i64) -> String {
    Timestamp(ms).to_rfc3339()
}

impl RelaySettings {
    /// Applies `OPENENTRY_RELAY_INTERVAL_MS` (0: no background pass),
    /// `OPENENTRY_RELAY_MAX_ATTEMPTS`, `OPENENTRY_RELAY_BACKOFF_BASE_MS`,
    /// `OPENENTRY_RELAY_BACKOFF_MAX_MS`, `OPENENTRY_RELAY_LEASE_MS`,
    /// `OPENENTRY_RELAY_CONCURRENCY`, `OPENENTRY_WEBHOOK_TIMEOUT_MS` and
    /// `OPENENTRY_WEBHOOK_ALLOW_PRIVATE_TARGETS` (`1`/`true`) read by `var`.
    pub fn apply(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        let num = |name: &str| -> anyhow::Result<Option<u64>> {
            var(name)
                .map(|v| {
                    v.trim()
                        .parse::<u64>()
                        .map_err(|_| anyhow::anyhow!("{name} must be a whole number, not {v:?}"))
                })
                .transpose()
        };
        let ms = |name: &str| num(name).map(|v| v.map(Duration::from_millis));
        if let Some(d) = ms("OPENENTRY_RELAY_INTERVAL_MS")? {
            self.interval = (!d.is_zero()).then_some(d);
        }
        if let Some(n) = num("OPENENTRY_RELAY_MAX_ATTEMPTS")? {
            self.max_attempts = i64::try_from(n.max(1)).unwrap_or(i64::MAX);
        }
        if let Some(d) = ms("OPENENTRY_RELAY_BACKOFF_BASE_MS")? {
            self.backoff_base = d;
        }
        if let Some(d) = ms("OPENENTRY_RELAY_BACKOFF_MAX_MS")? {
            self.backoff_max = d;
        }
        if let Some(d) = ms("OPENENTRY_RELAY_LEASE_MS")? {
            self.lease = d;
        }
        if let Some(n) = num("OPENENTRY_RELAY_CONCURRENCY")? {
            self.concurrency = usize::try_from(n.clamp(1, 1024)).unwrap_or(16);
        }
        if let Some(d) = ms("OPENENTRY_WEBHOOK_TIMEOUT_MS")? {
            self.webhook_timeout = d;
        }
        if let Some(v) = var("OPENENTRY_WEBHOOK_ALLOW_PRIVATE_TARGETS") {
            self.allow_private_targets = matches!(v.trim(), "1" | "true" | "yes");
        }
        Ok(())
    }
}

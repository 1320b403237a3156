//! Prometheus metrics (`GET /metrics`, docs/operations.md "Monitoring"), with the official
//! Rust client (`prometheus-client`, OpenMetrics text).
//!
//! Requests are counted by a layer, per method, matched route template (`unmatched` when no
//! route matched: never the concrete path, so a crawler cannot grow the table) and status, with
//! a latency histogram per method and route. The rest is read at scrape time: the database
//! pools and the SQLite writer (queue, group-commit batch sizes), the hashing queue, the relay's
//! backlog (outbox rows not routed, deliveries pending and how late they are, dead letters) and
//! the sessions expiring within the hour. Counts are per node, since its start.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use openentry_store::health::{BATCH_BUCKETS, Backlog, PoolStats};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

/// Labels of a counted answer.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Answer {
    method: String,
    route: String,
    status: u16,
}

/// Labels of a timed request.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    method: String,
    route: String,
}

/// What a scrape reads from the database and the pools (filled just before encoding).
#[derive(Debug, Default, Clone)]
pub(crate) struct Snapshot {
    /// The scrape's time (ms), for the lags.
    pub(crate) now_ms: i64,
    pub(crate) pools: PoolStats,
    pub(crate) hashing_queued: u64,
    /// `None` when the database did not answer (the gauges are then left out).
    pub(crate) backlog: Option<Backlog>,
}

/// Encodes the [`Snapshot`] at scrape time.
#[derive(Debug, Default)]
struct Scraped(Mutex<Snapshot>);

/// The node's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    answers: Family<Answer, Counter>,
    latency: Family<Route, Histogram>,
    scraped: Arc<Scraped>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// An empty set, registered under the `openentry` prefix.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("openentry");
        let answers = Family::<Answer, Counter>::default();
        // 0.25 ms … ~4 s, doubling.
        let latency = Family::<Route, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
        });
        registry.register(
            "http_requests",
            "HTTP answers by method, route template and status",
            answers.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from the request to its answer's head, by method and route template",
            Unit::Seconds,
            latency.clone(),
        );
        let scraped = Arc::new(Scraped::default());
        registry.register_collector(Box::new(Arc::clone(&scraped)));
        Self {
            registry,
            answers,
            latency,
            scraped,
        }
    }

    /// Counts one answer.
    pub(crate) fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let (method, route) = (method.to_owned(), route.to_owned());
        self.latency
            .get_or_create(&Route {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(seconds);
        self.answers
            .get_or_create(&Answer {
                method,
                route,
                status,
            })
            .inc();
    }

    /// The OpenMetrics text with `snapshot`'s values.
    pub(crate) fn render(&self, snapshot: Snapshot) -> Result<String, std::fmt::Error> {
        *self
            .scraped
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = snapshot;
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// The layer that times and counts every answer.
pub(crate) async fn observe(
    State(metrics): State<Arc<Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    metrics.observe(
        method.as_str(),
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A gauge of the scrape: name, help, whether it is in seconds, value.
type Reading = (&'static str, &'static str, bool, i64);

impl Snapshot {
    /// The pools' and the hashing queue's gauges.
    fn pool_readings(&self) -> Vec<Reading> {
        let p = &self.pools;
        vec![
            (
                "db_connections",
                "Open database connections",
                false,
                count(p.connections),
            ),
            (
                "db_connections_idle",
                "Idle database connections",
                false,
                count(p.idle),
            ),
            (
                "db_writer_waiting",
                "Transactions waiting for the SQLite writer",
                false,
                count(p.writer_waiting),
            ),
            (
                "password_hashing_queued",
                "Password hashes waiting for a hashing thread",
                false,
                count(self.hashing_queued),
            ),
        ]
    }

    /// The relay's and the sessions' gauges (none when the database did not answer).
    fn backlog_readings(&self) -> Vec<Reading> {
        let Some(b) = self.backlog else {
            return Vec::new();
        };
        let lag = |at: Option<i64>| at.map_or(0, |at| (self.now_ms - at).max(0)) / 1000;
        vec![
            (
                "outbox_unrouted",
                "Outbox rows the relay has not routed yet",
                false,
                b.outbox_unrouted,
            ),
            (
                "outbox_lag",
                "Age of the oldest outbox row not routed yet",
                true,
                lag(b.outbox_oldest_at),
            ),
            (
                "deliveries_pending",
                "Deliveries waiting for an attempt or being sent",
                false,
                b.deliveries_pending,
            ),
            (
                "delivery_lag",
                "How long the most overdue pending delivery has been due",
                true,
                lag(b.deliveries_oldest_due_at),
            ),
            (
                "deliveries_dead",
                "Deliveries that gave up (dead letters)",
                false,
                b.deliveries_dead,
            ),
            (
                "sessions_expiring_within_hour",
                "Live user sessions whose refresh ends within the hour",
                false,
                b.sessions_expiring,
            ),
        ]
    }
}

impl Collector for Scraped {
    fn encode(&self, mut enc: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let s = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        for (name, help, seconds, value) in
            s.pool_readings().into_iter().chain(s.backlog_readings())
        {
            let unit = seconds.then_some(&Unit::Seconds);
            let g = ConstGauge::new(value);
            g.encode(enc.encode_descriptor(name, help, unit, g.metric_type())?)?;
        }
        let p = &s.pools;
        if let Some(&all) = p.batch_sizes.last() {
            // Cumulative bucket counts, the last one (+Inf) being every batch.
            let buckets: Vec<(f64, u64)> = BATCH_BUCKETS
                .iter()
                .map(|&b| b as f64)
                .chain([f64::MAX])
                .zip(p.batch_sizes.iter().copied())
                .collect();
            let mut m = enc.encode_descriptor(
                "db_group_commit_batch_size",
                "Transactions per SQLite group commit (one flush each)",
                None,
                MetricType::Histogram,
            )?;
            m.encode_histogram::<NoLabelSet>(p.batched_transactions as f64, all, &buckets, None)?;
        }
        Ok(())
    }
}

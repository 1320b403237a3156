//! The System module (docs/wire.md §6.17): the platform's test routes and request statistics.
//!
//! Statistics are counted by a layer (`count`) on every answer, per method and route
//! template and by status class, with relaxed atomics: a request costs one read lock of the
//! route table (uncontended) and two atomic additions; a route's counters are made once, the
//! first time it answers. Counts live in memory and are per node, since its start
//! (docs/decisions.md, "System").

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use openentry_domain::clock::Timestamp;
use openentry_types::system::{ApiStat, RouteStat, StatusCounts};

/// Methods counted apart; any other method counts as the last.
const METHODS: [Method; 7] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
    Method::HEAD,
    Method::OPTIONS,
];
const OTHER: usize = METHODS.len();

/// Answers by status class (1xx … 5xx).
#[derive(Debug, Default)]
struct Classes([AtomicU64; 5]);

impl Classes {
    fn add(&self, status: u16) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        if let Some(c) = self.0.get(class) {
            c.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn read(&self) -> StatusCounts {
        let n = |i: usize| self.0.get(i).map_or(0, |c| c.load(Ordering::Relaxed));
        StatusCounts {
            informational: n(0),
            success: n(1),
            redirection: n(2),
            client_error: n(3),
            server_error: n(4),
        }
    }
}

/// The counters of one route template, per method.
#[derive(Debug, Default)]
struct RouteCounters([Classes; OTHER + 1]);

/// Request counts of this node since it started.
#[derive(Debug)]
pub struct ApiStats {
    since: Timestamp,
    all: Classes,
    routes: RwLock<HashMap<Box<str>, Arc<RouteCounters>>>,
}

fn total(c: StatusCounts) -> u64 {
    c.informational + c.success + c.redirection + c.client_error + c.server_error
}

impl ApiStats {
    /// Counting from `since`.
    pub fn new(since: Timestamp) -> Self {
        Self {
            since,
            all: Classes::default(),
            routes: RwLock::new(HashMap::new()),
        }
    }

    fn counters(&self, route: &str) -> Arc<RouteCounters> {
        let found = match self.routes.read() {
            Ok(map) => map.get(route).cloned(),
            Err(poisoned) => poisoned.into_inner().get(route).cloned(),
        };
        if let Some(c) = found {
            return c;
        }
        let mut map = match self.routes.write() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(map.entry(Box::from(route)).or_default())
    }

    /// Counts one answer.
    pub fn record(&self, method: &Method, route: &str, status: u16) {
        self.all.add(status);
        let at = METHODS.iter().position(|m| m == method).unwrap_or(OTHER);
        if let Some(c) = self.counters(route).0.get(at) {
            c.add(status);
        }
    }

    /// The counts at `now`, routes busiest first (then by route and method).
    pub fn snapshot(&self, now: Timestamp) -> ApiStat {
        let map = match self.routes.read() {
            Ok(map) => map.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let mut routes: Vec<RouteStat> = Vec::new();
        for (route, counters) in &map {
            for (i, classes) in counters.0.iter().enumerate() {
                let by_status = classes.read();
                let count = total(by_status);
                if count == 0 {
                    continue;
                }
                let method = METHODS.get(i).map_or("OTHER", Method::as_str);
                routes.push(RouteStat {
                    method: method.to_owned(),
                    route: route.to_string(),
                    count,
                    by_status,
                });
            }
        }
        routes.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.route.cmp(&b.route))
                .then_with(|| a.method.cmp(&b.method))
        });
        let by_status = self.all.read();
        ApiStat {
            date: now.to_rfc3339(),
            count: total(by_status),
            since: self.since.to_rfc3339(),
            uptime_secs: (now.0 - self.since.0).max(0) / 1000,
            by_status,
            routes,
        }
    }
}

/// The layer that counts every answer by its method, matched route template (`unmatched` when
/// no route matched) and status. Never the concrete path: it would make the table grow with
/// every URL a crawler invents.
pub(crate) async fn count(
    State(stats): State<Arc<ApiStats>>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    stats.record(
        &method,
        route.as_ref().map_or("unmatched", MatchedPath::as_str),
        response.status().as_u16(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_count_by_route_method_and_class() {
        let stats = ApiStats::new(Timestamp(1_000));
        stats.record(&Method::GET, "/a", 200);
        stats.record(&Method::GET, "/a", 404);
        stats.record(&Method::POST, "/a", 201);
        stats.record(&Method::from_bytes(b"PURGE").unwrap(), "/b", 500);
        let s = stats.snapshot(Timestamp(62_500));
        assert_eq!(s.count, 4);
        assert_eq!(s.uptime_secs, 61);
        assert_eq!(
            (
                s.by_status.success,
                s.by_status.client_error,
                s.by_status.server_error
            ),
            (2, 1, 1)
        );
        let first = &s.routes[0];
        assert_eq!(
            (first.method.as_str(), first.route.as_str(), first.count),
            ("GET", "/a", 2)
        );
        assert!(
            s.routes
                .iter()
                .any(|r| r.method == "OTHER" && r.route == "/b" && r.by_status.server_error == 1)
        );
        assert_eq!(s.routes.len(), 3);
    }
}

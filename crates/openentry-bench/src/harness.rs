//! What every HTTP benchmark needs: the real server in-process on a scratch database, and a
//! closed-loop load of concurrent clients with latency statistics.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use openentry_domain::clock::SystemClock;
use openentry_server::{App, Config, ProjectSource};
use serde::Serialize;

/// The app token of benchmark servers.
pub(crate) const APP_TOKEN: &str = "bench-app-token-0123456789";

/// A server running for a benchmark.
pub(crate) struct BenchServer {
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// Its database (readable after [`BenchServer::stop`]).
    pub(crate) database_url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

/// Starts the demo project on a scratch SQLite file (`synchronous=FULL`), or on `database_url`.
pub(crate) async fn start(
    database_url: Option<&str>,
    adjust: impl FnOnce(&mut Config),
) -> anyhow::Result<BenchServer> {
    start_from(database_url, ProjectSource::Demo, adjust).await
}

/// [`start`] serving `project` (`Stored`: a database the benchmark prepared).
pub(crate) async fn start_from(
    database_url: Option<&str>,
    project: ProjectSource,
    adjust: impl FnOnce(&mut Config),
) -> anyhow::Result<BenchServer> {
    let dir = tempfile::tempdir()?;
    let url = database_url.map_or_else(
        || format!("sqlite://{}", dir.path().join("bench.db").display()),
        str::to_owned,
    );
    let mut config = Config::new(url.clone());
    config.app_token = Some(APP_TOKEN.to_owned());
    config.hash_queue = 4096;
    // Every bench client shares one address: the per-address budget would measure itself.
    config.anonymous_budget.max_failures = 0;
    adjust(&mut config);
    let app = App::build(config, Arc::new(SystemClock), project).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.serve(listener, async {
        let _ = stopped.await;
    }));
    Ok(BenchServer {
        base,
        database_url: url,
        stop,
        task,
        _dir: dir,
    })
}

impl BenchServer {
    /// Stops the server and waits for it.
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Throughput and latency of a run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Stats {
    /// Successful operations per second.
    pub(crate) per_sec: f64,
    /// Successful operations.
    pub(crate) ok: u64,
    /// Failed operations.
    pub(crate) errors: u64,
    /// Latency percentiles of successful operations, milliseconds.
    pub(crate) p50_ms: f64,
    /// 90th percentile.
    pub(crate) p90_ms: f64,
    /// 99th percentile.
    pub(crate) p99_ms: f64,
    /// Slowest.
    pub(crate) max_ms: f64,
}

/// Runs `op(client_index)` in a loop on `concurrency` clients for `duration`.
pub(crate) async fn closed_loop<F, Fut>(
    concurrency: usize,
    duration: Duration,
    op: F,
) -> anyhow::Result<Stats>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let op = Arc::new(op);
    let deadline = Instant::now() + duration;
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency.max(1))
        .map(|i| {
            let op = Arc::clone(&op);
            tokio::spawn(async move {
                let (mut ok, mut errors, mut lat) = (0u64, 0u64, Vec::new());
                while Instant::now() < deadline {
                    let t = Instant::now();
                    if op(i).await {
                        ok += 1;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    } else {
                        errors += 1;
                    }
                }
                (ok, errors, lat)
            })
        })
        .collect();
    let (mut ok, mut errors, mut lat) = (0u64, 0u64, Vec::new());
    for t in tasks {
        let (o, e, l) = t.await?;
        ok += o;
        errors += e;
        lat.extend(l);
    }
    let elapsed = start.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    Ok(Stats {
        per_sec: ok as f64 / elapsed,
        ok,
        errors,
        p50_ms: super::percentile(&lat, 50.0),
        p90_ms: super::percentile(&lat, 90.0),
        p99_ms: super::percentile(&lat, 99.0),
        max_ms: lat.last().copied().unwrap_or(0.0),
    })
}

/// Signs up and in `n` users `bench{i}@example.com`; returns their access tokens.
pub(crate) async fn users(
    client: &reqwest::Client,
    base: &str,
    n: usize,
) -> anyhow::Result<Vec<String>> {
    let url = |action: &str| {
        format!("{base}/api/content/users-auth-providers/marker/email/users/{action}")
    };
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let body = serde_json::json!({"authData": [{"marker": "email_reg", "value": format!("bench{i}@example.com")}, {"marker": "password_reg", "value": "correct horse battery"}]});
        let r = client
            .post(url("sign-up"))
            .header("x-app-token", APP_TOKEN)
            .json(&body)
            .send()
            .await?;
        anyhow::ensure!(
            r.status().is_success(),
            "sign-up failed: {}",
            r.text().await?
        );
        let r = client
            .post(url("auth"))
            .header("x-app-token", APP_TOKEN)
            .json(&body)
            .send()
            .await?;
        let v: serde_json::Value = r.json().await?;
        tokens.push(v["accessToken"].as_str().unwrap_or_default().to_owned());
    }
    Ok(tokens)
}

//! createSession + getSessionByOrderId: throughput and latency, beside the raw single-row
//! commit rate of the same database (the baseline of the orders benchmark).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use super::harness::{self, APP_TOKEN};
use super::percentile;

/// Options of `bench sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// Seconds of each measurement (baseline and load).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Latency {
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    seconds: u64,
    concurrency: usize,
    raw_commits_per_sec: f64,
    sessions_per_sec: f64,
    ratio: f64,
    create_session: Latency,
    get_session_by_order_id: Latency,
    errors: u64,
}

fn latency(mut v: Vec<f64>) -> Latency {
    v.sort_by(f64::total_cmp);
    Latency {
        p50_ms: percentile(&v, 50.0),
        p90_ms: percentile(&v, 90.0),
        p99_ms: percentile(&v, 99.0),
        max_ms: v.last().copied().unwrap_or(0.0),
    }
}

pub(crate) async fn run(args: SessionsArgs) -> anyhow::Result<()> {
    let duration = Duration::from_secs(args.seconds);
    let raw = raw_commit_rate(&args, duration).await?;

    let server = harness::start(None, |c| {
        c.argon2 = openentry_server::config::Argon2Params::TESTING;
    })
    .await?;
    let client = reqwest::Client::new();
    let tokens = Arc::new(harness::users(&client, &server.base, args.concurrency).await?);
    let base = Arc::new(server.base.clone());
    let errors = Arc::new(AtomicU64::new(0));
    eprintln!(
        "measuring createSession + getSessionByOrderId with {} clients for {} s (each on a fresh order)…",
        args.concurrency, args.seconds
    );
    let deadline = Instant::now() + duration;
    let start = Instant::now();
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|i| {
            let (client, tokens, base, errors) = (
                client.clone(),
                Arc::clone(&tokens),
                Arc::clone(&base),
                Arc::clone(&errors),
            );
            tokio::spawn(async move {
                let c = Client {
                    http: client,
                    base,
                    token: &tokens[i],
                };
                c.sessions_until(deadline, &errors).await
            })
        })
        .collect();
    let (mut create, mut read) = (Vec::new(), Vec::new());
    for t in tasks {
        let (c, r) = t.await?;
        create.extend(c);
        read.extend(r);
    }
    let elapsed = start.elapsed().as_secs_f64();
    server.stop().await;
    let per_sec = create.len() as f64 / elapsed;
    let report = Report {
        seconds: args.seconds,
        concurrency: args.concurrency,
        raw_commits_per_sec: raw,
        sessions_per_sec: per_sec,
        ratio: per_sec / raw,
        create_session: latency(create),
        get_session_by_order_id: latency(read),
        errors: errors.load(Ordering::Relaxed),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

/// Raw single-row commits per second on a throw-away SQLite database: the baseline.
async fn raw_commit_rate(args: &SessionsArgs, duration: Duration) -> anyhow::Result<f64> {
    eprintln!(
        "measuring raw single-row commits on SQLite (WAL, synchronous=FULL) for {} s…",
        args.seconds
    );
    let dir = tempfile::tempdir()?;
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(format!(
        "sqlite://{}",
        dir.path().join("baseline.db").display()
    )))
    .await?;
    let raw = openentry_store::bench::single_row_commits(&db, args.concurrency, duration).await?
        as f64
        / duration.as_secs_f64();
    db.close().await;
    Ok(raw)
}

/// One benchmark client: a signed-in user of the server at `base`.
struct Client<'a> {
    http: reqwest::Client,
    base: Arc<String>,
    token: &'a str,
}

impl Client<'_> {
    /// Creates an order then times createSession and getSessionByOrderId on it, until
    /// `deadline`; returns the two latency samples (ms) and counts failed iterations in
    /// `errors`.
    async fn sessions_until(&self, deadline: Instant, errors: &AtomicU64) -> (Vec<f64>, Vec<f64>) {
        let (mut create, mut read) = (Vec::new(), Vec::new());
        let order_body = r#"{"formIdentifier":"order","paymentAccountIdentifier":"cash","formData":{"en_US":[{"type":"string","marker":"name","value":"B"}]},"products":[{"productId":15,"quantity":1}]}"#;
        while Instant::now() < deadline {
            // The order is setup, not measured.
            let Ok(order) = self
                .post(
                    "/api/content/orders-storage/marker/orders/orders",
                    order_body.to_owned(),
                )
                .send()
                .await
            else {
                continue;
            };
            let Ok(order) = order.json::<serde_json::Value>().await else {
                continue;
            };
            let id = order["id"].as_i64().unwrap_or_default();
            let t = Instant::now();
            let ok = self
                .post(
                    "/api/content/payments/sessions",
                    format!(r#"{{"orderId":{id},"type":"session","automaticTaxEnabled":false}}"#),
                )
                .send()
                .await
                .is_ok_and(|r| r.status().as_u16() == 201);
            create.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let got = self
                .http
                .get(format!(
                    "{}/api/content/payments/sessions/order/{id}",
                    self.base
                ))
                .header("x-app-token", APP_TOKEN)
                .bearer_auth(self.token)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            read.push(t.elapsed().as_secs_f64() * 1000.0);
            if !(ok && got) {
                errors.fetch_add(1, Ordering::Relaxed);
            }
        }
        (create, read)
    }

    /// A signed-in JSON POST of `body` to `path`.
    fn post(&self, path: &str, body: String) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.base))
            .header("x-app-token", APP_TOKEN)
            .header("content-type", "application/json")
            .bearer_auth(self.token)
            .body(body)
    }
}

/// Prints the report as a table.
fn print_table(report: &Report) {
    println!(
        "payment sessions benchmark (SQLite WAL + synchronous=FULL, {} clients, {} s; each iteration also creates its order)",
        report.concurrency, report.seconds
    );
    println!(
        "  raw single-row commits/s          {:>10.1}",
        report.raw_commits_per_sec
    );
    println!(
        "  createSession + read back/s       {:>10.1}  ({:.1} % of raw commits)",
        report.sessions_per_sec,
        report.ratio * 100.0
    );
    let l = |x: &Latency| {
        format!(
            "{:.1} / {:.1} / {:.1} / {:.1} ms",
            x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms
        )
    };
    println!(
        "  createSession p50/p90/p99/max     {}",
        l(&report.create_session)
    );
    println!(
        "  getSessionByOrderId p50/p90/p99/max {}",
        l(&report.get_session_by_order_id)
    );
    println!("  errors                            {:>10}", report.errors);
}

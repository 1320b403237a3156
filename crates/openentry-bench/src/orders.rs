//! createOrder throughput against the raw single-row commit rate of the same database.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::harness::{self, APP_TOKEN, Stats};

/// Options of `bench orders`.
#[derive(Debug, Args)]
pub struct OrdersArgs {
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
struct Report {
    seconds: u64,
    concurrency: usize,
    raw_commits_per_sec: f64,
    create_order: Stats,
    ratio: f64,
}

pub(crate) async fn run(args: OrdersArgs) -> anyhow::Result<()> {
    let duration = Duration::from_secs(args.seconds);
    eprintln!(
        "measuring raw single-row commits on SQLite (WAL, synchronous=FULL) for {} s…",
        args.seconds
    );
    let dir = tempfile::tempdir()?;
    let options = openentry_store::ConnectOptions::new(format!(
        "sqlite://{}",
        dir.path().join("baseline.db").display()
    ));
    let db = openentry_store::connect(&options).await?;
    let commits =
        openentry_store::bench::single_row_commits(&db, args.concurrency, duration).await?;
    db.close().await;
    let raw = commits as f64 / duration.as_secs_f64();

    // Cheap argon2: sign-ins are not what this measures.
    let server = harness::start(None, |c| {
        c.argon2 = openentry_server::config::Argon2Params::TESTING;
    })
    .await?;
    let client = reqwest::Client::new();
    let tokens = Arc::new(harness::users(&client, &server.base, args.concurrency).await?);
    let url = format!(
        "{}/api/content/orders-storage/marker/orders/orders",
        server.base
    );
    let body = serde_json::json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}, {"productId": 16, "quantity": 2}, {"productId": 17, "quantity": 1}]
    })
    .to_string();
    eprintln!(
        "measuring createOrder (3-line carts) with {} clients for {} s…",
        args.concurrency, args.seconds
    );
    let stats = harness::closed_loop(args.concurrency, duration, move |i| {
        let req = client
            .post(&url)
            .header("x-app-token", APP_TOKEN)
            .header("content-type", "application/json")
            .bearer_auth(&tokens[i])
            .body(body.clone());
        async move { req.send().await.is_ok_and(|r| r.status().as_u16() == 201) }
    })
    .await?;
    server.stop().await;
    let report = Report {
        seconds: args.seconds,
        concurrency: args.concurrency,
        raw_commits_per_sec: raw,
        ratio: stats.per_sec / raw,
        create_order: stats,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let s = &report.create_order;
        println!(
            "createOrder benchmark (SQLite WAL + synchronous=FULL, {} clients, {} s)",
            report.concurrency, report.seconds
        );
        println!(
            "  raw single-row commits/s      {:>10.1}",
            report.raw_commits_per_sec
        );
        println!("  createOrder/s                 {:>10.1}", s.per_sec);
        println!(
            "  ratio                         {:>10.1} %",
            report.ratio * 100.0
        );
        println!(
            "  latency p50 / p90 / p99 / max {:.1} / {:.1} / {:.1} / {:.1} ms",
            s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms
        );
        println!("  errors                        {:>10}", s.errors);
    }
    Ok(())
}

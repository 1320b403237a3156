//! createOrder throughput against the raw single-row commit rate of the same database, and
//! with two active discounts and a coupon against without discounts, in the same run.

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
    /// The same carts with two active discounts and a coupon (issue 15).
    create_order_discounted: Stats,
    /// `create_order_discounted.per_sec / create_order.per_sec`.
    discount_ratio: f64,
}

/// The admin token of the benchmark server (discounts are added through the admin API).
const ADMIN_TOKEN: &str = "bench-admin-token-0123456789";

/// Two discounts that reach every bench cart without a coupon: 5 % off each line and 1 off the
/// order from 100 up; the carts also present the demo's reusable coupon `BAGS10`.
fn discounts() -> [serde_json::Value; 2] {
    [
        serde_json::json!({"identifier": "bench-lines", "value_type": "PERCENT", "value": "5",
            "applicability": "TO_PRODUCT"}),
        serde_json::json!({"identifier": "bench-order", "value_type": "FIXED_AMOUNT", "value": "1",
            "applicability": "TO_ORDER",
            "conditions": [{"type": "MIN_CART_AMOUNT", "value": "100"}]}),
    ]
}

/// createOrder in a closed loop on a fresh server (so neither run pays for the other's
/// orders), with the discounts added first when `discounted`.
async fn measure(
    concurrency: usize,
    duration: Duration,
    discounted: bool,
) -> anyhow::Result<Stats> {
    // Cheap argon2: sign-ins are not what this measures.
    let server = harness::start(None, |c| {
        c.argon2 = openentry_server::config::Argon2Params::TESTING;
        c.admin_token = Some(ADMIN_TOKEN.to_owned());
    })
    .await?;
    let client = reqwest::Client::new();
    let mut body = serde_json::json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}, {"productId": 16, "quantity": 2}, {"productId": 17, "quantity": 1}]
    });
    if discounted {
        for d in discounts() {
            let r = client
                .post(format!("{}/api/admin/discounts", server.base))
                .bearer_auth(ADMIN_TOKEN)
                .json(&d)
                .send()
                .await?;
            anyhow::ensure!(
                r.status().as_u16() == 201,
                "adding a discount: {}",
                r.status()
            );
        }
        body["couponCode"] = serde_json::json!("BAGS10");
    }
    let tokens = Arc::new(harness::users(&client, &server.base, concurrency).await?);
    let url = format!(
        "{}/api/content/orders-storage/marker/orders/orders",
        server.base
    );
    let body = body.to_string();
    eprintln!(
        "measuring createOrder (3-line carts{}) with {concurrency} clients for {} s…",
        if discounted {
            ", two active discounts and a coupon"
        } else {
            ""
        },
        duration.as_secs()
    );
    let stats = harness::closed_loop(concurrency, duration, move |i| {
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
    Ok(stats)
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
    let stats = measure(args.concurrency, duration, false).await?;
    let discounted = measure(args.concurrency, duration, true).await?;
    let report = Report {
        seconds: args.seconds,
        concurrency: args.concurrency,
        raw_commits_per_sec: raw,
        ratio: stats.per_sec / raw,
        discount_ratio: discounted.per_sec / stats.per_sec.max(f64::MIN_POSITIVE),
        create_order: stats,
        create_order_discounted: discounted,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print(&report);
    }
    Ok(())
}

fn print(report: &Report) {
    let (s, d) = (&report.create_order, &report.create_order_discounted);
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
    println!("  with two discounts + a coupon:");
    println!("  createOrder/s                 {:>10.1}", d.per_sec);
    println!(
        "  of createOrder/s without      {:>10.1} %",
        report.discount_ratio * 100.0
    );
    println!(
        "  latency p50 / p90 / p99 / max {:.1} / {:.1} / {:.1} / {:.1} ms",
        d.p50_ms, d.p90_ms, d.p99_ms, d.max_ms
    );
    println!("  errors                        {:>10}", d.errors);
}

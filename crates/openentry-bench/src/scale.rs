//! `bench scale`: list-by-user and get-by-id latency at 1,000 orders, then again after a bulk
//! load to `--orders` orders for `--users` users, on the same server and database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use openentry_server::config::Argon2Params;
use serde::Serialize;

use super::harness;
use super::runner::{self, Plan, StepStats};
use super::scenario::{Ctx, Mode, Op};

/// Options of `bench scale`.
#[derive(Debug, Args)]
pub struct ScaleArgs {
    /// Orders at the large scale (loaded in multiples of 500).
    #[arg(long, default_value_t = 1_000_000)]
    orders: u64,
    /// Users at the large scale.
    #[arg(long, default_value_t = 10_000)]
    users: u64,
    /// Measured seconds of each latency run.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent clients of each latency run.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// A scratch database to load (default: a scratch SQLite file, synchronous=FULL).
    #[arg(long)]
    database_url: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Phase {
    orders: u64,
    users: u64,
    load_seconds: f64,
    list_by_user: StepStats,
    get_by_id: StepStats,
}

#[derive(Debug, Serialize)]
struct Report {
    database: String,
    small: Phase,
    large: Phase,
    list_p99_ratio: f64,
    get_p99_ratio: f64,
}

/// Runs `bench scale`.
pub(crate) async fn run(a: ScaleArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = a
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("scale.db").display()));
    let database = if a.database_url.is_some() {
        "PostgreSQL/--database-url"
    } else {
        "SQLite (scratch, synchronous=FULL)"
    };
    let server = harness::start(Some(&url), |c| c.argon2 = Argon2Params::TESTING).await?;
    let result = phases(&a, &url, &server.base).await;
    server.stop().await;
    let (small, large) = result?;
    let ratio = |a: f64, b: f64| if a > 0.0 { b / a } else { 0.0 };
    let report = Report {
        database: database.to_owned(),
        list_p99_ratio: ratio(small.list_by_user.p99_ms, large.list_by_user.p99_ms),
        get_p99_ratio: ratio(small.get_by_id.p99_ms, large.get_by_id.p99_ms),
        small,
        large,
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "bench scale — in-process, {}, {} clients, {} s per run",
        report.database, a.concurrency, a.seconds
    );
    println!(
        "  {:>10} {:>8} {:>9}   {:>22}   {:>22}",
        "orders", "users", "load s", "list-by-user p50/p99", "get-by-id p50/p99"
    );
    for p in [&report.small, &report.large] {
        println!(
            "  {:>10} {:>8} {:>9.1}   {:>10.2} / {:>6.2} ms   {:>10.2} / {:>6.2} ms",
            p.orders,
            p.users,
            p.load_seconds,
            p.list_by_user.p50_ms,
            p.list_by_user.p99_ms,
            p.get_by_id.p50_ms,
            p.get_by_id.p99_ms
        );
    }
    println!(
        "  p99 large / small: list-by-user {:.2}×, get-by-id {:.2}×",
        report.list_p99_ratio, report.get_p99_ratio
    );
    Ok(())
}

async fn phases(a: &ScaleArgs, url: &str, base: &str) -> anyhow::Result<(Phase, Phase)> {
    // The measured users sign up over HTTP; the bulk load gives them their share of orders.
    let ctx = Arc::new(
        Ctx::setup(
            base,
            harness::APP_TOKEN,
            a.concurrency,
            Mode::Op(Op::GetOrder),
        )
        .await?,
    );
    let db =
        openentry_store::connect(&openentry_store::ConnectOptions::new(url.to_owned())).await?;
    let small_users = (1000 * a.users / a.orders.max(1)).max(1);
    let result = async {
        let small = phase(a, &db, &ctx, (1000, 1000), small_users).await?;
        let more = (a.orders.saturating_sub(1000), a.orders);
        let large = phase(a, &db, &ctx, more, a.users).await?;
        Ok((small, large))
    }
    .await;
    db.close().await;
    result
}

/// Loads `load` more orders (to `orders` in all) for `users` users, then measures.
async fn phase(
    a: &ScaleArgs,
    db: &openentry_store::Db,
    ctx: &Arc<Ctx>,
    (load, orders): (u64, u64),
    users: u64,
) -> anyhow::Result<Phase> {
    let start = Instant::now();
    let total = load;
    eprintln!("bulk-loading {total} orders for {users} users…");
    let now = openentry_domain::clock::Clock::now(&openentry_domain::clock::SystemClock);
    openentry_store::bench::bulk_load(db, users, load, now, |done| {
        let s = start.elapsed().as_secs_f64();
        eprintln!(
            "  {done:>10} / {total} orders  {:>5.1} %  {:>9.0} orders/s",
            100.0 * done as f64 / total.max(1) as f64,
            done as f64 / s.max(1e-9)
        );
    })
    .await?;
    let load_seconds = start.elapsed().as_secs_f64();
    let mut measured = Vec::new();
    for op in [Op::ListOrders, Op::GetOrder] {
        let mode = Mode::Op(op);
        let plan = Plan {
            concurrency: a.concurrency,
            rate: None,
            warmup: Duration::from_secs(1),
            duration: Duration::from_secs(a.seconds),
            steps: mode.steps(),
            pid: None,
        };
        let ctx = Arc::clone(ctx);
        let out = runner::run(&plan, move |w, t| {
            let ctx = Arc::clone(&ctx);
            async move { ctx.iterate(mode, w, t).await }
        })
        .await?;
        anyhow::ensure!(out.failed == 0, "{:?} failed: {:?}", op, out.errors);
        measured.extend(out.steps.into_iter().next());
    }
    let mut it = measured.into_iter();
    let (Some(list_by_user), Some(get_by_id)) = (it.next(), it.next()) else {
        anyhow::bail!("no latency measured");
    };
    Ok(Phase {
        orders,
        users,
        load_seconds,
        list_by_user,
        get_by_id,
    })
}

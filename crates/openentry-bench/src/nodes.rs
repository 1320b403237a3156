//! `bench nodes`: the seed flow and createOrder on 1, 2 and 3 server *processes* sharing one
//! PostgreSQL database, each count on a fresh scratch database, beside the raw single-row
//! commit rate of the same PostgreSQL server measured in the same run (docs/performance.md,
//! "Several nodes"). Clients are spread over the nodes round-robin; each node has its own
//! users (all in the one database). Then the flow's reads at half the 1-node rate (open loop).

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::harness::APP_TOKEN;
use super::runner::{self, Outcome, Plan};
use super::scenario::{Ctx, Mode, Op};

mod procs;

/// Options of `bench nodes`.
#[derive(Debug, Args)]
pub struct NodesArgs {
    /// A PostgreSQL server where the benchmark may create and drop scratch databases.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    admin_url: String,
    /// Node counts to measure, in order.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
    nodes: Vec<usize>,
    /// Measured seconds of each run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients in all (spread over the nodes).
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Run {
    nodes: usize,
    flow_per_sec: f64,
    flow_p99_ms: f64,
    create_order_per_sec: f64,
    create_order_p99_ms: f64,
    /// createOrder/s ÷ raw commits/s (the target: ≥ 0.5).
    create_order_to_raw: f64,
    /// createOrder/s ÷ raw commits/s of one connection.
    create_order_to_one_connection: f64,
    /// getSessionByOrderId in an open loop at half the 1-node flow rate.
    read_p99_ms: f64,
    /// Failed iterations of the three runs.
    failed: u64,
}

#[derive(Debug, Serialize)]
struct Report {
    seconds: u64,
    concurrency: usize,
    /// Raw single-row commits/s on as many connections as the bench has clients: the mean of
    /// a run before the nodes and one after (the machine's idle share moves it).
    raw_commits_per_sec: f64,
    /// The two runs of that mean.
    raw_commits_before_after: [f64; 2],
    /// Raw single-row commits/s on one connection (each commit waits for its own WAL flush,
    /// as SQLite's baseline does on its one writer).
    raw_commits_one_connection_per_sec: f64,
    runs: Vec<Run>,
}

fn p99(o: &Outcome, step: &str) -> f64 {
    o.steps
        .iter()
        .find(|s| s.name == step)
        .or_else(|| o.steps.last())
        .map_or(0.0, |s| s.p99_ms)
}

/// One load on `ctxs` (worker `w` uses node `w % n`).
async fn load(
    ctxs: &[Arc<Ctx>],
    mode: Mode,
    secs: u64,
    rate: Option<f64>,
) -> anyhow::Result<Outcome> {
    let concurrency = ctxs.iter().map(|c| c.users()).sum();
    let plan = Plan {
        concurrency,
        rate,
        warmup: Duration::from_secs(1),
        duration: Duration::from_secs(secs),
        steps: mode.steps(),
        pid: None,
    };
    let ctxs: Arc<Vec<Arc<Ctx>>> = Arc::new(ctxs.to_vec());
    runner::run(&plan, move |w, intended| {
        let ctxs = Arc::clone(&ctxs);
        async move {
            let n = ctxs.len().max(1);
            ctxs[w % n].iterate(mode, w / n, intended).await
        }
    })
    .await
}

async fn measure(
    args: &NodesArgs,
    nodes: usize,
    half_rate: Option<f64>,
) -> anyhow::Result<(Run, f64)> {
    let cluster = procs::Cluster::start(&args.admin_url, nodes).await?;
    let per_node = args.concurrency.div_ceil(nodes).max(1);
    let mut ctxs = Vec::new();
    for base in cluster.bases() {
        // Each user gets an order and a session, for the read run.
        let mode = Mode::Op(Op::GetSession);
        ctxs.push(Arc::new(Ctx::setup(base, APP_TOKEN, per_node, mode).await?));
    }
    eprintln!("{nodes} node(s): the seed flow, {} s…", args.seconds);
    let flow = load(&ctxs, Mode::Flow, args.seconds, None).await?;
    eprintln!("{nodes} node(s): createOrder, {} s…", args.seconds);
    let orders = load(&ctxs, Mode::Op(Op::CreateOrder), args.seconds, None).await?;
    let rate = half_rate.unwrap_or(flow.per_sec / 2.0).max(1.0);
    eprintln!(
        "{nodes} node(s): getSessionByOrderId at {rate:.0}/s (open loop), {} s…",
        args.seconds
    );
    let reads = load(&ctxs, Mode::Op(Op::GetSession), args.seconds, Some(rate)).await?;
    cluster.stop().await;
    Ok((
        Run {
            nodes,
            flow_per_sec: flow.per_sec,
            flow_p99_ms: p99(&flow, "total"),
            create_order_per_sec: orders.per_sec,
            create_order_p99_ms: p99(&orders, "createOrder"),
            create_order_to_raw: 0.0,
            create_order_to_one_connection: 0.0,
            read_p99_ms: p99(&reads, "getSessionByOrderId"),
            failed: flow.failed + orders.failed + reads.failed,
        },
        rate,
    ))
}

pub(crate) async fn run(args: NodesArgs) -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    eprintln!("baseline: raw single-row commits on the same PostgreSQL server, 3 s + 3 s…");
    let before = procs::raw_commits(&args.admin_url, args.concurrency, 3).await?;
    let one = procs::raw_commits(&args.admin_url, 1, 3).await?;
    let mut runs = Vec::new();
    let mut half_rate = None;
    for &n in &args.nodes {
        let (r, rate) = measure(&args, n.max(1), half_rate).await?;
        half_rate.get_or_insert(rate);
        runs.push(r);
    }
    eprintln!("baseline again, 3 s…");
    let after = procs::raw_commits(&args.admin_url, args.concurrency, 3).await?;
    let raw = (before + after) / 2.0;
    let share = |x: f64, of: f64| if of > 0.0 { x / of } else { 0.0 };
    for r in &mut runs {
        r.create_order_to_raw = share(r.create_order_per_sec, raw);
        r.create_order_to_one_connection = share(r.create_order_per_sec, one);
    }
    let report = Report {
        seconds: args.seconds,
        concurrency: args.concurrency,
        raw_commits_per_sec: raw,
        raw_commits_before_after: [before, after],
        raw_commits_one_connection_per_sec: one,
        runs,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Several nodes on one PostgreSQL database ({} clients in all, {} s each); raw single-row commits {:.0}/s on {} connections (before {:.0}, after {:.0}), {:.0}/s on one",
        report.concurrency,
        report.seconds,
        report.raw_commits_per_sec,
        report.concurrency,
        report.raw_commits_before_after[0],
        report.raw_commits_before_after[1],
        report.raw_commits_one_connection_per_sec
    );
    for r in &report.runs {
        println!(
            "  {} node(s)  flow {:>7.1}/s p99 {:>6.1} ms  createOrder {:>7.1}/s p99 {:>6.1} ms ({:.0} % of raw, {:.0} % of one connection's)  reads p99 {:.2} ms",
            r.nodes,
            r.flow_per_sec,
            r.flow_p99_ms,
            r.create_order_per_sec,
            r.create_order_p99_ms,
            r.create_order_to_raw * 100.0,
            r.create_order_to_one_connection * 100.0,
            r.read_p99_ms
        );
    }
    Ok(())
}

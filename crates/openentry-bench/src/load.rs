//! `bench flow` and `bench op`: the seed flow or one operation under closed- or open-loop load,
//! against the in-process server or an external one, beside baselines measured in the same run.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use openentry_server::config::Argon2Params;
use serde::Serialize;

use super::baseline::{healthz, raw_commits};
use super::harness;
use super::runner::{self, Outcome, Plan};
use super::scenario::{Ctx, Mode, Op};

/// Options shared by `bench flow` and `bench op`.
#[derive(Debug, Args)]
pub(crate) struct LoadArgs {
    /// Measured seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Warm-up seconds, not measured.
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Closed loop: concurrent clients. Open loop: workers (and users) taking scheduled sends.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Open loop: iterations per second at fixed arrival times, latency measured from the
    /// intended send time (coordinated-omission correction). Default: closed loop.
    #[arg(long)]
    rate: Option<f64>,
    /// Drive an external server at this base URL instead of the in-process one.
    #[arg(long, requires = "app_token")]
    url: Option<String>,
    /// App token of the external server.
    #[arg(long)]
    app_token: Option<String>,
    /// Pid of the external server, for its RSS.
    #[arg(long)]
    pid: Option<u32>,
    /// Database of the in-process server (default: a scratch SQLite file, synchronous=FULL).
    #[arg(long)]
    database_url: Option<String>,
    /// Seconds of each baseline (0 skips them).
    #[arg(long, default_value_t = 3)]
    baseline_seconds: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Options of `bench flow`.
#[derive(Debug, Args)]
pub struct FlowArgs {
    #[command(flatten)]
    load: LoadArgs,
}

/// Options of `bench op`.
#[derive(Debug, Args)]
pub struct OpArgs {
    /// The operation.
    #[arg(value_enum)]
    op: Op,
    #[command(flatten)]
    load: LoadArgs,
}

/// Baselines of the same run; `None` where not measured.
#[derive(Debug, Default, Serialize)]
struct Baselines {
    healthz_per_sec: Option<f64>,
    raw_commits_per_sec: Option<f64>,
    /// The mean of the measurements before and after the load (see `argon2_before_after`).
    argon2_verifications_per_sec: Option<f64>,
    /// argon2id measured before and after the load: the machine's speed drifts by ±10 % over
    /// a run, which is as much as the gap being measured.
    argon2_before_after: Option<(f64, f64)>,
    argon2: Option<String>,
}

#[derive(Debug, Serialize)]
struct Report {
    mode: String,
    target: String,
    loop_kind: String,
    concurrency: usize,
    warmup_s: u64,
    seconds: u64,
    outcome: Outcome,
    baselines: Baselines,
    ratio_to_healthz: Option<f64>,
    ratio_to_raw_commits: Option<f64>,
    ratio_to_argon2: Option<f64>,
}

/// Runs `bench flow`.
pub(crate) async fn run_flow(args: FlowArgs) -> anyhow::Result<()> {
    run(Mode::Flow, args.load).await
}

/// Runs `bench op`.
pub(crate) async fn run_op(args: OpArgs) -> anyhow::Result<()> {
    run(Mode::Op(args.op), args.load).await
}

async fn run(mode: Mode, a: LoadArgs) -> anyhow::Result<()> {
    // reqwest needs a TLS provider before a client is built (refused harmlessly when present).
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Only sign-in measures argon2; elsewhere it is cheap so that setup is quick.
    let argon2 = if mode == Mode::Op(Op::Login) {
        Argon2Params::PRODUCTION
    } else {
        Argon2Params::TESTING
    };
    let mut baselines = Baselines::default();
    let secs = a.baseline_seconds;
    let in_process = a.url.is_none();
    if secs > 0 && in_process && a.database_url.is_none() {
        eprintln!("baseline: raw single-row commits (scratch SQLite, synchronous=FULL), {secs} s…");
        baselines.raw_commits_per_sec = Some(raw_commits(a.concurrency, secs).await?);
    }
    if secs > 0 && in_process {
        eprintln!("baseline: argon2id verifications ({argon2:?}), {secs} s…");
        let raw = tokio::task::spawn_blocking(move || super::login::raw_rate(argon2, secs));
        baselines.argon2_verifications_per_sec = Some(raw.await??);
        baselines.argon2 = Some(format!(
            "m={} KiB, t={}, p={}",
            argon2.m_kib, argon2.t, argon2.p
        ));
    }
    let (server, base, token) = if let (Some(url), Some(token)) = (&a.url, &a.app_token) {
        (None, url.clone(), token.clone())
    } else {
        let s = harness::start(a.database_url.as_deref(), |c| c.argon2 = argon2).await?;
        let base = s.base.clone();
        (Some(s), base, harness::APP_TOKEN.to_owned())
    };
    let result = measure(mode, &a, &base, &token, &mut baselines).await;
    if let Some(s) = server {
        s.stop().await;
    }
    if let (Some(before), Mode::Op(Op::Login)) = (baselines.argon2_verifications_per_sec, mode) {
        eprintln!("baseline: argon2id verifications again, {secs} s…");
        let after =
            tokio::task::spawn_blocking(move || super::login::raw_rate(argon2, secs)).await??;
        baselines.argon2_before_after = Some((before, after));
        baselines.argon2_verifications_per_sec = Some(f64::midpoint(before, after));
    }
    let (outcome, target) = result?;
    let ratio = |b: Option<f64>| b.filter(|b| *b > 0.0).map(|b| outcome.per_sec / b);
    let report = Report {
        mode: mode_name(mode),
        target,
        loop_kind: a
            .rate
            .map_or_else(|| "closed".to_owned(), |r| format!("open at {r}/s")),
        concurrency: a.concurrency,
        warmup_s: a.warmup,
        seconds: a.seconds,
        ratio_to_healthz: ratio(baselines.healthz_per_sec),
        ratio_to_raw_commits: ratio(baselines.raw_commits_per_sec),
        ratio_to_argon2: ratio(baselines.argon2_verifications_per_sec),
        outcome,
        baselines,
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

fn mode_name(mode: Mode) -> String {
    match mode {
        Mode::Flow => "flow".to_owned(),
        Mode::Op(op) => format!(
            "op {}",
            clap::ValueEnum::to_possible_value(&op)
                .map_or_else(String::new, |v| v.get_name().to_owned())
        ),
    }
}

async fn measure(
    mode: Mode,
    a: &LoadArgs,
    base: &str,
    token: &str,
    baselines: &mut Baselines,
) -> anyhow::Result<(Outcome, String)> {
    let target = if a.url.is_some() {
        format!("external {base}")
    } else {
        format!(
            "in-process {}",
            a.database_url
                .as_deref()
                .map_or("SQLite (scratch, synchronous=FULL)", |_| "--database-url")
        )
    };
    if a.baseline_seconds > 0 {
        eprintln!(
            "baseline: GET /healthz closed loop, {} clients, {} s…",
            a.concurrency, a.baseline_seconds
        );
        baselines.healthz_per_sec = Some(healthz(base, a.concurrency, a.baseline_seconds).await?);
    }
    eprintln!("setting up {} users…", a.concurrency);
    let ctx = Arc::new(Ctx::setup(base, token, a.concurrency, mode).await?);
    let plan = Plan {
        concurrency: a.concurrency,
        rate: a.rate,
        warmup: Duration::from_secs(a.warmup),
        duration: Duration::from_secs(a.seconds),
        steps: mode.steps(),
        pid: a.pid.filter(|_| a.url.is_some()),
    };
    eprintln!(
        "measuring {} for {} s after {} s of warm-up…",
        mode_name(mode),
        a.seconds,
        a.warmup
    );
    let outcome = runner::run(&plan, move |w, intended| {
        let ctx = Arc::clone(&ctx);
        async move { ctx.iterate(mode, w, intended).await }
    })
    .await?;
    Ok((outcome, target))
}

fn print_table(r: &Report) {
    let o = &r.outcome;
    println!(
        "bench {} — {}, {} loop, {} clients, {} s (+{} s warm-up)",
        r.mode, r.target, r.loop_kind, r.concurrency, r.seconds, r.warmup_s
    );
    println!(
        "  iterations/s {:>10.1}   ok {}   failed {}",
        o.per_sec, o.iterations, o.failed
    );
    println!(
        "  {:<24} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "step", "count", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for s in &o.steps {
        println!(
            "  {:<24} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
            s.name, s.count, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms
        );
    }
    for (k, v) in &o.errors {
        println!("  error {k:<30} {v:>8}");
    }
    let mib = |k: Option<u64>| {
        k.map_or_else(
            || "n/a".to_owned(),
            |k| format!("{:.1} MiB", k as f64 / 1024.0),
        )
    };
    println!(
        "  server RSS idle / peak    {} / {}",
        mib(o.rss_idle_kib),
        mib(o.rss_peak_kib)
    );
    let b = &r.baselines;
    let line = |name: &str, base: Option<f64>, ratio: Option<f64>| {
        if let (Some(base), Some(ratio)) = (base, ratio) {
            println!(
                "  {name:<32} {base:>10.1}/s   ratio {:>6.1} %",
                ratio * 100.0
            );
        }
    };
    line(
        "baseline GET /healthz",
        b.healthz_per_sec,
        r.ratio_to_healthz,
    );
    line(
        "baseline raw commits",
        b.raw_commits_per_sec,
        r.ratio_to_raw_commits,
    );
    if let Some(p) = &b.argon2 {
        line(
            &format!("baseline argon2id ({p})"),
            b.argon2_verifications_per_sec,
            r.ratio_to_argon2,
        );
        if let Some((before, after)) = b.argon2_before_after {
            println!("    (mean of {before:.1}/s before and {after:.1}/s after the load)");
        }
    }
    if r.outcome.rss_idle_kib.is_some() && r.target.starts_with("in-process") {
        println!("  (in-process RSS includes the load generator)");
    }
}

//! Login throughput against the raw cost of argon2id at the same parameters.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use clap::Args;
use openentry_server::config::Argon2Params;
use serde::Serialize;

use super::harness;

/// Options of `bench login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Seconds of each measurement (baseline and load).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients (default: twice the cores, enough to keep every hashing slot busy).
    #[arg(long)]
    concurrency: Option<usize>,
    /// Argon2id memory in KiB.
    #[arg(long, default_value_t = Argon2Params::PRODUCTION.m_kib)]
    m_kib: u32,
    /// Argon2id iterations.
    #[arg(long, default_value_t = Argon2Params::PRODUCTION.t)]
    t: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    argon2: String,
    cores: usize,
    seconds: u64,
    concurrency: usize,
    raw_hashes_per_sec: f64,
    logins_per_sec: f64,
    ratio: f64,
    errors: u64,
    p50_ms: f64,
    p99_ms: f64,
}

pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZero::get)
}

/// Verifications per second with one thread per core, as the server's pool would run them.
pub(crate) fn raw_rate(params: Argon2Params, seconds: u64) -> anyhow::Result<f64> {
    let p =
        Params::new(params.m_kib, params.t, params.p, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
    let salt = SaltString::encode_b64(SALT).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = argon
        .hash_password(b"correct horse battery", &salt)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let threads: Vec<_> = (0..cores())
        .map(|_| {
            let (argon, hash, stop, count) = (
                argon.clone(),
                hash.clone(),
                Arc::clone(&stop),
                Arc::clone(&count),
            );
            // The fastest honest verification: parse the stored string and recompute into
            // working memory allocated once per thread (as the server's pool does), so the
            // ratio is not flattered by an allocation per hash here.
            std::thread::spawn(move || {
                let mut memory = vec![argon2::Block::default(); argon.params().block_count()];
                let mut out = [0u8; 32];
                while !stop.load(Ordering::Relaxed) {
                    // Parsed as the server parses the stored string; the salt is the one
                    // encoded above.
                    if PasswordHash::new(&hash).is_ok() {
                        let _ = argon.hash_password_into_with_memory(
                            b"correct horse battery",
                            SALT,
                            &mut out,
                            &mut memory,
                        );
                    }
                    count.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    while start.elapsed() < Duration::from_secs(seconds) {
        std::thread::park_timeout(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    Ok(count.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

/// The raw salt of the baseline's hash.
const SALT: &[u8] = b"benchmark-salt!!";

pub(crate) async fn run(args: LoginArgs) -> anyhow::Result<()> {
    let params = Argon2Params {
        m_kib: args.m_kib,
        t: args.t,
        p: 1,
    };
    eprintln!(
        "measuring raw argon2id ({params:?}) for {} s…",
        args.seconds
    );
    let seconds = args.seconds;
    let raw = tokio::task::spawn_blocking(move || raw_rate(params, seconds)).await??;

    let server = harness::start(None, |c| c.argon2 = params).await?;
    let client = reqwest::Client::new();
    let concurrency = args.concurrency.unwrap_or(cores() * 2).max(1);
    harness::users(&client, &server.base, concurrency).await?;
    eprintln!(
        "measuring sign-ins over HTTP with {concurrency} clients for {} s…",
        args.seconds
    );
    let url = format!(
        "{}/api/content/users-auth-providers/marker/email/users/auth",
        server.base
    );
    let stats = harness::closed_loop(concurrency, Duration::from_secs(args.seconds), move |i| {
        let body = serde_json::json!({"authData": [{"marker": "email_reg", "value": format!("bench{i}@example.com")}, {"marker": "password_reg", "value": "correct horse battery"}]});
        let req = client.post(&url).header("x-app-token", harness::APP_TOKEN).json(&body);
        async move { req.send().await.is_ok_and(|r| r.status().is_success()) }
    })
    .await?;
    server.stop().await;
    let report = Report {
        argon2: format!("m={} KiB, t={}, p=1", params.m_kib, params.t),
        cores: cores(),
        seconds: args.seconds,
        concurrency,
        raw_hashes_per_sec: raw,
        logins_per_sec: stats.per_sec,
        ratio: stats.per_sec / raw,
        errors: stats.errors,
        p50_ms: stats.p50_ms,
        p99_ms: stats.p99_ms,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "login benchmark ({}, {} cores, {} s, {} clients)",
            report.argon2, report.cores, report.seconds, report.concurrency
        );
        println!(
            "  raw argon2id verifications/s  {:>10.1}",
            report.raw_hashes_per_sec
        );
        println!(
            "  HTTP sign-ins/s               {:>10.1}",
            report.logins_per_sec
        );
        println!(
            "  ratio                         {:>10.1} %",
            report.ratio * 100.0
        );
        println!(
            "  latency p50 / p99             {:>7.1} / {:.1} ms",
            report.p50_ms, report.p99_ms
        );
        println!("  errors                        {:>10}", report.errors);
    }
    Ok(())
}

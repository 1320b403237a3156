//! `openentry bench`: benchmarks, not tests. Every figure is reported beside a baseline
//! measured in the same run on the same machine, because these machines are shared and noisy.

mod harness;
mod login;
mod orders;
mod sessions;

use clap::Subcommand;

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// Sign-in throughput as a ratio to raw argon2id verifications per second.
    #[command(after_help = "Example:\n  openentry bench login --seconds 10")]
    Login(login::LoginArgs),
    /// createOrder throughput as a ratio to raw single-row commits per second.
    #[command(after_help = "Example:\n  openentry bench orders --seconds 10 --concurrency 16")]
    Orders(orders::OrdersArgs),
    /// createSession + getSessionByOrderId throughput and latency, beside raw commits/s.
    #[command(after_help = "Example:\n  openentry bench sessions --seconds 10 --concurrency 16")]
    Sessions(sessions::SessionsArgs),
}

pub(crate) async fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Login(args) => login::run(args).await,
        BenchCommand::Orders(args) => orders::run(args).await,
        BenchCommand::Sessions(args) => sessions::run(args).await,
    }
}

/// Latency percentiles of a sorted sample, in milliseconds.
pub(crate) fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * (sorted_ms.len() - 1) as f64).round() as usize;
    sorted_ms[rank.min(sorted_ms.len() - 1)]
}

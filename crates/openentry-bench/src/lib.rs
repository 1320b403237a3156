//! The harness behind `openentry bench` (the CLI parses [`BenchCommand`] and calls [`run`]):
//! benchmarks, not tests. Every figure is reported beside a baseline measured in the same run
//! on the same machine, because these machines are shared and noisy.

// A benchmark's report is its output: it prints to stdout, like the CLI that runs it.
#![allow(clippy::print_stdout)]

mod baseline;
mod console;
mod content;
mod events;
mod harness;
mod load;
mod login;
mod mail;
mod nodes;
mod orders;
mod reload;
mod runner;
#[cfg(test)]
mod runner_tests;
mod scale;
mod scenario;
mod sessions;
mod smtp_sink;
mod startup;

use clap::Subcommand;

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Sign-in throughput as a ratio to raw argon2id verifications per second.
    #[command(after_help = "Example:\n  openentry bench login --seconds 10")]
    Login(login::LoginArgs),
    /// createOrder throughput as a ratio to raw single-row commits per second, and with two
    /// active discounts and a coupon as a ratio to without.
    #[command(after_help = "Example:\n  openentry bench orders --seconds 10 --concurrency 16")]
    Orders(orders::OrdersArgs),
    /// createOrder with every order mailed to a dead SMTP server, beside createOrder with mail
    /// to a live one and without mail (ratios of throughput and p99 in the same run).
    #[command(after_help = "Example:\n  openentry bench mail --seconds 10 --concurrency 16")]
    Mail(mail::MailArgs),
    /// createSession + getSessionByOrderId throughput and latency, beside raw commits/s.
    #[command(after_help = "Example:\n  openentry bench sessions --seconds 10 --concurrency 16")]
    Sessions(sessions::SessionsArgs),
    /// The seed flow (sign in once, then createOrder → createSession → getSessionByOrderId),
    /// closed or open loop, beside the /healthz, raw-commit and argon2id baselines.
    #[command(
        after_help = "Examples:\n  openentry bench flow --seconds 10 --concurrency 32\n  openentry bench flow --rate 500 --concurrency 64\n  openentry bench flow --url http://127.0.0.1:8080 --app-token T --pid 1234"
    )]
    Flow(load::FlowArgs),
    /// One operation (login, create-order, get-order, get-session, list-orders; content reads:
    /// page, menu, block, locales, and storefront-page = every call of one storefront page)
    /// under load, with the same runner, reporting and baselines as `bench flow`.
    #[command(
        after_help = "Examples:\n  openentry bench op get-order --seconds 10 --rate 2000\n  openentry bench op storefront-page --concurrency 32"
    )]
    Op(load::OpArgs),
    /// List-by-user and get-by-id latency at 1,000 orders and after a bulk load to
    /// `--orders` orders for `--users` users.
    #[command(
        after_help = "Examples:\n  openentry bench scale\n  openentry bench scale --database-url postgres://localhost/scratch"
    )]
    Scale(scale::ScaleArgs),
    /// Delay from an import's commit until a second node serves the new content, beside the
    /// nodes' poll period.
    #[command(after_help = "Example:\n  openentry bench reload --rounds 10")]
    Reload(reload::ReloadArgs),
    /// Events delivered per second end to end (outbox row → webhook received) beside the
    /// createOrder rate of the same run, with the relay running.
    #[command(after_help = "Example:\n  openentry bench events --seconds 10 --concurrency 16")]
    Events(events::EventsArgs),
    /// Spawn to the first 200 from /healthz on an existing database, beside the start of the
    /// same executable with `--version`.
    #[command(after_help = "Example:\n  openentry bench startup --runs 20")]
    Startup(startup::StartupArgs),
    /// The seed flow, createOrder and reads on 1, 2 and 3 server processes sharing one
    /// PostgreSQL database, beside the raw single-row commit rate of the same server.
    #[command(after_help = "Example:\n  openentry bench nodes --nodes 1,2,3 --seconds 10")]
    Nodes(nodes::NodesArgs),
    /// The operator console's pages with 100,000 orders and 10,000 products, each page's
    /// latency beside /healthz in the same run (target: p99 ≤ 50 ms).
    #[command(after_help = "Example:\n  openentry bench console --seconds 5")]
    Console(console::ConsoleArgs),
}

pub async fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Login(args) => login::run(args).await,
        BenchCommand::Orders(args) => orders::run(args).await,
        BenchCommand::Mail(args) => mail::run(args).await,
        BenchCommand::Sessions(args) => sessions::run(args).await,
        BenchCommand::Flow(args) => load::run_flow(args).await,
        BenchCommand::Op(args) => load::run_op(args).await,
        BenchCommand::Scale(args) => scale::run(args).await,
        BenchCommand::Reload(args) => reload::run(args).await,
        BenchCommand::Startup(args) => startup::run(args).await,
        BenchCommand::Events(args) => events::run(args).await,
        BenchCommand::Nodes(args) => nodes::run(args).await,
        BenchCommand::Console(args) => console::run(args).await,
    }
}

/// Latency percentiles of a sorted sample, in milliseconds.
pub(crate) fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    // `p` is in 0..=100, so the rank is a non-negative whole number no larger than the last
    // index (and `min` below guards it anyway).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rank = (p / 100.0 * (sorted_ms.len() - 1) as f64).round() as usize;
    sorted_ms[rank.min(sorted_ms.len() - 1)]
}

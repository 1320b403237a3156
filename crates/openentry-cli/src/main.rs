//! `openentry`: the OpenEntry server and its tools in one binary.
#![allow(clippy::print_stdout)] // a command-line program talks on stdout

mod commands;

use clap::{Parser, Subcommand};

/// mimalloc gives freed memory back to the system; glibc's malloc kept most of the request
/// bodies buffered during an attack after it ended (figures: docs/operations.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// OpenEntry: a self-hostable commerce backend that speaks the OneEntry Content API.
#[derive(Debug, Parser)]
#[command(name = "openentry", version, about, long_about = None, after_help = "\
Examples:
  openentry demo                              the seed flow end to end on a throwaway server
  openentry serve --demo                      run the demo project on 127.0.0.1:3000
  openentry project import shop.toml          import (or update) a project definition
  openentry project export > shop.toml        write the stored definition
  openentry bench login                       login throughput vs raw argon2id")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server.
    Serve(Box<commands::serve::ServeArgs>),
    /// Start a throwaway server, pay for an order through the Rust client, print each step.
    Demo(commands::demo::DemoArgs),
    /// Import, export or check project definitions.
    #[command(subcommand)]
    Project(commands::project::ProjectCommand),
    /// Benchmarks (not tests): figures as ratios to baselines measured in the same run.
    #[command(subcommand)]
    Bench(commands::bench::BenchCommand),
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let result = match cli.command {
        Command::Serve(args) => commands::serve::run(*args).await,
        Command::Demo(args) => commands::demo::run(args).await,
        Command::Project(cmd) => commands::project::run(cmd).await,
        Command::Bench(cmd) => commands::bench::run(cmd).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

//! `openentry`: the OpenEntry server and its tools in one binary.
#![allow(clippy::print_stdout)] // a command-line program talks on stdout

mod commands;

use clap::{Parser, Subcommand};

/// mimalloc gives freed memory back to the system; glibc's malloc kept most of the request
/// bodies buffered during an attack after it ended (figures: docs/operations.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the `mi_option_e` enum of the bundled mimalloc (v3
/// `include/mimalloc.h`); libmimalloc-sys does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc hand freed pages back at once. By default it purges them a second later,
/// and only when the freeing thread allocates again, so an idle server kept memory it no
/// longer used (the start-up password hash's 19 MiB among it). Arena memory is committed as it
/// is used (a build define in `.cargo/config.toml`: that option is read before `main`). With
/// both an idle server keeps about 19 MiB, as with glibc's malloc, and an attack's memory
/// returns when it ends (docs/operations.md, "Abuse limits").
#[allow(unsafe_code)]
fn tune_allocator() {
    // SAFETY: `mi_option_set` only stores an integer in mimalloc's option table; 0 is a valid
    // purge delay, and it runs first in `main`, before any other thread exists.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

/// OpenEntry: a self-hostable commerce backend that speaks the OneEntry Content API.
#[derive(Debug, Parser)]
#[command(name = "openentry", version, about, long_about = None, after_help = "\
Examples:
  openentry demo                              the seed flow end to end on a throwaway server
  openentry serve --demo                      run the demo project on 127.0.0.1:3000
  openentry project import shop.toml          import (or update) a project definition
  openentry project export > shop.toml        write the stored definition
  openentry backup --to copy.db               copy the SQLite database while it serves
  openentry restore --from copy.db --force    put a copy back (server stopped)
  openentry migrate --from sqlite://openentry.db --to postgres://…/openentry
  openentry bench login                       login throughput vs raw argon2id")]
struct Cli {
    /// Log lines on stderr: `text`, or `json` (one object a line, with the request's
    /// `request_id`).
    #[arg(long, env = "OPENENTRY_LOG_FORMAT", global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
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
    /// Admin accounts (the operators of the console and the management API).
    #[command(subcommand)]
    Admin(commands::admin::AdminCommand),
    /// Copy the SQLite database while it serves (PostgreSQL: pg_dump).
    Backup(commands::backup::BackupArgs),
    /// Put a backup in place as the SQLite database (stop the server first).
    Restore(commands::backup::RestoreArgs),
    /// Move a SQLite database into an empty PostgreSQL database, and verify it.
    Migrate(commands::migrate::MigrateArgs),
    /// Benchmarks (not tests): figures as ratios to baselines measured in the same run.
    #[command(subcommand)]
    Bench(openentry_bench::BenchCommand),
    /// Print the OpenAPI document of the HTTP API (what `GET /api/openapi.json` serves;
    /// `docs/openapi.json` is this output).
    Openapi,
}

/// Logs go to stderr, as text or, with `OPENENTRY_LOG_FORMAT=json`, one JSON object a line
/// (with the request span's `request_id`, docs/operations.md "Monitoring").
fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().with_current_span(true).init(),
        LogFormat::Text => builder.init(),
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => commands::serve::run(*args).await,
        Command::Demo(args) => commands::demo::run(args).await,
        Command::Project(cmd) => commands::project::run(cmd).await,
        Command::Admin(cmd) => commands::admin::run(cmd).await,
        Command::Backup(args) => commands::backup::backup(&args),
        Command::Restore(args) => commands::backup::restore(&args),
        Command::Migrate(args) => commands::migrate::run(&args).await,
        Command::Bench(cmd) => openentry_bench::run(cmd).await,
        Command::Openapi => commands::openapi::run(),
    }
}

fn main() -> std::process::ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(run(cli.command)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

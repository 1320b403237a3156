//! `openentry bench`: benchmarks, not tests.

use clap::Subcommand;

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {}

pub(crate) async fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {}
}

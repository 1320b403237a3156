//! `openentry migrate --from sqlite://… --to postgres://…` (docs/operations.md, "Moving from
//! SQLite to PostgreSQL"). The work is in `openentry_store::migrate`.

use anyhow::bail;
use clap::Args;

/// `openentry migrate`.
#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// The SQLite database to move (stop its server first).
    #[arg(long)]
    from: String,
    /// An empty PostgreSQL database (our migrations are applied to it).
    #[arg(long)]
    to: String,
}

pub(crate) async fn run(args: &MigrateArgs) -> anyhow::Result<()> {
    let report = openentry_store::migrate::sqlite_to_postgres(&args.from, &args.to).await?;
    println!(
        "{:<28} {:>10} {:>10}  sha256 (first 16)",
        "table", "sqlite", "postgres"
    );
    for t in &report.tables {
        let sha = t.postgres_sha256.get(..16).unwrap_or_default();
        let verdict = if t.matches() {
            "ok".to_owned()
        } else {
            format!("MISMATCH: SQLite {}", t.sqlite_sha256)
        };
        println!(
            "{:<28} {:>10} {:>10}  {sha} {verdict}",
            t.table, t.rows, t.copied_rows
        );
    }
    let rows = report.rows();
    let secs = report.copy.as_secs_f64().max(f64::EPSILON);
    #[allow(clippy::cast_precision_loss)] // a rate to print
    let rate = rows as f64 / secs;
    println!(
        "copied {rows} rows in {:.2?} ({rate:.0} rows/s), verified in {:.2?}",
        report.copy, report.verify
    );
    if !report.verified() {
        bail!("the PostgreSQL copy differs from SQLite (MISMATCH above): do not serve it");
    }
    Ok(())
}

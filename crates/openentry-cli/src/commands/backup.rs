//! `openentry backup` and `openentry restore`: the SQLite database copied while it serves, and
//! put back (docs/operations.md, "Backups"). The work is in `openentry_store::backup`.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

/// `openentry backup`.
#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// The database to copy (a server may keep serving it meanwhile).
    #[arg(
        long,
        env = "OPENENTRY_DATABASE_URL",
        default_value = "sqlite://openentry.db"
    )]
    database_url: String,
    /// The file to write; it must not exist.
    #[arg(long)]
    to: PathBuf,
}

/// `openentry restore`.
#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// A file made by `openentry backup`.
    #[arg(long)]
    from: PathBuf,
    /// Where to put it (stop the server of this database first).
    #[arg(
        long,
        env = "OPENENTRY_DATABASE_URL",
        default_value = "sqlite://openentry.db"
    )]
    database_url: String,
    /// Replace an existing database.
    #[arg(long)]
    force: bool,
}

fn refuse_postgres(url: &str) -> anyhow::Result<()> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        bail!(
            "PostgreSQL is backed up with its own tools: `pg_dump -Fc -f openentry.dump URL` \
             while it serves, and `pg_restore --no-owner -d URL openentry.dump` into an empty \
             database (docs/operations.md, \"Backups\")"
        );
    }
    Ok(())
}

pub(crate) fn backup(args: &BackupArgs) -> anyhow::Result<()> {
    refuse_postgres(&args.database_url)?;
    let report = openentry_store::backup::backup_sqlite(&args.database_url, &args.to)?;
    println!(
        "backed up {} bytes to {} in {:.2?}",
        report.bytes,
        args.to.display(),
        report.elapsed
    );
    Ok(())
}

pub(crate) fn restore(args: &RestoreArgs) -> anyhow::Result<()> {
    refuse_postgres(&args.database_url)?;
    let report =
        openentry_store::backup::restore_sqlite(&args.from, &args.database_url, args.force)?;
    println!(
        "restored {} bytes from {} in {:.2?}",
        report.bytes,
        args.from.display(),
        report.elapsed
    );
    Ok(())
}

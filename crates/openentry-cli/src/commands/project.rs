//! `openentry project import|export|check`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use openentry_domain::clock::{Clock, SystemClock};
use openentry_server::Config;

/// Project definition commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ProjectCommand {
    /// Import a definition: all or nothing; importing the same file twice changes nothing.
    #[command(after_help = "Example:\n  openentry project import examples/demo-project.toml")]
    Import {
        /// The definition file (TOML).
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the stored definition as TOML.
    #[command(after_help = "Example:\n  openentry project export > project.toml")]
    Export {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check a definition without importing it.
    #[command(after_help = "Example:\n  openentry project check shop.toml")]
    Check {
        /// The definition file (TOML).
        file: PathBuf,
    },
}

/// Which database.
#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    /// sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "OPENENTRY_DATABASE_URL",
        default_value = "sqlite://openentry.db"
    )]
    database_url: String,
}

pub(crate) async fn run(cmd: ProjectCommand) -> anyhow::Result<()> {
    match cmd {
        ProjectCommand::Import { file, db } => {
            let db = openentry_server::open_database(&Config::new(db.database_url)).await?;
            let clock = SystemClock;
            let report =
                openentry_server::project::import_file(&db, &clock as &dyn Clock, &file).await?;
            db.close().await;
            if report.changed {
                for (what, list) in [
                    ("created", &report.created),
                    ("updated", &report.updated),
                    ("deleted", &report.deleted),
                ] {
                    for item in list {
                        println!("{what} {item}");
                    }
                }
                println!("imported {}", file.display());
            } else {
                println!("{} is already imported; nothing changed", file.display());
            }
            Ok(())
        }
        ProjectCommand::Export { db } => {
            let db = openentry_server::open_database(&Config::new(db.database_url)).await?;
            let stored = openentry_store::project::load(&db).await?;
            db.close().await;
            print!(
                "{}",
                openentry_server::project::to_toml(&stored.definition)?
            );
            Ok(())
        }
        ProjectCommand::Check { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            openentry_server::project::parse_definition(&file.display().to_string(), &text)?;
            println!("{} is a valid project definition", file.display());
            Ok(())
        }
    }
}

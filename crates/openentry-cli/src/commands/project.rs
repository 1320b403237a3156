//! `openentry project import|export|check`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use openentry_domain::clock::{Clock, SystemClock};
use openentry_server::Config;
use openentry_server::media::MediaStore;

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
    /// Print the stored definition as TOML (media as `media/<key>` paths).
    #[command(
        after_help = "Examples:\n  openentry project export > project.toml\n  openentry project export --out backup/shop.toml   (also copies the media to backup/media/)"
    )]
    Export {
        /// Write the definition to this file and copy its media files beside it
        /// (`<dir>/media/…`), so the file imports again anywhere.
        #[arg(long)]
        out: Option<PathBuf>,
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

/// Which database and media store.
#[derive(Debug, Args)]
pub(crate) struct DbArgs {
    /// sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "OPENENTRY_DATABASE_URL",
        default_value = "sqlite://openentry.db"
    )]
    database_url: String,
    /// Directory of the media store (default: $OPENENTRY_MEDIA_DIR, else beside the SQLite
    /// file, e.g. openentry-media; the same default as `serve`).
    #[arg(long)]
    media_dir: Option<PathBuf>,
}

impl DbArgs {
    fn config(&self) -> Config {
        let mut c = Config::new(self.database_url.clone());
        c.media_from_env();
        if let Some(dir) = &self.media_dir {
            c.media_dir = Some(dir.clone());
        }
        c
    }
}

fn media_store(config: &Config) -> anyhow::Result<std::sync::Arc<dyn MediaStore>> {
    openentry_server::open_media(config)
}

pub(crate) async fn run(cmd: ProjectCommand) -> anyhow::Result<()> {
    match cmd {
        ProjectCommand::Import { file, db } => {
            let config = db.config();
            let media = media_store(&config)?;
            let db = openentry_server::open_database(&config).await?;
            let clock = SystemClock;
            let report = openentry_server::project::import_file(
                &db,
                media.as_ref(),
                &clock as &dyn Clock,
                &file,
            )
            .await;
            db.close().await;
            let report = report?;
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
        ProjectCommand::Export { out, db } => {
            let config = db.config();
            let media = media_store(&config)?;
            let db = openentry_server::open_database(&config).await?;
            let stored = openentry_store::project::load(&db).await?;
            db.close().await;
            let dir = out.as_deref().map(|f| match f.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            });
            let text = openentry_server::project::export(
                &stored.definition,
                media.as_ref(),
                dir.as_deref(),
            )
            .await?;
            match out {
                Some(file) => {
                    std::fs::write(&file, text)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
                    eprintln!(
                        "exported {} (media files in its media/ folder)",
                        file.display()
                    );
                }
                None => print!("{text}"),
            }
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

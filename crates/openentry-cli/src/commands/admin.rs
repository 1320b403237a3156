//! `openentry admin create`: an admin account made from the command line, which is how a
//! project gets its first owner (docs/operations.md, "Operators").

use std::io::BufRead as _;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};
use openentry_domain::clock::{Clock as _, SystemClock};
use openentry_domain::operators::Role;
use openentry_server::auth::passwords::Passwords;
use openentry_server::config::Argon2Params;

/// `openentry admin ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Create an admin account (the first owner; later ones can be made in the console).
    #[command(
        after_help = "Example:\n  printf '%s\\n' \"$PASSWORD\" | openentry admin create --login owner@example.com --password-stdin"
    )]
    Create(CreateArgs),
}

/// `openentry admin create`.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The login (unique, case-insensitive).
    #[arg(long)]
    login: String,
    /// Role: owner, manager, editor or support.
    #[arg(long, default_value = "owner")]
    role: String,
    /// Read the password from the first line of standard input (else from
    /// OPENENTRY_ADMIN_PASSWORD). It is never taken from an argument, which `ps` would show.
    #[arg(long)]
    password_stdin: bool,
    /// sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "OPENENTRY_DATABASE_URL",
        default_value = "sqlite://openentry.db"
    )]
    database_url: String,
    /// Argon2id memory in KiB (the server's default; lower only for tests).
    #[arg(long, env = "OPENENTRY_ARGON2_M_KIB", default_value_t = Argon2Params::PRODUCTION.m_kib)]
    argon2_m_kib: u32,
    /// Argon2id iterations.
    #[arg(long, env = "OPENENTRY_ARGON2_T", default_value_t = Argon2Params::PRODUCTION.t)]
    argon2_t: u32,
}

pub(crate) async fn run(cmd: AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Create(args) => create(args).await,
    }
}

fn password(args: &CreateArgs) -> anyhow::Result<String> {
    if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    match openentry_server::config::env_value("OPENENTRY_ADMIN_PASSWORD") {
        Some(p) => Ok(p),
        None => bail!(
            "give the password on standard input (--password-stdin) or in OPENENTRY_ADMIN_PASSWORD"
        ),
    }
}

async fn create(args: CreateArgs) -> anyhow::Result<()> {
    let role: Role = args
        .role
        .parse()
        .map_err(|e| anyhow::anyhow!("{e}: use one of {}", Role::names()))?;
    let password = password(&args)?;
    let db =
        openentry_store::connect(&openentry_store::ConnectOptions::new(&args.database_url)).await?;
    let params = Argon2Params {
        m_kib: args.argon2_m_kib,
        t: args.argon2_t,
        p: 1,
    };
    let passwords = Passwords::new(params, 1, 1)?;
    let created = openentry_server::operators::accounts::create(
        &db,
        &passwords,
        &args.login,
        password,
        role,
        SystemClock.now(),
    )
    .await;
    db.close().await;
    let view = created.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "created operator {} ({}) with id {}",
        view.login, view.role, view.id
    );
    Ok(())
}

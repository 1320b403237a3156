//! `bench reload`: how long after an import commits a second node serves the new content,
//! beside the configured poll period (the bound the design promises: a node notices a new
//! revision within one period, so content is everywhere within a second at the default 500 ms).

use std::time::{Duration, Instant};

use clap::Args;
use openentry_domain::clock::{Clock as _, SystemClock};
use serde::Serialize;

use super::harness::{self, APP_TOKEN};
use super::percentile;

/// Options of `bench reload`.
#[derive(Debug, Args)]
pub struct ReloadArgs {
    /// Imports to time.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    rounds: usize,
    poll_period_ms: f64,
    p50_ms: f64,
    max_ms: f64,
    max_ratio_to_poll_period: f64,
}

/// The product whose title each round changes.
const PRODUCT: i64 = 15;

pub(crate) async fn run(args: ReloadArgs) -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("reload.db").display());
    let a = harness::start(Some(&url), |_| {}).await?;
    let b = harness::start(Some(&url), |_| {}).await?;
    let poll = openentry_server::Config::new(url.clone()).project_poll;
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(url)).await?;
    // The stored definition (media already in the store), changed and imported again as an
    // operator's edit would be.
    let mut def = openentry_store::project::load(&db).await?.definition;
    let client = reqwest::Client::new();
    let path = format!("{}/api/content/products/{PRODUCT}", b.base);
    let lang = def.project.default_locale().to_owned();
    let mut delays = Vec::with_capacity(args.rounds);
    for round in 0..args.rounds {
        let title = format!("Reload round {round}");
        let product = def
            .products
            .iter_mut()
            .find(|p| p.id == PRODUCT)
            .ok_or_else(|| anyhow::anyhow!("the demo has no product {PRODUCT}"))?;
        product.title.insert(lang.clone(), title.clone());
        // Imports land at spread-out phases of the poll period (back to back, each would land
        // just after the previous reload and always wait a whole period).
        let phase = u64::try_from(round).unwrap_or(0).wrapping_mul(7919) % 1000;
        tokio::time::sleep(poll.mul_f64(phase as f64 / 1000.0)).await;
        openentry_store::project::import(&db, &def, SystemClock.now()).await?;
        let committed = Instant::now();
        loop {
            let v: serde_json::Value = client
                .get(&path)
                .header("x-app-token", APP_TOKEN)
                .send()
                .await?
                .json()
                .await?;
            if v["localizeInfos"][&lang]["title"] == title.as_str() {
                break;
            }
            anyhow::ensure!(
                committed.elapsed() < Duration::from_secs(30),
                "round {round}: the second node never served the new revision"
            );
            // Ask again soon: the probe's own period adds at most 1 ms to a delay.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        delays.push(committed.elapsed().as_secs_f64() * 1000.0);
    }
    a.stop().await;
    b.stop().await;
    delays.sort_by(f64::total_cmp);
    let poll_ms = poll.as_secs_f64() * 1000.0;
    let max = delays.last().copied().unwrap_or(0.0);
    let report = Report {
        rounds: args.rounds,
        poll_period_ms: poll_ms,
        p50_ms: percentile(&delays, 50.0),
        max_ms: max,
        max_ratio_to_poll_period: max / poll_ms,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "import → served by a second node, {} rounds: p50 {:.0} ms, max {:.0} ms \
             (poll period {:.0} ms; max / period = {:.2})",
            report.rounds, report.p50_ms, report.max_ms, poll_ms, report.max_ratio_to_poll_period
        );
    }
    Ok(())
}

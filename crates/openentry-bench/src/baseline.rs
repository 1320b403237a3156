//! Baselines measured in the same run as a load: the HTTP ceiling and the raw commit rate.

use std::time::Duration;

use super::harness;

/// The bare HTTP ceiling of the server stack: `GET /healthz` in a closed loop.
pub(crate) async fn healthz(base: &str, concurrency: usize, secs: u64) -> anyhow::Result<f64> {
    let client = reqwest::Client::new();
    let url = format!("{}/healthz", base.trim_end_matches('/'));
    let stats = harness::closed_loop(concurrency, Duration::from_secs(secs), move |_| {
        let req = client.get(&url);
        async move { req.send().await.is_ok_and(|r| r.status().is_success()) }
    })
    .await?;
    Ok(stats.per_sec)
}

/// Raw durable single-row commits per second on a scratch SQLite file.
pub(crate) async fn raw_commits(concurrency: usize, secs: u64) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("baseline.db").display());
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(url)).await?;
    let d = Duration::from_secs(secs);
    let n = openentry_store::bench::single_row_commits(&db, concurrency, d).await?;
    db.close().await;
    Ok(n as f64 / d.as_secs_f64())
}

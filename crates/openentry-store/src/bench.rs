//! Baselines for benchmarks: what the database itself can do with the same settings.

use std::time::{Duration, Instant};

use crate::db::q;
use crate::{Db, StoreError};

/// Commits single-row transactions (`BEGIN IMMEDIATE; INSERT; COMMIT` on SQLite) from
/// `concurrency` tasks for `duration`; returns the number of commits. The table is created in
/// the database given, which should be a scratch database.
pub async fn single_row_commits(
    db: &Db,
    concurrency: usize,
    duration: Duration,
) -> Result<u64, StoreError> {
    db.conn()
        .await?
        .exec(q(
            "CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT NOT NULL, payload TEXT NOT NULL)",
        ))
        .await?;
    let deadline = Instant::now() + duration;
    let tasks: Vec<_> = (0..concurrency.max(1))
        .map(|worker| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut n: u64 = 0;
                while Instant::now() < deadline {
                    let mut tx = db.begin().await?;
                    tx.inner()
                        .exec(
                            q("INSERT INTO bench_commits (id, payload) VALUES ($1, $2)")
                                .bind(i64::try_from(worker).unwrap_or(0))
                                .bind("order-sized payload"),
                        )
                        .await?;
                    tx.commit().await?;
                    n += 1;
                }
                Ok::<u64, StoreError>(n)
            })
        })
        .collect();
    let mut total = 0;
    for t in tasks {
        total += t
            .await
            .map_err(|e| StoreError::Open(format!("benchmark task failed: {e}")))??;
    }
    Ok(total)
}

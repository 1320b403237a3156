//! Baselines for benchmarks: what the database itself can do with the same settings.

use std::time::{Duration, Instant};

use crate::db::{Id, q};
use crate::{Db, StoreError};

/// The raw durable commit rate: single-row transactions, each committed on its own, for
/// `duration`; returns the number of commits. The table is created in the database given,
/// which should be a scratch database.
///
/// On SQLite this is one connection with the server's settings looping `BEGIN IMMEDIATE;
/// INSERT; COMMIT` on a thread of its own: one flush per commit, with no group commit (which
/// the server's writer does) and no lock contention (several connections would only take
/// turns). On PostgreSQL, `concurrency` tasks commit through the pool.
pub async fn single_row_commits(
    db: &Db,
    concurrency: usize,
    duration: Duration,
) -> Result<u64, StoreError> {
    if let Db::Sqlite(lite) = db {
        let path = lite.path().to_owned();
        return tokio::task::spawn_blocking(move || raw_sqlite_commits(&path, duration))
            .await
            .map_err(|e| StoreError::Open(format!("benchmark task failed: {e}")))?;
    }
    db.executor()
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
                    tx.executor()
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

fn raw_sqlite_commits(path: &std::path::Path, duration: Duration) -> Result<u64, StoreError> {
    let conn = crate::lite::open_conn(path)?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS bench_commits (id BIGINT NOT NULL, payload TEXT NOT NULL)",
    )?;
    let deadline = Instant::now() + duration;
    let mut n: u64 = 0;
    while Instant::now() < deadline {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        conn.prepare_cached("INSERT INTO bench_commits (id, payload) VALUES (?1, ?2)")?
            .execute(rusqlite::params![0_i64, "order-sized payload"])?;
        conn.execute_batch("COMMIT")?;
        n += 1;
    }
    Ok(n)
}

/// Rows per multi-row `INSERT` of the bulk loaders (3 binds a row, far below both backends'
/// limits on bound parameters).
const BULK_ROWS: usize = 500;
/// Rows per transaction of the bulk loaders.
const BULK_TX_ROWS: u64 = 50_000;

/// `{head} VALUES {row(0)}, {row(1)}, … {tail}` for [`BULK_ROWS`] rows, built once.
fn multi_row(
    cell: &'static std::sync::OnceLock<String>,
    head: &str,
    row: impl Fn(usize) -> String,
    tail: &str,
) -> &'static str {
    cell.get_or_init(|| {
        let rows: Vec<String> = (0..BULK_ROWS).map(row).collect();
        format!("{head} VALUES {}{tail}", rows.join(", "))
    })
}

/// Bulk-loads `users` email users `bulk-{i}@example.com` (who cannot sign in) and then `orders`
/// orders (rounded up to a multiple of 500) spread round-robin over every user of the database, through multi-row `INSERT`s in
/// large transactions, stamped `now`, calling `progress(orders_done)` after each transaction. For benchmarks
/// on a scratch database with the demo project (storage `orders`, payment account `cash`).
pub async fn bulk_load(
    db: &Db,
    users: u64,
    orders: u64,
    now: openentry_domain::clock::Timestamp,
    progress: impl FnMut(u64),
) -> Result<(), StoreError> {
    let now = now.0;
    let refs = BulkRefs::read(db).await?;
    bulk_users(db, refs.provider.id, users, now).await?;
    let ids: Vec<Id> = db
        .executor()
        .all(q("SELECT id FROM users ORDER BY id"))
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    bulk_orders(db, &refs, &ids, orders, now, progress).await?;
    settle(db).await
}

/// What a database that has lived with these rows for a while has done by itself: statistics
/// for the planner, and on PostgreSQL the visibility map that lets a count read its index alone
/// (autovacuum does both soon after a load this size; a benchmark should not measure the gap).
async fn settle(db: &Db) -> Result<(), StoreError> {
    match db {
        // VACUUM refuses to run in a transaction block.
        Db::Postgres(_) => db.executor().exec(q("VACUUM (ANALYZE)")).await?,
        // SQLite writes (ANALYZE fills sqlite_stat1) go through the writer's transactions.
        Db::Sqlite(_) => {
            let mut tx = db.begin().await?;
            let n = tx.executor().exec(q("ANALYZE")).await?;
            tx.commit().await?;
            n
        }
    };
    Ok(())
}

/// The rows of the demo project the bulk-loaded users and orders point at.
struct BulkRefs {
    provider: Id,
    storage: Id,
    status: Id,
    account: Id,
}

impl BulkRefs {
    /// The email provider, storage `orders`, the first order status and payment account `cash`.
    async fn read(db: &Db) -> Result<Self, StoreError> {
        let mut conn = db.executor();
        let one = |sql: &'static str| q(sql);
        let provider: Id = conn
            .one(one(
                "SELECT id FROM auth_providers WHERE identifier = 'email'",
            ))
            .await?;
        let storage: Id = conn
            .one(one(
                "SELECT id FROM order_storages WHERE identifier = 'orders'",
            ))
            .await?;
        let status: Id = conn
            .one(one("SELECT MIN(id) AS id FROM order_statuses"))
            .await?;
        let account: Id = conn
            .one(one(
                "SELECT id FROM payment_accounts WHERE identifier = 'cash'",
            ))
            .await?;
        Ok(Self {
            provider,
            storage,
            status,
            account,
        })
    }
}

/// Inserts `users` email users `bulk-{i}@example.com` of auth provider `provider` (see
/// [`bulk_load`]).
async fn bulk_users(db: &Db, provider: i64, users: u64, now: i64) -> Result<(), StoreError> {
    static USERS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let users_sql = multi_row(
        &USERS,
        "INSERT INTO users (provider_id, identifier, login_key, password_hash, is_active, \
         form_identifier, form_data, notification_data, state, locale, version, created_at, \
         updated_at)",
        |k| {
            let (a, b) = (3 + 2 * k, 4 + 2 * k);
            format!("($1, ${a}, ${b}, '-', $2, 'reg', '[]', '{{}}', '{{}}', 'en_US', 1, $3, $3)")
        },
        " ON CONFLICT DO NOTHING",
    );
    let mut made = 0;
    while made < users {
        let mut tx = db.begin().await?;
        let end = (made + BULK_TX_ROWS).min(users);
        while made < end {
            let mut stmt = q(users_sql).bind(provider).bind(true).bind(now);
            for k in 0..BULK_ROWS as u64 {
                // Past the end, rows repeat the last user and are dropped by the conflict.
                let i = (made + k).min(users - 1);
                let login = format!("bulk-{i}@example.com");
                stmt = stmt.bind(login.clone()).bind(login);
            }
            tx.executor().exec(stmt).await?;
            made += BULK_ROWS as u64;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Inserts `orders` orders (rounded up to a multiple of [`BULK_ROWS`]) spread round-robin over
/// the users `ids` (not empty), calling `progress` after each transaction (see [`bulk_load`]).
async fn bulk_orders(
    db: &Db,
    refs: &BulkRefs,
    ids: &[Id],
    orders: u64,
    now: i64,
    mut progress: impl FnMut(u64),
) -> Result<(), StoreError> {
    static ORDERS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let orders_sql = multi_row(
        &ORDERS,
        "INSERT INTO orders (storage_id, user_id, status_id, payment_account_id, \
         form_identifier, form_data, lang, currency, total_minor, version, created_at, updated_at)",
        |k| {
            let (u, t) = (5 + 2 * k, 6 + 2 * k);
            format!("($1, ${u}, $2, $3, 'order', '[]', 'en_US', 'USD', ${t}, 1, $4, $4)")
        },
        "",
    );
    let mut done = 0;
    while done < orders {
        let mut tx = db.begin().await?;
        let end = (done + BULK_TX_ROWS).min(orders);
        while done < end {
            let mut stmt = q(orders_sql)
                .bind(refs.storage.id)
                .bind(refs.status.id)
                .bind(refs.account.id)
                .bind(now);
            for k in 0..BULK_ROWS as u64 {
                let n = done + k;
                let user = ids[usize::try_from(n).unwrap_or(0) % ids.len()].id;
                stmt = stmt
                    .bind(user)
                    .bind(1000 + i64::try_from(n % 9000).unwrap_or(0));
            }
            tx.executor().exec(stmt).await?;
            done += BULK_ROWS as u64;
        }
        tx.commit().await?;
        progress(done.min(orders));
    }
    Ok(())
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Tried {
    n: i64,
    attempts: i64,
}

/// Deliveries the relay made and the attempts it spent on them: what it was doing while a
/// benchmark ran (`(deliveries, attempts)`).
pub async fn delivery_attempts(db: &Db) -> Result<(i64, i64), StoreError> {
    let t: Tried = db
        .executor()
        .one(q(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(attempts), 0) AS BIGINT) AS attempts
             FROM deliveries",
        ))
        .await?;
    Ok((t.n, t.attempts))
}

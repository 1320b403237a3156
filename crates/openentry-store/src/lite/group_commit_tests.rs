//! Group commit on SQLite: what is acknowledged is durable, and only that.
//!
//! Batches are made deterministic by polling a waiting writer's `begin` once, which queues it
//! on the writer's fair mutex before the committer can queue there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use crate::db::{Db, Tx, q};
use crate::{ConnectOptions, StoreError, connect};

#[derive(serde::Deserialize, sqlx::FromRow)]
struct Count {
    n: i64,
}

async fn scratch() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let db = connect(&ConnectOptions::new(url)).await.unwrap();
    let mut c = db.executor();
    c.exec(q("CREATE TABLE parent (id BIGINT PRIMARY KEY)"))
        .await
        .unwrap();
    // Deferred: a violation surfaces only at COMMIT, which is how a batch's commit can fail.
    c.exec(q(
        "CREATE TABLE item (id BIGINT PRIMARY KEY, parent BIGINT \
              REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
    ))
    .await
    .unwrap();
    (db, dir)
}

async fn insert(tx: &mut Tx, id: i64, parent: Option<i64>) -> Result<u64, StoreError> {
    tx.executor()
        .exec(
            q("INSERT INTO item (id, parent) VALUES ($1, $2)")
                .bind(id)
                .bind(parent),
        )
        .await
}

async fn count(db: &Db) -> i64 {
    let row: Count = db
        .executor()
        .one(q("SELECT COUNT(*) AS n FROM item"))
        .await
        .unwrap();
    row.n
}

fn commits(db: &Db) -> u64 {
    match db {
        Db::Sqlite(lite) => lite.commits(),
        Db::Postgres(_) => unreachable!(),
    }
}

/// Polls `f` once: queues a `begin` on the writer without waiting for it.
async fn poll_once<F: Future + ?Sized>(f: &mut Pin<Box<F>>) -> Option<F::Output> {
    std::future::poll_fn(|cx| {
        Poll::Ready(match f.as_mut().poll(cx) {
            Poll::Ready(v) => Some(v),
            Poll::Pending => None,
        })
    })
    .await
}

/// A writer's `begin`, not yet finished.
type Begin<'a> = Pin<Box<dyn Future<Output = Result<Tx, StoreError>> + Send + 'a>>;

/// Opens a transaction that writes row 1 and queues `n` more writers behind it (each polled
/// once, so they wait on the writer's fair mutex before the committer can), then lets the first
/// finish: its commit and the queued writers belong to one batch.
async fn first_and_queued(
    db: &Db,
    n: usize,
) -> (
    tokio::task::JoinHandle<Result<(), StoreError>>,
    std::vec::IntoIter<Begin<'_>>,
) {
    let mut a = db.begin().await.unwrap();
    insert(&mut a, 1, None).await.unwrap();
    let mut queued: Vec<Begin<'_>> = (0..n).map(|_| Box::pin(db.begin()) as Begin<'_>).collect();
    for q in &mut queued {
        assert!(
            poll_once(q).await.is_none(),
            "the writer is held: begin must wait"
        );
    }
    (tokio::spawn(a.commit()), queued.into_iter())
}

#[tokio::test]
async fn queued_transactions_share_one_commit_and_all_are_durable() {
    let (db, dir) = scratch().await;
    let before = commits(&db);
    let (a_done, mut queued) = first_and_queued(&db, 2).await;
    let mut b = queued.next().unwrap().await.unwrap();
    insert(&mut b, 2, None).await.unwrap();
    let b_done = tokio::spawn(b.commit());
    let mut c = queued.next().unwrap().await.unwrap();
    insert(&mut c, 3, None).await.unwrap();
    c.commit().await.unwrap();
    a_done.await.unwrap().unwrap();
    b_done.await.unwrap().unwrap();
    assert_eq!(commits(&db) - before, 1, "three transactions, one flush");
    assert_eq!(count(&db).await, 3);

    // Durable: a fresh open of the file sees all three.
    db.close().await;
    let url = format!("sqlite://{}", dir.path().join("g.db").display());
    let again = connect(&ConnectOptions::new(url)).await.unwrap();
    assert_eq!(count(&again).await, 3);
    again.close().await;
}

#[tokio::test]
async fn a_dropped_transaction_leaves_nothing_and_its_batch_survives() {
    let (db, _dir) = scratch().await;
    let (a_done, mut queued) = first_and_queued(&db, 2).await;
    let mut b = queued.next().unwrap().await.unwrap();
    insert(&mut b, 2, None).await.unwrap();
    // A failing statement fails alone: the transaction may still go on or be dropped.
    let dup = insert(&mut b, 1, None).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    drop(b); // a cancelled request: its savepoint is rolled back
    let mut c = queued.next().unwrap().await.unwrap();
    insert(&mut c, 2, None).await.unwrap(); // b's row 2 is gone, so this is no conflict
    c.commit().await.unwrap();
    a_done.await.unwrap().unwrap();
    let ids: Vec<Count> = db
        .executor()
        .all(q("SELECT id AS n FROM item ORDER BY id"))
        .await
        .unwrap();
    assert_eq!(ids.iter().map(|r| r.n).collect::<Vec<_>>(), [1, 2]);
    db.close().await;
}

#[tokio::test]
async fn a_failed_commit_fails_every_member_and_keeps_nothing() {
    let (db, _dir) = scratch().await;
    let (a_done, mut queued) = first_and_queued(&db, 1).await;
    let mut b = queued.next().unwrap().await.unwrap();
    insert(&mut b, 2, Some(404)).await.unwrap(); // no parent 404: COMMIT will refuse
    let b_done = b.commit().await;
    let a_done = a_done.await.unwrap();
    assert!(matches!(b_done, Err(StoreError::Commit(_))), "{b_done:?}");
    assert!(matches!(a_done, Err(StoreError::Commit(_))), "{a_done:?}");
    assert_eq!(count(&db).await, 0, "nothing unacknowledged is kept");

    // The writer goes on: the next transaction commits on its own.
    let mut d = db.begin().await.unwrap();
    insert(&mut d, 3, None).await.unwrap();
    d.commit().await.unwrap();
    assert_eq!(count(&db).await, 1);
    db.close().await;
}

#[tokio::test]
async fn readers_see_a_transaction_only_once_it_is_durable() {
    let (db, _dir) = scratch().await;
    let mut a = db.begin().await.unwrap();
    insert(&mut a, 1, None).await.unwrap();
    assert_eq!(count(&db).await, 0);
    a.commit().await.unwrap();
    assert_eq!(count(&db).await, 1);
    db.close().await;
}

#[tokio::test]
async fn many_concurrent_writers_all_land() {
    let (db, _dir) = scratch().await;
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await?;
                insert(&mut tx, i, None).await?;
                tx.commit().await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(count(&db).await, 64);
    db.close().await;
}

#[tokio::test]
async fn readers_refuse_writes() {
    let (db, _dir) = scratch().await;
    let Db::Sqlite(lite) = &db else {
        unreachable!()
    };
    let wrote = lite.read(|c| super::exec(c, q("INSERT INTO item (id) VALUES (1)")));
    assert!(
        wrote.is_err(),
        "a write on a reader must fail, not bypass the writer"
    );
    assert_eq!(count(&db).await, 0);
    db.close().await;
}

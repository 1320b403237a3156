//! `openentry migrate` from a SQLite server's database to PostgreSQL, checked through HTTP on
//! a server started on the result (docs/operations.md, "Moving from SQLite to PostgreSQL").
//!
//! Needs PostgreSQL: it runs where `OPENENTRY_TEST_DATABASE_URL` names one (the PostgreSQL leg
//! of CI) and says it skipped elsewhere. The SQLite side is always a file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use serde_json::{Value, json};

#[path = "common/listening.rs"]
mod listening;
#[path = "common/shop.rs"]
mod shop;

use shop::{ADMIN_TOKEN, call, create_order, openentry, sign_in, start};

const EMAIL: &str = "mover@example.com";
const KEY: &str = "migrate-key-1";
const CONTACT: &str =
    "/api/content/form-data/marker/contact_us?formModuleConfigId=0&langCode=en_US";

fn admin_url() -> Option<String> {
    #[allow(clippy::disallowed_methods)] // configuration: the environment names the server
    std::env::var("OPENENTRY_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// What the migrated server must answer the same: the order, its payment sessions and the
/// contact form's submissions (as the operator sees them).
async fn snapshot(http: &reqwest::Client, base: &str, token: &str, order: i64) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        format!("{}/{order}?langCode=en_US", shop::ORDERS),
        format!("/api/content/payments/sessions/order/{order}"),
    ] {
        let (status, body) = call(http, base, token, &path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        out.push(body);
    }
    let (status, body) = call(http, base, ADMIN_TOKEN, CONTACT, Some(json!({}))).await;
    assert_eq!(status, 200, "{body}");
    out.push(body);
    out
}

/// The seed flow on a SQLite server at `base`: a user, orders (one retried with its key), a
/// payment session, a contact form message. Returns the retried order, the highest order id
/// and what [`snapshot`] saw.
async fn seed(http: &reqwest::Client, base: &str) -> (i64, i64, Vec<Value>) {
    let token = sign_in(http, base, EMAIL, true).await;
    let (status, first) = create_order(http, base, &token, KEY, 1).await.unwrap();
    assert_eq!(status, 201, "{first}");
    let order = first["id"].as_i64().unwrap();
    let (status, again) = create_order(http, base, &token, KEY, 1).await.unwrap();
    assert_eq!(
        (status, again["id"].as_i64()),
        (201, Some(order)),
        "{again}"
    );
    let mut last = order;
    for n in 2..6 {
        let (_, o) = create_order(http, base, &token, &format!("k-{n}"), n)
            .await
            .unwrap();
        last = last.max(o["id"].as_i64().unwrap());
    }
    let session = json!({"orderId": order, "type": "session", "automaticTaxEnabled": false});
    let (status, body) = call(
        http,
        base,
        &token,
        "/api/content/payments/sessions",
        Some(session),
    )
    .await;
    assert!(status < 300, "{body}");
    let message = json!({"formIdentifier": "contact_us", "formData": {"en_US": [
        {"marker": "name", "type": "string", "value": "Ada"},
        {"marker": "email", "type": "string", "value": "ada@example.com"},
        {"marker": "message", "type": "text", "value": "Ship it to Zürich, s'il vous plaît"}]}});
    let (status, body) = call(http, base, &token, "/api/content/form-data", Some(message)).await;
    assert!(status < 300, "{body}");
    let before = snapshot(http, base, &token, order).await;
    assert_eq!(before[1].as_array().map(Vec::len), Some(1), "{}", before[1]);
    assert!(before[2].to_string().contains("Zürich"), "{}", before[2]);
    (order, last, before)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_shop_moves_to_postgresql_and_serves_the_same() {
    let Some(admin) = admin_url() else {
        eprintln!("skipped: needs PostgreSQL (set OPENENTRY_TEST_DATABASE_URL)");
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let lite = format!("sqlite://{}", dir.path().join("shop.db").display());
    let http = reqwest::Client::new();

    let server = start(&lite);
    let (order, last, before) = seed(&http, &server.base).await;
    drop(server);

    let name = format!("oe_migrate_{}", std::process::id());
    let pg = openentry_store::testdb::create_postgres(&admin, &name)
        .await
        .unwrap();
    let (ok, out, err) = openentry(&["migrate", "--from", &lite, "--to", &pg]);
    assert!(ok, "migrate failed: {out}{err}");
    assert!(out.contains("orders") && !out.contains("MISMATCH"), "{out}");
    // A second run finds rows and touches nothing.
    let (ok, _, err) = openentry(&["migrate", "--from", &lite, "--to", &pg]);
    assert!(!ok && err.contains("not empty"), "{err}");

    let server = start(&pg);
    let base = server.base.clone();
    // The same password signs the same user in.
    let token = sign_in(&http, &base, EMAIL, false).await;
    assert_eq!(snapshot(&http, &base, &token, order).await, before);
    // The key still answers its order; a new order gets an id past every moved one.
    let (status, replay) = create_order(&http, &base, &token, KEY, 1).await.unwrap();
    assert_eq!(
        (status, replay["id"].as_i64()),
        (201, Some(order)),
        "{replay}"
    );
    let (status, fresh) = create_order(&http, &base, &token, "k-new", 9)
        .await
        .unwrap();
    assert_eq!(status, 201, "{fresh}");
    assert!(fresh["id"].as_i64().unwrap() > last, "{fresh} after {last}");
    drop(server);
    openentry_store::testdb::drop_postgres(&admin, &name)
        .await
        .unwrap();
}

/// A table PostgreSQL does not have stops the move before a row is copied; a value that does
/// not fit its column stops it too, and the half-done copy is rolled back, so the same target
/// takes the move once the value is mended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_stops_at_what_it_cannot_move_and_leaves_the_target_empty() {
    let Some(admin) = admin_url() else {
        eprintln!("skipped: needs PostgreSQL (set OPENENTRY_TEST_DATABASE_URL)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.db");
    let lite = format!("sqlite://{}", file.display());
    let project = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/demo-project.toml"
    );
    let (ok, _, err) = openentry(&["project", "import", project, "--database-url", &lite]);
    assert!(ok, "{err}");
    let name = format!("oe_migrate_refuse_{}", std::process::id());
    let pg = openentry_store::testdb::create_postgres(&admin, &name)
        .await
        .unwrap();
    let sql = |s: &str| {
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch(s)
            .unwrap();
    };

    sql("CREATE TABLE extra_notes (x TEXT)");
    let (ok, _, err) = openentry(&["migrate", "--from", &lite, "--to", &pg]);
    assert!(
        !ok && err.contains("`extra_notes`") && err.contains("does not know"),
        "{err}"
    );

    sql(
        "DROP TABLE extra_notes; UPDATE content_entities SET version = 'seven' \
         WHERE rowid = (SELECT MAX(rowid) FROM content_entities)",
    );
    let (ok, _, err) = openentry(&["migrate", "--from", &lite, "--to", &pg]);
    assert!(!ok && err.contains("content_entities.version"), "{err}");

    sql("UPDATE content_entities SET version = 1 WHERE version = 'seven'");
    let (ok, out, err) = openentry(&["migrate", "--from", &lite, "--to", &pg]);
    assert!(ok, "the failed copy left rows behind: {out}{err}");
    openentry_store::testdb::drop_postgres(&admin, &name)
        .await
        .unwrap();
}

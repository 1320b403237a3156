//! Storage contract: every repository story runs on SQLite, and on PostgreSQL when
//! `OPENENTRY_TEST_DATABASE_URL` names a server (each test gets its own database).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

use std::fmt::Write as _;

use openentry_domain::clock::Timestamp;
use openentry_domain::project::{
    AuthProviderDef, CodesDef, FieldDef, FormDef, Localized, ProjectDefinition,
};
use openentry_store::signins::{NewSignin, Rotation};
use openentry_store::users::NewUser;
use openentry_store::{ConnectOptions, Db, StoreError, connect, testdb};

#[path = "contract/blocked.rs"]
mod blocked;
#[path = "contract/collections.rs"]
mod collections;
#[path = "contract/form_data.rs"]
mod form_data;
#[path = "contract/ordered_with.rs"]
mod ordered_with;

struct TestDb {
    db: Db,
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    // Configuration of the test run: the environment chooses the database.
    #[allow(clippy::disallowed_methods)]
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = match std::env::var("OPENENTRY_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let mut b = [0u8; 6];
                getrandom::fill(&mut b).unwrap();
                let name = format!(
                    "oe_contract_{}",
                    b.iter().fold(String::new(), |mut s, x| {
                        let _ = write!(s, "{x:02x}");
                        s
                    })
                );
                (
                    testdb::create_postgres(&admin, &name).await.unwrap(),
                    Some((admin, name)),
                )
            }
            _ => (
                format!("sqlite://{}", dir.path().join("t.db").display()),
                None,
            ),
        };
        let db = connect(&ConnectOptions::new(url)).await.unwrap();
        Self { db, pg, _dir: dir }
    }

    async fn finish(self) {
        self.db.close().await;
        if let Some((admin, name)) = self.pg {
            testdb::drop_postgres(&admin, &name).await.unwrap();
        }
    }
}

fn field(marker: &str, login: bool, password: bool) -> FieldDef {
    FieldDef {
        marker: marker.into(),
        kind: openentry_domain::project::FieldKind::String,
        title: Localized::default(),
        required: true,
        login,
        password,
        notification_email: login,
        email: login,
        phone: false,
    }
}

fn project() -> ProjectDefinition {
    ProjectDefinition {
        forms: vec![FormDef {
            identifier: "reg".into(),
            kind: openentry_domain::project::FormKind::SignUp,
            title: Localized::default(),
            fields: vec![
                field("email_reg", true, false),
                field("password_reg", false, true),
            ],
            read: openentry_domain::project::FormRead::Own,
            moderation: true,
            action_message: Localized::default(),
            seed: Vec::new(),
        }],
        auth_providers: vec![AuthProviderDef {
            identifier: "email".into(),
            kind: openentry_domain::project::AuthKind::Email,
            title: Localized::default(),
            active: true,
            check_code: false,
            form: "reg".into(),
            user_group: "guest".into(),
            access_token_ttl_secs: 3600,
            refresh_token_ttl_secs: 86400,
            codes: CodesDef::default(),
        }],
        ..Default::default()
    }
}

const T0: Timestamp = Timestamp(1_800_000_000_000);

#[tokio::test]
async fn import_is_idempotent_and_refuses_to_orphan_users() {
    let t = TestDb::new().await;
    let def = project();
    let first = openentry_store::project::import(&t.db, &def, T0)
        .await
        .unwrap();
    assert_eq!(
        first.created,
        vec!["forms/reg", "auth_providers/email", "locales/en_US"]
    );
    let again = openentry_store::project::import(&t.db, &def, T0)
        .await
        .unwrap();
    assert!(!again.changed, "{again:?}");
    let mut changed = def.clone();
    changed.auth_providers[0].access_token_ttl_secs = 60;
    let upd = openentry_store::project::import(&t.db, &changed, T0)
        .await
        .unwrap();
    assert_eq!(upd.updated, vec!["auth_providers/email"]);
    let stored = openentry_store::project::load(&t.db).await.unwrap();
    assert_eq!(stored.providers[0].version, 2);
    assert_eq!(stored.revision, 2);
    assert_eq!(stored.definition, changed);

    let mut tx = t.db.begin().await.unwrap();
    let user = NewUser {
        provider_id: stored.providers[0].id,
        identifier: "a@b.co".into(),
        login_key: "a@b.co".into(),
        password_hash: "x".into(),
        is_active: true,
        form_identifier: "reg".into(),
        form_data: "{}".into(),
        notification_data: "{}".into(),
        locale: "en_US".into(),
    };
    openentry_store::users::insert(&mut tx, &user, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let err = openentry_store::project::import(&t.db, &ProjectDefinition::default(), T0)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InUse(ref m) if m.contains("auth_providers/email")),
        "{err}"
    );
    // Nothing was half-imported.
    assert_eq!(
        openentry_store::project::load(&t.db)
            .await
            .unwrap()
            .definition,
        changed
    );
    t.finish().await;
}

#[tokio::test]
async fn refresh_rotation_and_reuse() {
    use openentry_store::signins::{get_live as live, rotate};
    let t = TestDb::new().await;
    openentry_store::project::import(&t.db, &project(), T0)
        .await
        .unwrap();
    let pid = openentry_store::project::load(&t.db)
        .await
        .unwrap()
        .providers[0]
        .id;
    let mut tx = t.db.begin().await.unwrap();
    let user = NewUser {
        provider_id: pid,
        identifier: "A@b.co".into(),
        login_key: "a@b.co".into(),
        password_hash: "x".into(),
        is_active: true,
        form_identifier: "reg".into(),
        form_data: "{}".into(),
        notification_data: "{}".into(),
        locale: "en_US".into(),
    };
    let uid = openentry_store::users::insert(&mut tx, &user, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let dup = openentry_store::users::insert(&mut tx, &user, T0)
        .await
        .unwrap_err();
    assert!(matches!(dup, StoreError::Conflict(_)), "{dup}");
    drop(tx);

    let s = NewSignin {
        user_id: uid,
        device: "{}",
        expires_at: T0.plus_secs(100),
        refresh_hash: "h1",
    };
    let sid = openentry_store::signins::insert(&t.db, &s, T0)
        .await
        .unwrap();
    assert!(live(&t.db, sid, T0).await.unwrap().is_some());
    assert!(matches!(
        rotate(&t.db, "h1", "h2", T0).await.unwrap(),
        Rotation::Rotated(_)
    ));
    assert_eq!(
        rotate(&t.db, "nope", "h3", T0).await.unwrap(),
        Rotation::Invalid
    );
    assert_eq!(
        rotate(&t.db, "h1", "h3", T0).await.unwrap(),
        Rotation::Reused
    );
    assert!(
        live(&t.db, sid, T0).await.unwrap().is_none(),
        "reuse revokes the session"
    );
    assert_eq!(
        rotate(&t.db, "h2", "h4", T0).await.unwrap(),
        Rotation::Invalid
    );
    t.finish().await;
}

#[tokio::test]
async fn throttle_counters_restart_after_their_window() {
    use openentry_store::throttle::{get, record, reset};
    let t = TestDb::new().await;
    let stale = |now: Timestamp| now.plus_secs(-60);
    assert_eq!(record(&t.db, "k", T0, stale(T0)).await.unwrap().failures, 1);
    assert_eq!(
        record(&t.db, "k", T0.plus_secs(1), stale(T0.plus_secs(1)))
            .await
            .unwrap()
            .failures,
        2
    );
    let later = T0.plus_secs(61);
    let c = record(&t.db, "k", later, stale(later)).await.unwrap();
    assert_eq!((c.failures, c.window_start), (1, later));
    reset(&t.db, "k").await.unwrap();
    assert_eq!(get(&t.db, "k").await.unwrap(), None);
    t.finish().await;
}

#[tokio::test]
async fn a_bad_url_is_refused_with_a_message() {
    let err = connect(&ConnectOptions::new("mysql://x"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("unsupported database URL"),
        "{err}"
    );
    let err = connect(&ConnectOptions::new("sqlite:///nonexistent-dir/x/y.db"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("cannot open SQLite database"),
        "{err}"
    );
}

#[tokio::test]
async fn corrupt_json_in_a_column_is_an_error_not_a_default() {
    let t = TestDb::new().await;
    openentry_store::project::import(&t.db, &project(), T0)
        .await
        .unwrap();
    let pid = openentry_store::project::load(&t.db)
        .await
        .unwrap()
        .providers[0]
        .id;
    let user = NewUser {
        provider_id: pid,
        identifier: "c@b.co".into(),
        login_key: "c@b.co".into(),
        password_hash: "x".into(),
        is_active: true,
        form_identifier: "reg".into(),
        form_data: r#"{"en_US": []}"#.into(),
        notification_data: r#"{"email": "c@b.co"}"#.into(),
        locale: "en_US".into(),
    };
    let mut tx = t.db.begin().await.unwrap();
    let uid = openentry_store::users::insert(&mut tx, &user, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let read = openentry_store::users::get(&t.db, uid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.form_data, serde_json::json!({"en_US": []}));
    assert_eq!(read.notification_data.email, "c@b.co");

    // Free-form JSON that does not parse, then JSON of the wrong shape for a typed column.
    for (sql, column) in [
        ("UPDATE users SET form_data = '{not json'", "form_data"),
        (
            "UPDATE users SET form_data = '{}', notification_data = '[1, 2]'",
            "notification_data",
        ),
    ] {
        assert_eq!(testdb::execute_raw(&t.db, sql).await.unwrap(), 1);
        let err = openentry_store::users::get(&t.db, uid).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Corrupt { column: c, .. } if c == column),
            "{err}"
        );
    }
    t.finish().await;
}

#[tokio::test]
async fn an_unknown_stored_name_is_an_error_not_a_default() {
    let t = TestDb::new().await;
    // Names no enum knows, as a bad migration or a hand edit would leave them.
    let alert = "INSERT INTO payment_alerts (session_id, event_id, kind, detail, created_at)
                 VALUES (NULL, '', 'paid_twice', '{}', 0)";
    let event = "INSERT INTO outbox (kind, aggregate, aggregate_id, payload, created_at)
                 VALUES ('order.exploded', 'order', 1, '{}', 0)";
    assert_eq!(testdb::execute_raw(&t.db, alert).await.unwrap(), 1);
    assert_eq!(testdb::execute_raw(&t.db, event).await.unwrap(), 1);
    assert!(
        openentry_store::payments::list_alerts(&t.db, 10)
            .await
            .is_err()
    );
    assert!(
        openentry_store::outbox::list_for_aggregate(&t.db, "order", 1)
            .await
            .is_err()
    );
    t.finish().await;
}

#[tokio::test]
async fn sitemap_settings_are_one_stored_row_and_a_bad_one_is_an_error() {
    use openentry_store::sitemap::{self, SitemapSettings};
    let t = TestDb::new().await;
    assert_eq!(
        sitemap::get(&t.db).await.unwrap(),
        SitemapSettings::default()
    );
    let mut s = SitemapSettings {
        base_urls: [("en_US".to_owned(), "https://shop.example/".to_owned())].into(),
        changefreq: Some("daily".to_owned()),
        priority: Some(0.7),
    };
    sitemap::set(&t.db, &s).await.unwrap();
    assert_eq!(sitemap::get(&t.db).await.unwrap(), s);
    s.base_urls.clear();
    sitemap::set(&t.db, &s).await.unwrap();
    assert_eq!(sitemap::get(&t.db).await.unwrap(), s, "set replaces");

    let bad = "UPDATE settings SET value = '{\"base_urls\": 3}' WHERE key = 'sitemap.settings'";
    assert_eq!(testdb::execute_raw(&t.db, bad).await.unwrap(), 1);
    assert!(matches!(
        sitemap::get(&t.db).await,
        Err(StoreError::Corrupt { .. })
    ));
    t.finish().await;
}

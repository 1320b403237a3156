//! Collection rows: every statement keeps to the caller's scope, values are per language with
//! the one fallback, a language's write leaves the others, and rows go with their user.

use openentry_domain::clock::Timestamp;
use openentry_domain::collections::Scope;
use openentry_domain::project::ProjectDefinition;
use openentry_store::collections::{
    Langs, NewRow, RowQuery, count_visible, delete, get, insert, list_visible, update,
};
use openentry_store::users::NewUser;
use openentry_store::{Db, StoreError};
use openentry_types::form_data::FormDataItem;
use openentry_types::paging::Paging;
use serde_json::json;

use super::{T0, TestDb, project};

const WISHLIST: &str = r#"
[project]
locales = ["en_US", "fr_FR"]

[[forms]]
identifier = "wish"
kind = "collection"
fields = [{ marker = "note", type = "string" }]

[[collections]]
identifier = "wishlist"
form = "wish"
write = "users"
"#;

fn shop() -> ProjectDefinition {
    let extra: ProjectDefinition = toml::from_str(WISHLIST).unwrap();
    let mut def = project();
    def.project = extra.project;
    def.forms.extend(extra.forms);
    def.collections = extra.collections;
    openentry_domain::project::check(&def).unwrap();
    def
}

async fn user(db: &Db, login: &str) -> i64 {
    let stored = openentry_store::project::load(db).await.unwrap();
    let u = NewUser {
        provider_id: stored.providers[0].id,
        identifier: login.into(),
        login_key: login.into(),
        password_hash: "x".into(),
        is_active: true,
        form_identifier: "reg".into(),
        form_data: "{}".into(),
        notification_data: "{}".into(),
        locale: "en_US".into(),
    };
    let mut tx = db.begin().await.unwrap();
    let id = openentry_store::users::insert(&mut tx, &u, T0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

fn note(text: &str) -> Vec<FormDataItem> {
    vec![FormDataItem {
        marker: "note".into(),
        kind: "string".into(),
        value: json!(text),
    }]
}

const EN: Langs<'static> = Langs {
    lang: "en_US",
    default: "en_US",
};
const FR: Langs<'static> = Langs {
    lang: "fr_FR",
    default: "en_US",
};

/// The wishlist imported, two users, and three rows: `a`'s French-only row about product 15,
/// `a`'s English row, `b`'s English row about product 15.
struct Setup {
    t: TestDb,
    coll: i64,
    a: i64,
    b: i64,
    ids: [i64; 3],
}

async fn setup() -> Setup {
    let t = TestDb::new().await;
    openentry_store::project::import(&t.db, &shop(), T0)
        .await
        .unwrap();
    let coll = openentry_store::project::load(&t.db)
        .await
        .unwrap()
        .collections[0]
        .id;
    let (a, b) = (user(&t.db, "a@x.co").await, user(&t.db, "b@x.co").await);
    let sac = [("fr_FR", note("sac"))];
    let bag = [("en_US", note("bag"))];
    let belt = [("en_US", note("belt"))];
    let row = |user_id, values, entity: Option<i64>| NewRow {
        collection_id: coll,
        user_id: Some(user_id),
        by_operator: false,
        entity_type: entity.map(|_| "products"),
        entity_id: entity,
        values,
    };
    let fr_only = insert(&t.db, &row(a, &sac, Some(15)), T0).await.unwrap();
    let en = insert(&t.db, &row(a, &bag, None), T0).await.unwrap();
    let theirs = insert(&t.db, &row(b, &belt, Some(15)), T0).await.unwrap();
    Setup {
        t,
        coll,
        a,
        b,
        ids: [fr_only, en, theirs],
    }
}

#[tokio::test]
async fn rows_are_read_within_their_scope_in_their_language() {
    let Setup {
        t,
        coll,
        a,
        ids: [fr_only, en, theirs],
        ..
    } = setup().await;
    // Scope: the owner, all, nothing.
    assert!(
        get(&t.db, coll, theirs, Scope::Own(a), EN)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        get(&t.db, coll, theirs, Scope::Nothing, EN)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        get(&t.db, coll + 1, theirs, Scope::All, EN)
            .await
            .unwrap()
            .is_none()
    );
    let mine = RowQuery {
        collection_id: coll,
        entity_type: None,
        entity_id: None,
        scope: Scope::Own(a),
    };
    let page = list_visible(&t.db, &mine, EN, Paging::default())
        .await
        .unwrap();
    assert_eq!(page.iter().map(|r| r.id).collect::<Vec<_>>(), [fr_only, en]);
    // The French-only row falls back to its one language.
    assert_eq!(page[0].form_data, note("sac"));
    let about_15 = RowQuery {
        entity_type: Some("products"),
        entity_id: Some(15),
        scope: Scope::All,
        ..mine
    };
    assert_eq!(count_visible(&t.db, &about_15).await.unwrap(), 2);
    let nothing = RowQuery {
        scope: Scope::Nothing,
        ..mine
    };
    assert_eq!(count_visible(&t.db, &nothing).await.unwrap(), 0);
    t.finish().await;
}

#[tokio::test]
async fn rows_change_within_their_scope_one_language_at_a_time() {
    let Setup {
        t,
        coll,
        a,
        b,
        ids: [_, en, _],
    } = setup().await;
    // Changes: out of scope is `false`; a language's write leaves the others.
    let later = Timestamp(T0.0 + 1000);
    assert!(
        !update(
            &t.db,
            (coll, en),
            Scope::Own(b),
            &[("en_US", note("x"))],
            later
        )
        .await
        .unwrap()
    );
    assert!(
        update(
            &t.db,
            (coll, en),
            Scope::Own(a),
            &[("fr_FR", note("sac rouge"))],
            later
        )
        .await
        .unwrap()
    );
    let en_row = get(&t.db, coll, en, Scope::All, EN).await.unwrap().unwrap();
    let fr_row = get(&t.db, coll, en, Scope::All, FR).await.unwrap().unwrap();
    assert_eq!(
        (en_row.form_data, fr_row.form_data),
        (note("bag"), note("sac rouge"))
    );
    assert_eq!((en_row.created_at, en_row.updated_at), (T0.0, later.0));
    assert!(!delete(&t.db, coll, en, Scope::Own(b)).await.unwrap());
    assert!(delete(&t.db, coll, en, Scope::Own(a)).await.unwrap());
    assert!(
        get(&t.db, coll, en, Scope::All, EN)
            .await
            .unwrap()
            .is_none()
    );

    // The collection cannot leave the definition while it has rows.
    let err = openentry_store::project::import(&t.db, &project(), T0)
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InUse(ref m) if m.contains("collections/wishlist")),
        "{err}"
    );
    t.finish().await;
}

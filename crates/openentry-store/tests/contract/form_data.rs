//! Form submissions: filters, visibility, ownership of changes, what goes with a user or a
//! thread, and the definition's seed entries.

use openentry_domain::clock::Timestamp;
use openentry_domain::form_data::{Viewer, visibility};
use openentry_domain::project::{FormRead, ProjectDefinition};
use openentry_store::form_data::{
    NewSubmission, SubmissionQuery, count_visible, delete_own, get, get_own, insert, list_visible,
    set_status, update_own,
};
use openentry_store::users::NewUser;
use openentry_store::{Db, StoreError};
use openentry_types::form_data::{FormDataItem, SubmissionStatus};
use openentry_types::paging::Paging;
use serde_json::json;

use super::{T0, TestDb, project};

const REVIEWS: &str = r#"
[[forms]]
identifier = "reviews"
kind = "data"
read = "public_approved"

[[forms.fields]]
marker = "rating"
type = "integer"

[[forms.fields]]
marker = "comment"
type = "text"
required = true

[[forms.seed]]
key = "first"
entity = "15"
time = "2026-05-02T10:00:00Z"
values = { rating = 5, comment = "Soft leather." }

[[forms.seed]]
key = "answer"
entity = "15"
time = "2026-05-03"
operator = true
reply_to = "first"
values = { comment = "Thank you!" }
"#;

/// The reviews form without its seed entries.
fn form_only() -> &'static str {
    REVIEWS.split("[[forms.seed]]").next().unwrap()
}

/// The sign-up project of the contract tests plus the reviews form (with `seeds` as written).
fn shop(seeds: &str) -> ProjectDefinition {
    let extra: ProjectDefinition = toml::from_str(seeds).unwrap();
    let mut def = project();
    def.forms.extend(extra.forms);
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

fn items(comment: &str) -> Vec<FormDataItem> {
    vec![FormDataItem {
        marker: "comment".into(),
        kind: "text".into(),
        value: json!(comment),
    }]
}

async fn submit(
    db: &Db,
    form_id: i64,
    user_id: Option<i64>,
    entity: &str,
    status: SubmissionStatus,
    at: i64,
) -> i64 {
    let data = items(&format!("by {user_id:?} on {entity}"));
    let s = NewSubmission {
        form_id,
        module_config_id: 5,
        entity_identifier: entity,
        parent_id: None,
        depth: 0,
        user_id,
        by_operator: false,
        fingerprint: user_id.is_none().then_some("UQ_device"),
        status,
        lang: "en_US",
        form_data: &data,
    };
    insert(db, &s, Timestamp(T0.0 + at)).await.unwrap()
}

fn query(form_id: i64, viewer: Viewer) -> SubmissionQuery<'static> {
    SubmissionQuery {
        form_id,
        module_config_id: None,
        entity_identifier: None,
        user_login: None,
        statuses: None,
        from: None,
        before: None,
        visibility: visibility(FormRead::PublicApproved, viewer),
    }
}

async fn ids(db: &Db, f: &SubmissionQuery<'_>) -> (Vec<i64>, i64) {
    let rows = list_visible(db, f, Paging::default()).await.unwrap();
    let total = count_visible(db, f).await.unwrap();
    (rows.iter().map(|r| r.id).collect(), total)
}

/// A form, two users and four submissions: Ann's approved and new ones on product 15, Bob's
/// new one on 16, an anonymous approved one on 15 (in that order).
async fn four(t: &TestDb) -> (i64, [i64; 2], [i64; 4]) {
    use SubmissionStatus::{Approved, New};
    openentry_store::project::import(&t.db, &shop(form_only()), T0)
        .await
        .unwrap();
    let form_id = openentry_store::project::load(&t.db).await.unwrap().forms[1].id;
    let (ann, bob) = (user(&t.db, "ann@b.co").await, user(&t.db, "bob@b.co").await);
    let a1 = submit(&t.db, form_id, Some(ann), "15", Approved, 1).await;
    let a2 = submit(&t.db, form_id, Some(ann), "15", New, 2).await;
    let b1 = submit(&t.db, form_id, Some(bob), "16", New, 3).await;
    let anon = submit(&t.db, form_id, None, "15", Approved, 4).await;
    (form_id, [ann, bob], [a1, a2, b1, anon])
}

#[tokio::test]
async fn submissions_are_filtered_and_seen_only_by_who_may() {
    use SubmissionStatus::{Approved, New};
    let t = TestDb::new().await;
    let (form_id, [ann, _], [a1, a2, b1, anon]) = four(&t).await;
    let rec = get(&t.db, a1).await.unwrap().unwrap();
    assert_eq!(rec.user_identifier.as_deref(), Some("ann@b.co"));
    assert_eq!(
        (rec.status, rec.form_data),
        (Approved, items("by Some(1) on 15"))
    );
    let rec = get(&t.db, anon).await.unwrap().unwrap();
    assert_eq!(
        (rec.fingerprint.as_deref(), rec.user_identifier),
        (Some("UQ_device"), None)
    );

    // Newest first; the public sees approved ones, a user also their own, operators all.
    assert_eq!(
        ids(&t.db, &query(form_id, Viewer::Anonymous)).await,
        (vec![anon, a1], 2)
    );
    assert_eq!(
        ids(&t.db, &query(form_id, Viewer::User(ann))).await,
        (vec![anon, a2, a1], 3)
    );
    assert_eq!(
        ids(&t.db, &query(form_id, Viewer::Operator)).await,
        (vec![anon, b1, a2, a1], 4)
    );
    let mut f = query(form_id, Viewer::Operator);
    f.entity_identifier = Some("15");
    f.statuses = Some(&[New]);
    assert_eq!(ids(&t.db, &f).await, (vec![a2], 1));
    f.statuses = Some(&[]);
    assert_eq!(ids(&t.db, &f).await, (vec![], 0));
    let mut f = query(form_id, Viewer::Operator);
    f.user_login = Some("ann@b.co");
    f.from = Some(Timestamp(T0.0 + 2));
    f.before = Some(Timestamp(T0.0 + 3));
    assert_eq!(ids(&t.db, &f).await, (vec![a2], 1));
    let mut f = query(form_id, Viewer::Operator);
    f.module_config_id = Some(4);
    assert_eq!(ids(&t.db, &f).await.1, 0);
    let page = list_visible(&t.db, &query(form_id, Viewer::Operator), Paging::new(1, 2))
        .await
        .unwrap();
    assert_eq!(page.iter().map(|r| r.id).collect::<Vec<_>>(), vec![b1, a2]);
    t.finish().await;
}

#[tokio::test]
async fn only_the_owner_changes_a_submission_and_it_goes_with_its_thread_and_account() {
    use SubmissionStatus::{Approved, New};
    let t = TestDb::new().await;
    let (form_id, [ann, bob], [a1, a2, b1, anon]) = four(&t).await;
    // Another user's id behaves like a missing one.
    assert!(get_own(&t.db, bob, a1).await.unwrap().is_none());
    assert!(
        !update_own(&t.db, bob, a1, &items("spam"), New, T0)
            .await
            .unwrap()
    );
    assert!(!delete_own(&t.db, bob, a1).await.unwrap());
    assert!(
        update_own(&t.db, ann, a1, &items("edited"), New, T0)
            .await
            .unwrap()
    );
    let rec = get_own(&t.db, ann, a1).await.unwrap().unwrap();
    assert_eq!((rec.status, rec.form_data), (New, items("edited")));
    assert!(set_status(&t.db, a1, Approved, T0).await.unwrap());
    assert!(!set_status(&t.db, 9_999, Approved, T0).await.unwrap());
    assert!(delete_own(&t.db, ann, a2).await.unwrap());
    assert!(get(&t.db, a2).await.unwrap().is_none());

    let data = items("reply");
    let reply = NewSubmission {
        form_id,
        module_config_id: 5,
        entity_identifier: "16",
        parent_id: Some(b1),
        depth: 1,
        user_id: Some(ann),
        by_operator: false,
        fingerprint: None,
        status: Approved,
        lang: "en_US",
        form_data: &data,
    };
    let r = insert(&t.db, &reply, T0).await.unwrap();
    assert!(delete_own(&t.db, bob, b1).await.unwrap());
    assert!(
        get(&t.db, r).await.unwrap().is_none(),
        "a reply goes with its thread"
    );
    openentry_store::users::delete(&t.db, ann).await.unwrap();
    assert!(
        get(&t.db, a1).await.unwrap().is_none(),
        "and with its sender's account"
    );
    assert!(get(&t.db, anon).await.unwrap().is_some());
    t.finish().await;
}

#[tokio::test]
async fn seed_entries_import_idempotently_and_a_form_with_submissions_stays() {
    let t = TestDb::new().await;
    let def = shop(REVIEWS);
    let first = openentry_store::project::import(&t.db, &def, T0)
        .await
        .unwrap();
    assert!(
        first
            .created
            .contains(&"form_data/reviews/first".to_owned()),
        "{first:?}"
    );
    assert!(
        first
            .created
            .contains(&"form_data/reviews/answer".to_owned()),
        "{first:?}"
    );
    let form_id = openentry_store::project::load(&t.db).await.unwrap().forms[1].id;
    let all = list_visible(&t.db, &query(form_id, Viewer::Anonymous), Paging::default())
        .await
        .unwrap();
    let (answer, review) = (&all[0], &all[1]);
    assert_eq!(review.seed_key.as_deref(), Some("first"));
    assert_eq!(review.created_at, 1_777_716_000_000);
    assert_eq!(
        serde_json::to_value(&review.form_data).unwrap(),
        json!([
            {"marker": "rating", "type": "integer", "value": 5},
            {"marker": "comment", "type": "text", "value": "Soft leather."},
        ])
    );
    assert_eq!(
        (answer.parent_id, answer.depth, answer.by_operator),
        (Some(review.id), 1, true)
    );
    assert_eq!(answer.status, SubmissionStatus::Approved);

    let again = openentry_store::project::import(&t.db, &def, T0)
        .await
        .unwrap();
    assert!(!again.changed, "{again:?}");

    // An edited entry keeps its id; a removed one goes with its replies.
    let edited = shop(&REVIEWS.replace("Soft leather.", "Very soft leather."));
    let report = openentry_store::project::import(&t.db, &edited, T0)
        .await
        .unwrap();
    assert!(
        report
            .updated
            .contains(&"form_data/reviews/first".to_owned()),
        "{report:?}"
    );
    let rec = get(&t.db, review.id).await.unwrap().unwrap();
    assert_eq!(rec.form_data[1].value, json!("Very soft leather."));
    let report = openentry_store::project::import(&t.db, &shop(form_only()), T0)
        .await
        .unwrap();
    assert_eq!(report.deleted, vec!["form_data/reviews/first"]);
    assert!(get(&t.db, answer.id).await.unwrap().is_none());

    // A form that holds what visitors sent cannot leave the definition.
    submit(&t.db, form_id, None, "15", SubmissionStatus::New, 0).await;
    let err = openentry_store::project::import(&t.db, &project(), T0)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::InUse(m) if m.contains("forms/reviews")),
        "{err}"
    );
    t.finish().await;
}

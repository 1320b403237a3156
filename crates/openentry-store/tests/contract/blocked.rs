//! A blocked user's sessions are not live and their refresh tokens do not rotate, whether or
//! not the sessions were revoked: the block is checked where sessions are checked.

use openentry_store::signins::{NewSignin, Rotation, get_live, rotate};
use openentry_store::user_admin::{list, set_blocked};
use openentry_store::users::NewUser;
use openentry_types::paging::Paging;

use super::{T0, TestDb, project};

#[tokio::test]
async fn a_blocked_users_sessions_are_refused_until_the_block_is_lifted() {
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
        identifier: "Ann_50%@b.co".into(),
        login_key: "ann_50%@b.co".into(),
        password_hash: "x".into(),
        is_active: true,
        form_identifier: "reg".into(),
        form_data: "{}".into(),
        notification_data: "{}".into(),
        locale: "en_US".into(),
    };
    let uid = openentry_store::users::insert(&t.db, &user, T0)
        .await
        .unwrap();
    let s = NewSignin {
        user_id: uid,
        device: "{}",
        expires_at: T0.plus_secs(100),
        refresh_hash: "h1",
    };
    let sid = openentry_store::signins::insert(&t.db, &s, T0)
        .await
        .unwrap();

    assert!(set_blocked(&t.db, uid, true, T0).await.unwrap());
    assert!(get_live(&t.db, sid, T0).await.unwrap().is_none());
    assert_eq!(
        rotate(&t.db, "h1", "h2", T0).await.unwrap(),
        Rotation::Invalid
    );
    let later = T0.plus_secs(5);
    assert!(set_blocked(&t.db, uid, true, later).await.unwrap());
    let u = openentry_store::users::get(&t.db, uid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        u.blocked_at,
        Some(T0.0),
        "a second block keeps the first time"
    );

    assert!(set_blocked(&t.db, uid, false, later).await.unwrap());
    assert!(get_live(&t.db, sid, later).await.unwrap().is_some());
    assert!(matches!(
        rotate(&t.db, "h1", "h2", later).await.unwrap(),
        Rotation::Rotated(_)
    ));
    assert!(!set_blocked(&t.db, uid + 1000, true, later).await.unwrap());

    let page = Paging::default();
    assert_eq!(list(&t.db, Some("50%"), page).await.unwrap().1, 1);
    assert_eq!(list(&t.db, Some("n_5"), page).await.unwrap().1, 1);
    assert_eq!(list(&t.db, Some("x%"), page).await.unwrap().1, 0);
    assert_eq!(list(&t.db, None, page).await.unwrap().0[0].id, uid);
    t.finish().await;
}

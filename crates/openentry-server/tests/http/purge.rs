//! The periodic purge deletes stale throttle counters, codes, idempotency keys, sessions and
//! notifications, and keeps everything still live.

use std::sync::Arc;

use openentry_server::{App, ProjectSource};
use openentry_store::purge::Counts;
use openentry_testkit::{TestServer, test_config};
use serde_json::json;

use crate::email;

const P: &str = "/api/content/users-auth-providers/marker/email/users";

/// Another server on the test's database and clock, for what the test reaches directly
/// (the purge, the install's keys).
pub(crate) async fn side_app(s: &TestServer) -> App {
    App::build(
        test_config(&s.database_url),
        Arc::new(s.clock.clone()),
        ProjectSource::Stored,
    )
    .await
    .unwrap()
}

async fn counts(app: &App) -> Counts {
    openentry_store::purge::counts(&app.state().db)
        .await
        .unwrap()
}

async fn order_with_key(s: &TestServer, token: &str, key: &str) -> (u16, String) {
    let body = json!({
        "formIdentifier": "order",
        "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}]
    });
    crate::orders::create_with_key(s, token, key, &body).await
}

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn the_purge_removes_stale_rows_and_keeps_live_ones() {
    let s = TestServer::spawn().await;
    let side = side_app(&s).await;
    let e = email("purge");
    let pw = "correct horse battery";
    s.sign_up(&e, pw).await;

    // Day 0: a session that is logged out, one that stays, a failed sign-in, a code and an
    // idempotent order.
    let (a1, r1) = s.sign_in(&e, pw).await;
    let out = s
        .post(
            &format!("{P}/logout"),
            Some(&a1),
            json!({"refreshToken": r1}),
        )
        .await;
    assert_eq!(out.status, 200);
    let (a2, r2) = s.sign_in(&e, pw).await;
    assert_eq!(s.auth(&email("ghost"), "wrong guess").await.status, 403);
    let code_req = json!({"userIdentifier": e, "eventIdentifier": "password"});
    assert_eq!(
        s.post(&format!("{P}/generate-code"), None, code_req.clone())
            .await
            .status,
        200
    );
    assert_eq!(order_with_key(&s, &a2, "old-key").await.0, 201);

    // 25 hours later the same again, live this time.
    s.clock.advance_secs(25 * 3600);
    let (a3, _) = s.sign_in(&e, pw).await;
    assert_eq!(s.auth(&email("ghost2"), "wrong guess").await.status, 403);
    assert_eq!(
        s.post(&format!("{P}/generate-code"), None, code_req)
            .await
            .status,
        200
    );
    let live_order = order_with_key(&s, &a3, "new-key").await;
    assert_eq!(live_order.0, 201);

    let before = counts(&side).await;
    let purged = openentry_server::purge::purge_now(side.state())
        .await
        .unwrap();
    let after = counts(&side).await;
    assert_eq!(purged.codes, 1, "the day-0 code expired");
    assert_eq!(purged.idempotency, 1, "the day-0 key is older than 24 h");
    assert_eq!(purged.sessions, 1, "the session logged out a day ago");
    assert_eq!(purged.throttle, 1, "only the day-0 ghost's counter is over");
    assert_eq!(purged.notifications, 0, "notifications are kept a week");
    assert_eq!(after.codes, before.codes - 1);
    assert_eq!(after.idempotency, before.idempotency - 1);
    assert_eq!(after.sessions, before.sessions - 1);
    assert!(
        after.refresh_tokens < before.refresh_tokens,
        "tokens go with their session"
    );
    assert_eq!(after.throttle, before.throttle - 1);

    // What is live still works.
    let refreshed = s
        .post(&format!("{P}/refresh"), None, json!({"refreshToken": r2}))
        .await;
    assert_eq!(refreshed.status, 200, "{:?}", refreshed.body);
    assert_eq!(order_with_key(&s, &a3, "new-key").await, live_order);
    let code = s.last_code(&e).await;
    let check = s
        .post(
            &format!("{P}/check-code"),
            None,
            json!({"userIdentifier": e, "eventIdentifier": "password", "code": code}),
        )
        .await;
    assert_eq!(check.body, json!(true));
    // A second purge at the same time finds nothing more.
    let again = openentry_server::purge::purge_now(side.state())
        .await
        .unwrap();
    assert_eq!(again.total(), 0, "{again:?}");

    // A week later the notifications, code, counters and keys are gone too.
    s.clock.advance_secs(8 * 24 * 3600);
    let purged = openentry_server::purge::purge_now(side.state())
        .await
        .unwrap();
    assert!(purged.notifications >= 2, "{purged:?}");
    let end = counts(&side).await;
    assert_eq!(
        (end.codes, end.idempotency, end.throttle, end.notifications),
        (0, 0, 0, 0)
    );
    assert!(end.sessions >= 1, "sessions live 30 days");
}

//! One-time codes under concurrency: tries and the resend cooldown are claimed atomically in
//! the shared database, so racing requests on two nodes stay within their budgets.

use serde_json::json;

use crate::codes::{path, server};
use crate::email;

#[tokio::test]
async fn fifty_concurrent_guesses_on_two_nodes_compare_at_most_max_attempts() {
    let (s, _d) = server().await;
    let b = s.second_node().await;
    let side = crate::purge::side_app(&s).await;
    let e = email("guess");
    let id = s.sign_up(&e, "correct horse battery").await["id"]
        .as_i64()
        .unwrap();
    let code = s.last_code(&e).await;
    let wrong: String = code
        .chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect();
    let check = path("check-code");
    let calls = (0..50).map(|i| {
        let node = if i % 2 == 0 { &s } else { &b };
        node.post(
            &check,
            None,
            json!({"userIdentifier": e, "eventIdentifier": "reg", "code": wrong}),
        )
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!((r.status, &r.body), (200, &json!(false)));
    }
    let attempts = openentry_store::codes::newest_attempts(&side.state().db, id)
        .await
        .unwrap();
    assert_eq!(
        attempts,
        Some(3),
        "max_attempts 3: only 3 of 50 guesses compared"
    );
    let right = json!({"userIdentifier": e, "eventIdentifier": "reg", "code": code});
    assert_eq!(
        s.post(&path("check-code"), None, right).await.body,
        json!(false)
    );
}

#[tokio::test]
async fn forty_concurrent_code_requests_on_two_nodes_send_one_code() {
    let (s, _d) = server().await;
    let b = s.second_node().await;
    let e = email("resend");
    s.sign_up(&e, "correct horse battery").await;
    s.clock.advance_secs(31);
    let generate = path("generate-code");
    let calls = (0..40).map(|i| {
        let node = if i % 2 == 0 { &s } else { &b };
        node.post(
            &generate,
            None,
            json!({"userIdentifier": e, "eventIdentifier": "password"}),
        )
    });
    let results = futures::future::join_all(calls).await;
    let sent = results.iter().filter(|r| r.status == 200).count();
    let refused = results.iter().filter(|r| r.status == 429).count();
    assert_eq!((sent, refused), (1, 39));
    let list = s
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/notifications?recipient={e}"),
            None,
        )
        .await
        .body;
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "the sign-up's code and one more"
    );
}

//! Form and refund events: a submitted form fires the events of its form and those of any
//! form, a refund request fires `refund`, each delivery logged for the user it concerns; the
//! log refuses bad filters with the SDK's error body.

use super::catalog::{bodies, spawn, user_id};
use super::*;

#[tokio::test]
#[allow(clippy::too_many_lines)] // a scenario reads top to bottom
async fn forms_and_refunds_fire_and_the_log_refuses_bad_filters() {
    let (r, url) = receiver().await;
    let (s, _) = spawn(&url).await;
    let t = s.user(&unique_email("forms")).await;
    let me = user_id(&s, &t).await;
    let note = json!({"formIdentifier": "notes", "formData": {"en_US": [{"marker": "line", "type": "string", "value": "hi"}]}});
    let posted = s.post("/api/content/form-data", Some(&t), note).await;
    assert!(posted.status < 300, "{}", posted.body);
    let feedback = json!({"formIdentifier": "feedback", "formData": {"en_US": [{"marker": "line", "type": "string", "value": "nice"}]}});
    let posted = s.post("/api/content/form-data", None, feedback).await;
    assert!(posted.status < 300, "{}", posted.body);
    let id = paid_order(&s).await;
    let refund = s
        .post(
            &format!("/api/content/orders/{id}/refund"),
            Some(&t),
            json!({"products": {"15": {"quantity": 1}}}),
        )
        .await;
    // The order belongs to another user (paid_order signs one up): 404, no event.
    assert_eq!(refund.status, 404, "{}", refund.body);
    let mine = s.create_order(&t, "cash").await;
    let paid = s
        .admin(
            Method::PUT,
            &format!("/api/admin/orders/{mine}/status"),
            Some(json!({"statusIdentifier": "paid"})),
        )
        .await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    let refund = s
        .post(
            &format!("/api/content/orders/{mine}/refund"),
            Some(&t),
            json!({"products": {"15": {"quantity": 1}}}),
        )
        .await;
    assert_eq!(refund.status, 200, "{}", refund.body);

    let report = pass(&s).await;
    assert_eq!(report["sent"], 4, "{report}");
    let mut kinds: Vec<(String, String)> = bodies(&r)
        .into_iter()
        .map(|(_, b)| {
            (
                b["type"].as_str().unwrap().to_owned(),
                b["data"]["event"]["form"].as_str().map_or_else(
                    || b["data"]["kind"].as_str().unwrap().to_owned(),
                    str::to_owned,
                ),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("any_form".to_owned(), "feedback".to_owned()),
            ("any_form".to_owned(), "notes".to_owned()),
            ("note_written".to_owned(), "notes".to_owned()),
            (
                "refund_asked".to_owned(),
                "order.refund_requested".to_owned()
            ),
        ]
    );
    // The user's log: both events of their note and their refund; the anonymous feedback
    // concerns nobody.
    let log = s
        .admin(
            Method::GET,
            &format!("/api/admin/users/{me}/deliveries"),
            None,
        )
        .await;
    assert_eq!(log.body["total"], 3, "{}", log.body);
    let anyone = s
        .admin(
            Method::GET,
            "/api/admin/events/any_form/deliveries?state=sent",
            None,
        )
        .await;
    assert_eq!(anyone.body["total"], 2);

    for (path, status) in [
        ("/api/admin/deliveries?state=lost", 400),
        ("/api/admin/deliveries?channel=pigeon", 400),
        ("/api/admin/deliveries?user=abc", 400),
        ("/api/admin/users/abc/deliveries", 400),
        ("/api/admin/events/any_form/deliveries?state=nope", 400),
        ("/api/admin/events/nope/deliveries", 404),
    ] {
        let r = s.admin(Method::GET, path, None).await;
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert_eq!(r.body["statusCode"], status, "{path}");
        assert!(r.body["message"].is_string(), "{path}");
        assert!(r.body["timestamp"].is_string(), "{path}");
    }
    let failed = s
        .admin(Method::GET, "/api/admin/deliveries?state=failed", None)
        .await;
    assert_eq!(failed.body, json!([]));
}

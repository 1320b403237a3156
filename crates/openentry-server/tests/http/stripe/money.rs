//! The amount paid is the amount of the order (issue 10, findings 1, 7 and 10): a session
//! opened for an order that then changes never pays the changed order, a second payment is
//! an alert, an update racing a payment never ends paid at the new total, and a client that
//! leaves during the Stripe call does not strand its payment.

use std::time::Duration;

use openentry_testkit::{Resp, TestServer};
use reqwest::Method;
use serde_json::{Value, json};

use super::*;

/// The checkout body of an update (the SDK resends the whole order).
fn update_body(quantity: i64, name: &str) -> Value {
    json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "card",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": name}]},
        "products": [{"productId": 15, "quantity": quantity}]
    })
}

async fn update(s: &TestServer, token: &str, order: i64, body: Value) -> Resp {
    s.call(
        Method::PUT,
        &format!("{ORDERS}/{order}?langCode=en_US"),
        Some(token),
        Some(body),
    )
    .await
}

/// A completed payment event for `stripe_id` of `amount` minor units.
fn paid(kind: &str, event_id: &str, stripe_id: &str, amount: i64, order: i64, sid: i64) -> String {
    if kind == "intent" {
        event(
            event_id,
            "payment_intent.succeeded",
            intent(stripe_id, amount, "usd", order, sid),
        )
    } else {
        let mut object = checkout(stripe_id, "paid", order, sid);
        object["amount_total"] = json!(amount);
        event(event_id, "checkout.session.completed", object)
    }
}

async fn order_total(shop: &Shop, order: i64) -> (String, String) {
    let o = shop
        .s
        .get(
            &format!("{ORDERS}/{order}?langCode=en_US"),
            Some(&shop.token),
        )
        .await;
    (
        o.body["statusIdentifier"].as_str().unwrap().to_owned(),
        o.body["totalSum"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn a_payment_for_the_old_total_never_pays_the_updated_order() {
    for kind in ["session", "intent"] {
        let shop = shop().await;
        let (order, sid, stripe_id) = shop.paying(kind).await;
        // 400 USD opened at Stripe; the order becomes 25 units = 10,000 USD.
        let r = update(
            &shop.s,
            &shop.token,
            order,
            update_body(25, "Christina Thomas"),
        )
        .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(shop.state(order).await.0, "canceled", "{kind}");
        let closed = shop.stand.received();
        assert!(
            closed.iter().any(|c| c.path.contains(&stripe_id)
                && (c.path.ends_with("/expire") || c.path.ends_with("/cancel"))),
            "the old {kind} is closed at Stripe: {closed:?}"
        );
        // The customer pays the old page anyway: the genuine event for 40,000 minor units.
        shop.deliver_signed(&paid(kind, "evt_old", &stripe_id, 40_000, order, sid))
            .await;
        let (status, total) = order_total(&shop, order).await;
        assert_ne!(status, "paid", "{kind}: paid {total} with 400");
        let alerts = shop.admin("/api/admin/payments/alerts").await;
        let alerts = alerts.as_array().unwrap().clone();
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0]["kind"], "amount_below_order_total");
        assert_eq!(alerts[0]["eventId"], "evt_old", "the event, not the actor");
        assert_eq!(alerts[0]["sessionId"], sid);
        assert_eq!(alerts[0]["detail"]["order"]["totalMinor"], 1_000_000);
        assert_eq!(alerts[0]["detail"]["paid"]["amountMinor"], 40_000);
        // A new session is for the new total, and paying it pays the order.
        let r = shop.create(order, kind).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        assert_eq!(r.body["amount"], json!(10_000));
        let new_sid = r.body["id"].as_i64().unwrap();
        assert_ne!(new_sid, sid);
        let new_id = shop.stand.received().last().unwrap().clone();
        assert_eq!(
            new_id
                .form
                .get("amount")
                .or(new_id.form.get("line_items[0][price_data][unit_amount]")),
            Some(&"1000000".to_owned())
        );
    }
}

#[tokio::test]
async fn a_second_payment_is_an_alert_and_pays_nothing_twice() {
    let shop = shop().await;
    let (order, first, first_cs) = shop.paying("session").await;
    // A changed name is a change of contents: the open session is replaced.
    let r = update(&shop.s, &shop.token, order, update_body(1, "Ann Smith")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = shop.create(order, "session").await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let second = r.body["id"].as_i64().unwrap();
    let second_cs = r.body["paymentUrl"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    shop.deliver_signed(&paid("session", "evt_2", &second_cs, 40_000, order, second))
        .await;
    assert_eq!(order_total(&shop, order).await.0, "paid");
    // The first page was paid too.
    shop.deliver_signed(&paid("session", "evt_1", &first_cs, 40_000, order, first))
        .await;
    let alerts = shop.admin("/api/admin/payments/alerts").await;
    let alerts = alerts.as_array().unwrap().clone();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0]["kind"], "second_payment");
    assert_eq!(alerts[0]["eventId"], "evt_1");
    assert_eq!(alerts[0]["sessionId"], first);
    let to_paid = shop
        .history(order)
        .await
        .into_iter()
        .filter(|h| h["kind"] == "status")
        .count();
    assert_eq!(to_paid, 1, "the order moved to paid once");
    // And a paid order opens no session.
    assert_eq!(shop.create(order, "session").await.status, 409);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_update_racing_a_payment_never_ends_paid_at_the_new_total() {
    let shop = shop().await;
    let other = shop.s.second_node().await;
    let (mut paid_first, mut updated_first) = (0, 0);
    for i in 0..30 {
        let (order, sid, cs) = shop.paying("session").await;
        let body = paid("session", &format!("evt_race_{i}"), &cs, 40_000, order, sid);
        let (u, ()) = tokio::join!(
            update(
                &other,
                &shop.token,
                order,
                update_body(25, "Christina Thomas")
            ),
            shop.deliver_signed(&body)
        );
        let (status, total) = order_total(&shop, order).await;
        if status == "paid" {
            assert_eq!(total, "400.00", "try {i}: paid at {total} with 400");
            assert_eq!(u.status, 409, "try {i}: {:?}", u.body);
            paid_first += 1;
        } else {
            assert_eq!(u.status, 200, "try {i}: {:?}", u.body);
            assert_eq!(total, "10000.00", "try {i}");
            updated_first += 1;
        }
    }
    let alerts = shop.admin("/api/admin/payments/alerts").await;
    assert_eq!(
        alerts.as_array().unwrap().len(),
        updated_first,
        "{alerts:?}"
    );
    eprintln!("paid first {paid_first}, updated first {updated_first}");
}

#[tokio::test]
async fn a_client_that_leaves_during_the_stripe_call_does_not_strand_its_payment() {
    let stand = stand_in().await;
    let base = stand.url.clone();
    let s = TestServer::spawn_with(
        move |c| {
            c.stripe_api_base = base;
            c.secrets.0.insert("STRIPE_SECRET_KEY".into(), KEY.into());
            c.secrets
                .0
                .insert("STRIPE_WEBHOOK_SECRET".into(), WHSEC.into());
            // Short, so the request is abandoned while Stripe is held.
            c.request_timeout = Duration::from_secs(1);
        },
        openentry_testkit::test_catalog(),
    )
    .await;
    let token = s.user(&email("leaver")).await;
    let r = s
        .post(ORDERS, Some(&token), update_body(1, "Christina Thomas"))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let order = r.body["id"].as_i64().unwrap();
    let (arrived_tx, arrived) = tokio::sync::oneshot::channel();
    let (release, release_rx) = tokio::sync::oneshot::channel();
    *stand.hold.lock().unwrap() = Some(Hold {
        arrived: arrived_tx,
        release: release_rx,
    });
    let body = json!({"orderId": order, "type": "session", "automaticTaxEnabled": false});
    let send = |s: &TestServer| {
        s.http
            .post(format!("{}{SESSIONS}", s.url))
            .header("x-app-token", &s.app_token)
            .header("Idempotency-Key", "leave-1")
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let first = send(&s).await.unwrap();
    // The request was abandoned (its handler dropped) while Stripe still held the call.
    assert_eq!(first.status(), 503);
    arrived.await.unwrap();
    release.send(()).unwrap();
    // The retry answers 409 only while the detached call finishes, then the session.
    let mut answer = None;
    for _ in 0..10_000 {
        let r = send(&s).await.unwrap();
        match r.status().as_u16() {
            409 => tokio::task::yield_now().await,
            201 => {
                answer = Some(r.json::<Value>().await.unwrap());
                break;
            }
            other => panic!("retry answered {other}: {}", r.text().await.unwrap()),
        }
    }
    let answer = answer.expect("the retry never got the session");
    assert!(
        answer["paymentUrl"].as_str().unwrap().contains("cs_test"),
        "{answer}"
    );
    let list = s
        .get(&format!("{SESSIONS}/order/{order}"), Some(&token))
        .await;
    assert_eq!(list.body, json!([answer]));
    s.stop().await;
}

//! Stripe webhooks: signatures, deduplication, ordering, amount checks.

use super::*;

#[tokio::test]
async fn the_signature_matrix() {
    let shop = shop().await;
    let (order, sid, pi) = shop.paying("intent").await;
    let body = event(
        "evt_matrix",
        "payment_intent.succeeded",
        intent(&pi, 40000, "usd", order, sid),
    );
    let now = shop.now();
    let valid = sign(WHSEC, &now.to_string(), &body);
    let tampered = body.replace("40000", "10000");
    let cases: Vec<(&str, &str, Option<String>)> = vec![
        (
            "changed body byte",
            &tampered,
            Some(format!("t={now},v1={valid}")),
        ),
        (
            "wrong secret",
            &body,
            Some(header("whsec_wrong", now, &body)),
        ),
        ("missing header", &body, None),
        ("only v0", &body, Some(format!("t={now},v0={valid}"))),
        (
            "malformed t",
            &body,
            Some(format!("t=abc,v1={}", sign(WHSEC, "abc", &body))),
        ),
        ("t 301 s old", &body, Some(header(WHSEC, now - 301, &body))),
        (
            "t 301 s ahead",
            &body,
            Some(header(WHSEC, now + 301, &body)),
        ),
        ("empty header", &body, Some(String::new())),
    ];
    let history = shop.history(order).await;
    for (name, b, sig) in cases {
        let r = shop.deliver(b, sig).await;
        assert_eq!(r.status, 400, "{name}: {:?}", r.body);
        assert_eq!(r.body["statusCode"], 400, "{name}: the SDK's error body");
        assert!(!r.message().is_empty());
        assert_eq!(
            shop.state(order).await,
            ("waiting".into(), "upcoming".into()),
            "{name}"
        );
    }
    assert_eq!(shop.history(order).await, history, "no state change");
    // The refused deliveries recorded nothing: the same event, properly signed, applies. A
    // timestamp within the tolerance on either side passes.
    shop.s.clock.advance_secs(299);
    let r = shop
        .deliver(&body, Some(format!("t={now},v1={valid}")))
        .await;
    assert_eq!((r.status, &r.body), (200, &json!({"received": true})));
    assert_eq!(shop.state(order).await, ("completed".into(), "paid".into()));

    // Two v1 values, one valid (a secret rotation).
    let (order2, sid2, pi2) = shop.paying("intent").await;
    let body2 = event(
        "evt_rotation",
        "payment_intent.succeeded",
        intent(&pi2, 40000, "usd", order2, sid2),
    );
    let t = shop.now() - 299;
    let rotated = format!(
        "t={t},v1={},v1={}",
        sign("whsec_old", &t.to_string(), &body2),
        sign(WHSEC, &t.to_string(), &body2)
    );
    let r = shop.deliver(&body2, Some(rotated)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        shop.state(order2).await,
        ("completed".into(), "paid".into())
    );
}

#[tokio::test]
async fn one_event_delivered_twenty_times_moves_once() {
    let shop = shop().await;
    let (order, sid, pi) = shop.paying("intent").await;
    let body = event(
        "evt_twenty",
        "payment_intent.succeeded",
        intent(&pi, 40000, "usd", order, sid),
    );
    let at_once = futures::future::join_all((0..10).map(|_| shop.deliver_signed(&body)));
    at_once.await;
    for _ in 0..10 {
        shop.deliver_signed(&body).await;
    }
    assert_eq!(shop.state(order).await, ("completed".into(), "paid".into()));
    let history = shop.history(order).await;
    let status: Vec<&Value> = history.iter().filter(|h| h["kind"] == "status").collect();
    assert_eq!(status.len(), 1, "{history:?}");
    assert_eq!(status[0]["detail"]["to"], "paid");
    assert_eq!(status[0]["actor"], "stripe");
    let payments = history.iter().filter(|h| h["kind"] == "payment").count();
    assert_eq!(payments, 1, "{history:?}");
    let outbox = shop
        .admin(&format!(
            "/api/admin/outbox?aggregate=payment_session&id={sid}"
        ))
        .await;
    let completed = outbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "payment.session.completed")
        .count();
    assert_eq!(completed, 1, "{outbox}");
}

fn permutations(k: usize, a: &mut [usize; 4], out: &mut Vec<[usize; 4]>) {
    if k == 1 {
        out.push(*a);
        return;
    }
    for i in 0..k {
        permutations(k - 1, a, out);
        let j = if k.is_multiple_of(2) { i } else { 0 };
        a.swap(j, k - 1);
    }
}

#[tokio::test]
async fn every_order_of_four_events_ends_paid_once() {
    let shop = shop().await;
    let mut orders = Vec::new();
    permutations(4, &mut [0, 1, 2, 3], &mut orders);
    assert_eq!(orders.len(), 24);
    for (n, perm) in orders.iter().enumerate() {
        let (order, sid, pi) = shop.paying("intent").await;
        let object = intent(&pi, 40000, "usd", order, sid);
        let mut failed = object.clone();
        failed["status"] = json!("requires_payment_method");
        failed["amount_received"] = json!(0);
        let mut canceled = object.clone();
        canceled["status"] = json!("canceled");
        canceled["amount_received"] = json!(0);
        let events = [
            event(
                &format!("evt_{n}_f1"),
                "payment_intent.payment_failed",
                failed.clone(),
            ),
            event(&format!("evt_{n}_c"), "payment_intent.canceled", canceled),
            event(&format!("evt_{n}_s"), "payment_intent.succeeded", object),
            event(
                &format!("evt_{n}_f2"),
                "payment_intent.payment_failed",
                failed,
            ),
        ];
        for &i in perm {
            shop.deliver_signed(&events[i]).await;
        }
        assert_eq!(
            shop.state(order).await,
            ("completed".into(), "paid".into()),
            "{perm:?}"
        );
        let history = shop.history(order).await;
        let to_paid = history
            .iter()
            .filter(|h| h["kind"] == "status" && h["detail"]["to"] == "paid")
            .count();
        assert_eq!(to_paid, 1, "{perm:?}: {history:?}");
    }
}

#[tokio::test]
async fn a_different_amount_or_currency_never_pays() {
    let shop = shop().await;
    let (order, sid, pi) = shop.paying("intent").await;
    for (id, amount, currency) in [
        ("evt_amount", 39_999, "usd"),
        ("evt_currency", 40000, "eur"),
    ] {
        let body = event(
            id,
            "payment_intent.succeeded",
            intent(&pi, amount, currency, order, sid),
        );
        shop.deliver_signed(&body).await;
        assert_eq!(
            shop.state(order).await,
            ("waiting".into(), "upcoming".into())
        );
    }
    let alerts = shop.admin("/api/admin/payments/alerts").await;
    let alerts = alerts.as_array().unwrap();
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[0]["eventId"], "evt_currency");
    assert_eq!(alerts[1]["eventId"], "evt_amount");
    for a in alerts {
        assert_eq!(a["kind"], "amount_mismatch");
        assert_eq!(a["sessionId"], sid);
        assert_eq!(a["detail"]["expected"]["amountMinor"], 40000);
    }
    assert_eq!(alerts[1]["detail"]["received"]["amountMinor"], 39_999);
    // The right amount still pays (currency compared case-insensitively).
    let body = event(
        "evt_right",
        "payment_intent.succeeded",
        intent(&pi, 40000, "USD", order, sid),
    );
    shop.deliver_signed(&body).await;
    assert_eq!(shop.state(order).await, ("completed".into(), "paid".into()));
}

#[tokio::test]
async fn an_expired_checkout_leaves_the_order_payable() {
    let shop = shop().await;
    let (order, sid, cs) = shop.paying("session").await;
    // Completed but not paid (a delayed payment method): nothing changes.
    let unpaid = event(
        "evt_unpaid",
        "checkout.session.completed",
        checkout(&cs, "unpaid", order, sid),
    );
    shop.deliver_signed(&unpaid).await;
    assert_eq!(
        shop.state(order).await,
        ("waiting".into(), "upcoming".into())
    );
    let expired = event(
        "evt_expired",
        "checkout.session.expired",
        checkout(&cs, "unpaid", order, sid),
    );
    shop.deliver_signed(&expired).await;
    assert_eq!(
        shop.state(order).await,
        ("expired".into(), "upcoming".into())
    );
    let again = shop.create(order, "session").await;
    assert_eq!(again.status, 201, "{:?}", again.body);
    assert_eq!(again.body["status"], "waiting");
    assert_ne!(again.body["id"], sid);
    assert!(
        again.body["paymentUrl"]
            .as_str()
            .unwrap()
            .contains("cs_test_")
    );
}

#[tokio::test]
async fn a_paid_checkout_completes_and_so_does_its_payment_intent() {
    let shop = shop().await;
    let (order, sid, cs) = shop.paying("session").await;
    let paid = event(
        "evt_paid",
        "checkout.session.completed",
        checkout(&cs, "paid", order, sid),
    );
    shop.deliver_signed(&paid).await;
    assert_eq!(shop.state(order).await, ("completed".into(), "paid".into()));

    // The PaymentIntent of a Checkout Session: its id was never stored; the metadata names
    // the session, and must name its order too.
    let (order2, sid2, _) = shop.paying("session").await;
    let wrong = event(
        "evt_pi_wrong_order",
        "payment_intent.succeeded",
        intent("pi_of_checkout", 40000, "usd", order, sid2),
    );
    shop.deliver_signed(&wrong).await;
    assert_eq!(
        shop.state(order2).await,
        ("waiting".into(), "upcoming".into())
    );
    let right = event(
        "evt_pi_of_checkout",
        "payment_intent.succeeded",
        intent("pi_of_checkout", 40000, "usd", order2, sid2),
    );
    shop.deliver_signed(&right).await;
    assert_eq!(
        shop.state(order2).await,
        ("completed".into(), "paid".into())
    );
}

#[tokio::test]
async fn unknown_events_and_sessions_are_acknowledged_and_change_nothing() {
    let shop = shop().await;
    let (order, sid, pi) = shop.paying("intent").await;
    let history = shop.history(order).await;
    for body in [
        event(
            "evt_refund",
            "charge.refunded",
            json!({"id": "ch_1", "payment_intent": pi}),
        ),
        event(
            "evt_nobody",
            "payment_intent.succeeded",
            intent("pi_nobody", 40000, "usd", order + 1000, sid + 1000),
        ),
        event(
            "evt_failed",
            "payment_intent.payment_failed",
            intent(&pi, 40000, "usd", order, sid),
        ),
    ] {
        shop.deliver_signed(&body).await;
    }
    assert_eq!(
        shop.state(order).await,
        ("waiting".into(), "upcoming".into())
    );
    assert_eq!(shop.history(order).await, history);
    assert_eq!(shop.admin("/api/admin/payments/alerts").await, json!([]));
    // A payment-session-less webhook needs no app token, but malformed JSON is refused even
    // when signed.
    let r = shop
        .deliver("not json", Some(header(WHSEC, shop.now(), "not json")))
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_cancellation_racing_a_success_never_loses_the_payment() {
    let shop = shop().await;
    for n in 0..10 {
        let (order, sid, pi) = shop.paying("intent").await;
        let object = intent(&pi, 40000, "usd", order, sid);
        let mut canceled = object.clone();
        canceled["status"] = json!("canceled");
        let cancel = event(
            &format!("evt_race_{n}_c"),
            "payment_intent.canceled",
            canceled,
        );
        let success = event(
            &format!("evt_race_{n}_s"),
            "payment_intent.succeeded",
            object,
        );
        futures::future::join(shop.deliver_signed(&cancel), shop.deliver_signed(&success)).await;
        assert_eq!(
            shop.state(order).await,
            ("completed".into(), "paid".into()),
            "round {n}"
        );
    }
}

#[tokio::test]
async fn a_signed_event_with_unstorable_text_is_refused_alike_on_every_database() {
    let shop = shop().await;
    let (order, sid, cs) = shop.paying("session").await;
    let long = "e".repeat(100_000);
    for body in [
        event(
            "evt_\u{0}nul",
            "checkout.session.completed",
            checkout(&cs, "paid", order, sid),
        ),
        event(
            &long,
            "checkout.session.completed",
            checkout(&cs, "paid", order, sid),
        ),
    ] {
        let r = shop
            .deliver(&body, Some(header(WHSEC, shop.now(), &body)))
            .await;
        assert_eq!(r.status, 400, "{:?}", r.body);
    }
    assert_eq!(shop.state(order).await.0, "waiting");
}

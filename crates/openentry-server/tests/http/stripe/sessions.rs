//! Sessions and intents created at the Stripe stand-in.

use super::*;

#[tokio::test]
async fn sessions_and_intents_are_created_at_stripe() {
    let shop = shop().await;
    let mut answers = Vec::new();
    let order = shop.order().await;
    let r = shop.create(order, "session").await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["status"], "waiting");
    assert_eq!(r.body["amount"], 400);
    let url = r.body["paymentUrl"].as_str().unwrap();
    assert!(
        url.starts_with("https://checkout.stripe.com/c/pay/cs_test_"),
        "{url}"
    );
    let sid = r.body["id"].as_i64().unwrap();
    answers.push(r.body);

    let order2 = shop.order().await;
    let r = shop.create(order2, "intent").await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let secret = r.body["clientSecret"].as_str().unwrap();
    assert!(
        secret.starts_with("pi_test_") && secret.contains("_secret_"),
        "{secret}"
    );
    assert_eq!(r.body["amount"], 400);
    let sid2 = r.body["id"].as_i64().unwrap();
    answers.push(r.body);

    let got = shop.stand.received();
    assert_eq!(got.len(), 2);
    let (cs, pi) = (&got[0], &got[1]);
    for (g, s) in [(cs, sid), (pi, sid2)] {
        assert_eq!(g.authorization, format!("Bearer {KEY}"));
        assert_eq!(g.idempotency_key, format!("openentry-session-{s}"));
        assert!(
            g.content_type
                .starts_with("application/x-www-form-urlencoded"),
            "{}",
            g.content_type
        );
        assert_eq!(g.form["metadata[session_id]"], s.to_string());
    }
    assert_eq!(cs.path, "/v1/checkout/sessions");
    assert_eq!(cs.form["mode"], "payment");
    assert_eq!(cs.form["line_items[0][price_data][unit_amount]"], "40000");
    assert_eq!(cs.form["line_items[0][price_data][currency]"], "usd");
    assert_eq!(cs.form["line_items[0][quantity]"], "1");
    assert_eq!(cs.form["metadata[order_id]"], order.to_string());
    assert_eq!(
        cs.form["payment_intent_data[metadata][order_id]"],
        order.to_string()
    );
    assert!(cs.form["success_url"].contains(&order.to_string()));
    assert_eq!(pi.path, "/v1/payment_intents");
    assert_eq!(pi.form["amount"], "40000");
    assert_eq!(pi.form["currency"], "usd");
    assert_eq!(pi.form["metadata[order_id]"], order2.to_string());

    // Nothing the Content API answers carries a secret.
    let t = Some(shop.token.as_str());
    let accounts = shop.s.get("/api/content/payments/accounts", t).await.body;
    let card = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["identifier"] == "card")
        .cloned()
        .unwrap_or_else(|| panic!("no card account: {accounts}"));
    assert_eq!(card["type"], "stripe");
    assert_eq!(card["testMode"], true);
    answers.push(accounts);
    for path in [
        format!("/api/content/payments/accounts/{}", card["id"]),
        format!("{SESSIONS}/{sid}"),
        format!("{SESSIONS}/order/{order2}"),
        format!("{SESSIONS}/?offset=0&limit=30"),
        format!("{ORDERS}/{order}?langCode=en_US"),
    ] {
        let r = shop.s.get(&path, t).await;
        assert_eq!(r.status, 200, "{path}: {:?}", r.body);
        answers.push(r.body);
    }
    for a in &answers {
        assert!(!secrets_in(&a.to_string()), "a secret leaked: {a}");
    }
}

#[tokio::test]
async fn stripe_refusing_answers_502_cancels_the_session_and_a_retry_works() {
    let shop = shop().await;
    let order = shop.order().await;
    shop.stand.fail.lock().unwrap().extend([402, 500]);
    for expected in ["Your card was declined.", "An unknown error occurred"] {
        let r = shop.create(order, "session").await;
        assert_eq!(r.status, 502, "{:?}", r.body);
        assert!(
            r.message().contains("Stripe") && r.message().contains(expected),
            "{}",
            r.message()
        );
        assert!(!secrets_in(&r.body.to_string()));
        assert_eq!(shop.state(order).await.0, "canceled");
    }
    let r = shop.create(order, "session").await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["status"], "waiting");
    assert!(r.body["paymentUrl"].as_str().unwrap().contains("cs_test_"));
    let keys: Vec<String> = shop
        .stand
        .received()
        .iter()
        .map(|g| g.idempotency_key.clone())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(
        keys[0] != keys[1] && keys[1] != keys[2],
        "each attempt is a new session: {keys:?}"
    );
    let list = shop
        .s
        .get(&format!("{SESSIONS}/order/{order}"), Some(&shop.token))
        .await;
    let statuses: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["canceled", "canceled", "waiting"]);
}

#[tokio::test]
async fn an_account_without_its_secret_answers_503_and_writes_nothing() {
    let text = project_text()
        .replace("STRIPE_SECRET_KEY", "OPENENTRY_TEST_UNSET_STRIPE_KEY_7c1d")
        .replace(
            "STRIPE_WEBHOOK_SECRET",
            "OPENENTRY_TEST_UNSET_STRIPE_WHSEC_7c1d",
        );
    let shop = shop_with(text, false).await;
    let order = shop.order().await;
    let r = shop.create(order, "session").await;
    assert_eq!(r.status, 503, "{:?}", r.body);
    assert!(r.message().contains("not configured"), "{}", r.message());
    assert!(r.message().contains("OPENENTRY_TEST_UNSET_STRIPE_KEY_7c1d"));
    let list = shop
        .s
        .get(&format!("{SESSIONS}/order/{order}"), Some(&shop.token))
        .await;
    assert_eq!(list.body, json!([]));
    assert_eq!(shop.admin("/api/admin/payments/sessions").await["total"], 0);
    assert!(shop.stand.received().is_empty());
    // Without a signing secret no webhook is accepted.
    let body = event("evt_x", "payment_intent.succeeded", json!({"id": "pi_x"}));
    let r = shop
        .deliver(&body, Some(header(WHSEC, shop.now(), &body)))
        .await;
    assert_eq!(r.status, 400, "{:?}", r.body);
}

// ---- webhooks ----

//! Catalog events: an import that lowers a price or puts a product back in stock reaches the
//! product's subscribers (each through the webhook, on their behalf, the threshold respected)
//! and the back office. The delivery log answers per event and per user, a page at a time.
//! The project (events of every new condition, two data forms) is shared with `forms`.

use openentry_testkit::Resp;

use super::*;

const EVENTS: &str = r#"
[[events]]
identifier = "cheaper"
module = "catalog"
condition = "price_below"
recipients = ["subscribers"]
channels = ["webhook"]

[[events]]
identifier = "restocked"
module = "catalog"
condition = "back_in_stock"
recipients = ["subscribers"]
channels = ["webhook"]

[[events]]
identifier = "price_watch"
module = "catalog"
condition = "price_below"
channels = ["webhook"]

[[events]]
identifier = "refund_asked"
module = "orders"
condition = "refund"
channels = ["webhook"]

[[events]]
identifier = "note_written"
module = "forms"
condition = "form_submitted"
form = "notes"
channels = ["webhook"]

[[events]]
identifier = "any_form"
module = "forms"
condition = "form_submitted"
channels = ["webhook"]

[[forms]]
identifier = "notes"
kind = "data"
title = { en_US = "Notes" }
moderation = false
[[forms.fields]]
marker = "line"
type = "string"

[[forms]]
identifier = "feedback"
kind = "data"
title = { en_US = "Feedback" }
read = "operators"
[[forms.fields]]
marker = "line"
type = "string"
"#;

/// The test catalog with the events above, all sent to one endpoint.
fn project_text(url: &str) -> String {
    let base = openentry_testkit::TEST_CATALOG;
    format!(
        r#"{base}{EVENTS}
[[webhooks]]
identifier = "shop"
url = "{url}"
secret_env = "BACKOFFICE_WEBHOOK_SECRET"
events = ["cheaper", "restocked", "price_watch", "refund_asked", "note_written", "any_form"]
"#
    )
}

/// A cheaper bag (400 → 390) and wallet (59.90 → 49.90), a dearer product 17 and product 18
/// back in stock.
pub(super) fn changed(text: &str) -> String {
    let out = text
        .replacen(r#"price = "400""#, r#"price = "390""#, 1)
        .replacen(r#"price = "59.90""#, r#"price = "49.90""#, 1)
        .replacen(r#"price = "35""#, r#"price = "40""#, 1)
        .replacen("status = \"out_of_stock\"\n", "", 1);
    assert_ne!(out, text);
    out
}

pub(super) async fn spawn(url: &str) -> (TestServer, String) {
    let text = project_text(url);
    let s = TestServer::spawn_with(
        |c| {
            c.relay.interval = None;
            c.relay.allow_private_targets = true;
            c.secrets
                .0
                .insert("BACKOFFICE_WEBHOOK_SECRET".to_owned(), SECRET.to_owned());
        },
        openentry_testkit::project_file(&text),
    )
    .await;
    (s, text)
}

/// Imports `text` as an operator would (`openentry project import`) while the server runs.
pub(super) async fn import(s: &TestServer, text: &str) {
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(
        s.database_url.clone(),
    ))
    .await
    .unwrap();
    let media =
        openentry_server::media::local::LocalDir::open(s.media_dir.as_ref().unwrap()).unwrap();
    openentry_server::project::import_text(&db, &media, &s.clock, "changed.toml", text)
        .await
        .unwrap();
    db.close().await;
}

pub(super) async fn user_id(s: &TestServer, token: &str) -> i64 {
    let me = s.get("/api/content/users/me", Some(token)).await;
    me.body["id"].as_i64().unwrap()
}

pub(super) async fn subscribe(s: &TestServer, token: &str, marker: &str, body: Value) -> Resp {
    s.post(
        &format!("/api/content/events/subscribe/marker/{marker}"),
        Some(token),
        body,
    )
    .await
}

pub(super) fn bodies(r: &Receiver) -> Vec<(String, Value)> {
    r.got
        .lock()
        .unwrap()
        .iter()
        .map(|g| (g.id.clone(), serde_json::from_str(&g.body).unwrap()))
        .collect()
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // a scenario reads top to bottom
async fn price_falls_and_returns_to_stock_reach_their_subscribers() {
    let (r, url) = receiver().await;
    let (s, text) = spawn(&url).await;
    let [a, b, c] = [
        s.user(&unique_email("cat-a")).await,
        s.user(&unique_email("cat-b")).await,
        s.user(&unique_email("cat-c")).await,
    ];
    let (ia, ib, ic) = (
        user_id(&s, &a).await,
        user_id(&s, &b).await,
        user_id(&s, &c).await,
    );
    // A waits for the bag under 380, B for any price under today's (400), C for the wallet
    // under 50.
    for (t, body) in [
        (&a, json!({"productId": 15, "threshold": 380})),
        (&b, json!({"productId": 15})),
        (&c, json!({"productId": 16, "threshold": "50"})),
    ] {
        let r = subscribe(&s, t, "cheaper", body).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    for t in [&a, &c] {
        let r = subscribe(&s, t, "restocked", json!({"productId": 18})).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    for (bad, why) in [
        (
            json!({"productId": 15, "threshold": "12.345"}),
            "too many decimals",
        ),
        (json!({"productId": 15, "threshold": -1}), "negative"),
        (json!({"productId": 15, "threshold": [1]}), "not a number"),
        (json!({"productId": 19, "threshold": 5}), "no price"),
    ] {
        let r = subscribe(&s, &a, "cheaper", bad).await;
        assert_eq!(r.status, 400, "{why}: {}", r.body);
        assert_eq!(r.body["statusCode"], 400, "{why}");
    }
    // Nothing changed yet: nothing to deliver.
    assert_eq!(pass(&s).await["claimed"], 0);

    import(&s, &changed(&text)).await;
    let report = pass(&s).await;
    assert_eq!(report["sent"], 6, "{report}");
    let got = bodies(&r);
    let mut seen: Vec<(String, i64, Option<i64>)> = got
        .iter()
        .map(|(_, b)| {
            (
                b["type"].as_str().unwrap().to_owned(),
                b["data"]["aggregateId"].as_i64().unwrap(),
                b["data"]["subscriber"]["userId"].as_i64(),
            )
        })
        .collect();
    seen.sort();
    let mut want = vec![
        ("cheaper".to_owned(), 15, Some(ib)),
        ("cheaper".to_owned(), 16, Some(ic)),
        ("price_watch".to_owned(), 15, None),
        ("price_watch".to_owned(), 16, None),
        ("restocked".to_owned(), 18, Some(ia)),
        ("restocked".to_owned(), 18, Some(ic)),
    ];
    want.sort();
    assert_eq!(seen, want);
    let fell = got
        .iter()
        .find(|(_, b)| b["type"] == "cheaper" && b["data"]["aggregateId"] == 16)
        .unwrap();
    assert_eq!(fell.1["data"]["kind"], "product.price_fell");
    assert_eq!(
        fell.1["data"]["event"],
        json!({"productId": 16, "currency": "USD", "fromMinor": 5990, "toMinor": 4990})
    );
    assert_eq!(fell.1["data"]["subscriber"]["thresholdMinor"], 5000);
    let ids: std::collections::HashSet<_> = got.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(ids.len(), 6, "one id per delivery");

    // The same file again changes nothing, so nothing fires.
    import(&s, &changed(&text)).await;
    assert_eq!(pass(&s).await["claimed"], 0);

    // The log per user and per event.
    let of_b = s
        .admin(
            Method::GET,
            &format!("/api/admin/users/{ib}/deliveries"),
            None,
        )
        .await;
    assert_eq!(of_b.status, 200, "{}", of_b.body);
    assert_eq!(of_b.body["total"], 1);
    assert_eq!(of_b.body["items"][0]["event"], "cheaper");
    assert_eq!(of_b.body["items"][0]["userId"], ib);
    assert_eq!(of_b.body["items"][0]["state"], "sent");
    let of_c = s
        .admin(
            Method::GET,
            &format!("/api/admin/users/{ic}/deliveries"),
            None,
        )
        .await;
    assert_eq!(of_c.body["total"], 2);
    let cheaper = s
        .admin(
            Method::GET,
            "/api/admin/events/cheaper/deliveries?limit=1&offset=1",
            None,
        )
        .await;
    assert_eq!(cheaper.body["total"], 2);
    assert_eq!(cheaper.body["items"].as_array().unwrap().len(), 1);
    let flat = s
        .admin(
            Method::GET,
            &format!("/api/admin/deliveries?user={ia}"),
            None,
        )
        .await;
    assert_eq!(flat.body.as_array().unwrap().len(), 1);
}

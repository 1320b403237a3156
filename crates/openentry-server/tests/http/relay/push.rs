//! Push through Firebase Cloud Messaging (HTTP v1) to a stand-in for Google ([`super::fake_fcm`]):
//! an order reaching `paid` pushes each device its customer registered in `phonePush`, in
//! their locale, with one access token for many messages; a device FCM no longer knows is
//! dead at once while the others are sent; a busy FCM is tried again; a refused access token
//! is fetched anew; without credentials the channel is skipped.

use openentry_domain::clock::Clock;
use openentry_server::ProjectSource;
use openentry_testkit::{PASSWORD, T0, TestServer, sign_up_body, unique_email};
use serde_json::{Value, json};

use super::email::{mail_shop_with, paid};
use super::fake_fcm::{self, FakeFcm};
use super::{log, pass};

const PUSH_EVENT: &str = r#"
[[events]]
identifier = "order_paid_push"
module = "orders"
condition = "order_status"
storage = "orders"
status = "paid"
recipients = ["user"]
channels = ["push"]

[events.messages.en_US]
subject = "Order {{order.id}} is {{order.statusTitle}}"
text = "Thank you, {{user.name}}: we received {{order.total}} {{order.currency}}."

[events.messages.de_DE]
subject = "Bestellung {{order.id}}: {{order.statusTitle}}"
text = "Danke, {{user.name}}: wir haben {{order.total}} {{order.currency}} erhalten."
"#;

fn shop() -> ProjectSource {
    mail_shop_with(PUSH_EVENT)
}

/// A shop pushing through `fcm` (no SMTP: the project's e-mail event is skipped).
async fn server(fcm: &FakeFcm) -> TestServer {
    server_of(fcm, shop()).await
}

async fn server_of(fcm: &FakeFcm, project: ProjectSource) -> TestServer {
    let settings = fcm.settings();
    TestServer::spawn_with(
        move |c| {
            c.relay.interval = None;
            c.push = Some(settings);
        },
        project,
    )
    .await
}

/// A customer who signed up in `lang` with devices `devices`; returns (login, access token).
async fn customer(s: &TestServer, lang: &str, name: &str, devices: &[&str]) -> (String, String) {
    let e = unique_email(lang);
    let mut body = sign_up_body(&e, PASSWORD);
    body["langCode"] = json!(lang);
    body["formData"] = json!({ lang: [{"marker": "name", "type": "string", "value": name}] });
    body["notificationData"]["phonePush"] = json!(devices);
    let r = s
        .post(
            "/api/content/users-auth-providers/marker/email/users/sign-up",
            None,
            body,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = s.sign_in(&e, PASSWORD).await.0;
    (e, token)
}

/// Waits out every pending delivery's backoff on the manual clock.
fn wait_for_retries(s: &TestServer, entries: &[Value]) {
    let now = s.clock.now().unix_secs();
    let latest = entries
        .iter()
        .filter(|e| e["state"] == "pending")
        .filter_map(|e| e["dueAt"].as_str())
        .map(|due| {
            time::OffsetDateTime::parse(due, &time::format_description::well_known::Rfc3339)
                .unwrap()
                .unix_timestamp()
        })
        .max()
        .unwrap();
    s.clock.advance_secs(latest - now + 1);
}

fn entry_with_status(entries: &[Value], status: i64) -> &Value {
    entries
        .iter()
        .find(|e| e["lastStatus"] == status)
        .unwrap_or_else(|| panic!("no delivery with status {status}: {entries:?}"))
}

#[tokio::test]
async fn a_paid_order_pushes_every_device_of_its_customer_in_their_locale() {
    let fcm = fake_fcm::start().await;
    let s = server(&fcm).await;
    let (_, bernd) = customer(&s, "de_DE", "Bernd", &["tok-1", "tok-2"]).await;
    let (_, ann) = customer(&s, "en_US", "Ann", &["tok-3"]).await;
    let bernd_order = paid(&s, &bernd).await;
    let ann_order = paid(&s, &ann).await;
    let report = pass(&s).await;
    assert_eq!(report["sent"], 3, "{report}");
    // One access token for every message, its grant signed at the server's time.
    assert_eq!(fcm.grants(), 1);
    assert_eq!(fcm.issued_at(), [T0.unix_secs()]);
    for device in ["tok-1", "tok-2"] {
        let got = fcm.pushed_to(device);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].bearer, "ya29.test-1");
        let m = &got[0].message["message"];
        let title = format!("Bestellung {bernd_order}: Bezahlt");
        assert_eq!(m["notification"]["title"], title.as_str());
        assert_eq!(
            m["notification"]["body"],
            "Danke, Bernd: wir haben 400.00 USD erhalten."
        );
        assert_eq!(m["data"]["event"], "order_paid_push");
        assert_eq!(m["data"]["orderId"], bernd_order.to_string());
        assert_eq!(m["data"]["locale"], "de_DE");
    }
    let got = fcm.pushed_to("tok-3");
    assert_eq!(got.len(), 1, "{got:?}");
    let m = &got[0].message["message"];
    let title = format!("Order {ann_order} is Paid");
    assert_eq!(m["notification"]["title"], title.as_str());
    assert_eq!(
        m["notification"]["body"],
        "Thank you, Ann: we received 400.00 USD."
    );

    let entries = log(&s).await;
    assert_eq!(entries.len(), 3, "{entries:?}");
    for e in &entries {
        assert_eq!(e["channel"], "push");
        assert_eq!(e["state"], "sent");
        assert_eq!(e["lastStatus"], 200);
        assert!(e["userId"].is_i64(), "{e}");
        // Ids and targets name a device by a hash, never by its token.
        let (id, target) = (e["id"].as_str().unwrap(), e["target"].as_str().unwrap());
        assert!(!id.contains("tok-") && !target.contains("tok-"), "{e}");
    }
    for p in fcm.pushed() {
        let data = p.message["message"]["data"].as_object().unwrap().clone();
        // FCM's data holds strings only; `id` is the delivery's (a client deduplicates).
        assert!(data.values().all(Value::is_string), "{data:?}");
        assert!(entries.iter().any(|e| e["id"] == data["id"]), "{data:?}");
    }
    assert_eq!(pass(&s).await["claimed"], 0);

    // An hour later the token has ended: the next push fetches another.
    s.clock.advance_secs(3600);
    paid(&s, &ann).await;
    assert_eq!(pass(&s).await["sent"], 1);
    assert_eq!(fcm.grants(), 2);
    assert_eq!(fcm.pushed_to("tok-3")[1].bearer, "ya29.test-2");
}

#[tokio::test]
async fn an_unknown_device_is_dead_at_once_and_a_busy_fcm_is_tried_again() {
    let fcm = fake_fcm::start().await;
    fcm.script("tok-gone", &[(404, "UNREGISTERED")]);
    fcm.script("tok-busy", &[(503, "UNAVAILABLE")]);
    fcm.script("tok-moved", &[(400, "SENDER_ID_MISMATCH")]);
    let s = server(&fcm).await;
    let (_, user) = customer(&s, "en_US", "Ann", &["tok-gone", "tok-busy", "tok-ok"]).await;
    // A device registered the SDK's other way, which FCM says belongs to another project.
    let r = s
        .post(
            "/api/content/users/me/fcm-token/tok-moved",
            Some(&user),
            Value::Null,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    paid(&s, &user).await;
    let report = pass(&s).await;
    assert_eq!(
        (&report["sent"], &report["dead"], &report["retried"]),
        (&json!(1), &json!(2), &json!(1)),
        "{report}"
    );
    let entries = log(&s).await;
    let gone = entry_with_status(&entries, 404);
    assert_eq!(gone["state"], "dead");
    assert_eq!(gone["attempts"], 1);
    assert_eq!(gone["lastError"], "HTTP 404 UNREGISTERED");
    let busy = entry_with_status(&entries, 503);
    assert_eq!(busy["state"], "pending");
    assert_eq!(busy["lastError"], "HTTP 503 UNAVAILABLE");
    assert_eq!(entry_with_status(&entries, 200)["state"], "sent");

    wait_for_retries(&s, &entries);
    assert_eq!(pass(&s).await["sent"], 1);
    assert_eq!(fcm.pushed_to("tok-busy").len(), 2);
    assert_eq!(fcm.pushed_to("tok-gone").len(), 1);
    assert_eq!(fcm.pushed_to("tok-ok").len(), 1);
    assert_eq!(fcm.grants(), 1);
    assert_eq!(pass(&s).await["claimed"], 0);
    // The dead token left the user's devices; the busy one stays.
    let me = s.get("/api/content/users/me", Some(&user)).await;
    assert_eq!(
        me.body["notificationData"]["phonePush"],
        json!(["tok-busy", "tok-ok"]),
        "{}",
        me.body
    );
    paid(&s, &user).await;
    assert_eq!(pass(&s).await["sent"], 2);
    assert_eq!(fcm.pushed_to("tok-gone").len(), 1);
    assert_eq!(fcm.pushed_to("tok-moved").len(), 1);
}

#[tokio::test]
async fn a_refused_access_token_is_fetched_anew() {
    let fcm = fake_fcm::start().await;
    fcm.script("tok-1", &[(401, "UNAUTHENTICATED")]);
    let s = server(&fcm).await;
    let (_, user) = customer(&s, "en_US", "Ann", &["tok-1"]).await;
    paid(&s, &user).await;
    assert_eq!(pass(&s).await["retried"], 1);
    wait_for_retries(&s, &log(&s).await);
    assert_eq!(pass(&s).await["sent"], 1);
    assert_eq!(fcm.grants(), 2);
    let bearers: Vec<String> = fcm.pushed().into_iter().map(|p| p.bearer).collect();
    assert_eq!(bearers, ["ya29.test-1", "ya29.test-2"]);
}

#[tokio::test]
async fn without_fcm_credentials_the_push_channel_is_skipped() {
    let s = TestServer::spawn_with(|c| c.relay.interval = None, shop()).await;
    let (_, user) = customer(&s, "en_US", "Ann", &["tok-1"]).await;
    paid(&s, &user).await;
    let report = pass(&s).await;
    assert_eq!(report["claimed"], 0, "{report}");
    assert!(log(&s).await.is_empty());
}

#[tokio::test]
async fn a_group_event_pushes_every_device_of_the_group_once() {
    let newcomer = r#"
[[events]]
identifier = "newcomer"
module = "users"
condition = "sign_up"
recipients = ["group", "user"]
group = "guest"
channels = ["push"]
[events.messages.en_US]
subject = "{{user.login}} joined"
"#;
    let fcm = fake_fcm::start().await;
    let s = server_of(&fcm, mail_shop_with(newcomer)).await;
    let (ann, token) = customer(&s, "en_US", "Ann", &["tok-a"]).await;
    // A device registered the SDK's other way (Users.addFCMToken), and one of both ways.
    for device in ["tok-a2", "tok-a"] {
        let path = format!("/api/content/users/me/fcm-token/{device}");
        let r = s.post(&path, Some(&token), Value::Null).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(pass(&s).await["sent"], 2);
    let (bob, _) = customer(&s, "de_DE", "Bob", &["tok-b"]).await;
    // Bob is the user and in the group: his device hears once, each of Ann's once.
    assert_eq!(pass(&s).await["sent"], 3);
    let titles = |device: &str| -> Vec<String> {
        fcm.pushed_to(device)
            .iter()
            .map(|p| {
                p.message["message"]["notification"]["title"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let both = [format!("{ann} joined"), format!("{bob} joined")];
    assert_eq!(titles("tok-a"), both);
    assert_eq!(titles("tok-a2"), both);
    assert_eq!(titles("tok-b"), [format!("{bob} joined")]);
    let r = s
        .admin(
            reqwest::Method::GET,
            "/api/admin/deliveries?channel=push",
            None,
        )
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 5, "{}", r.body);
}

//! Push to product subscribers: a price fall reaches the devices of each subscriber under
//! whose threshold the new price is (the rule of every channel), titled with the product.

use openentry_server::ProjectSource;
use openentry_testkit::{TestServer, unique_email};
use serde_json::{Value, json};

use super::catalog::{changed, import, subscribe, user_id};
use super::fake_fcm;
use super::{log, pass};

const EVENT: &str = r#"
[[events]]
identifier = "cheaper"
module = "catalog"
condition = "price_below"
recipients = ["subscribers"]
channels = ["push"]
[events.messages.en_US]
subject = "Product {{product.id}} is cheaper"
text = "{{user.login}}, it is below your price now."
"#;

#[tokio::test]
async fn a_price_fall_pushes_the_subscribers_it_reaches() {
    let fcm = fake_fcm::start().await;
    let text = format!("{}{EVENT}", openentry_testkit::TEST_CATALOG);
    let file = tempfile::tempdir()
        .unwrap()
        .keep()
        .join("push-catalog.toml");
    std::fs::write(&file, &text).unwrap();
    let settings = fcm.settings();
    let s = TestServer::spawn_with(
        move |c| {
            c.relay.interval = None;
            c.push = Some(settings);
        },
        ProjectSource::File(file),
    )
    .await;
    let (a_login, b_login) = (unique_email("push-a"), unique_email("push-b"));
    let (a, b) = (s.user(&a_login).await, s.user(&b_login).await);
    // A waits for the bag under 380, B for any price under today's (400).
    for (t, device, body) in [
        (&a, "tok-a", json!({"productId": 15, "threshold": 380})),
        (&b, "tok-b", json!({"productId": 15})),
    ] {
        let r = subscribe(&s, t, "cheaper", body).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let path = format!("/api/content/users/me/fcm-token/{device}");
        let r = s.post(&path, Some(t), Value::Null).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(pass(&s).await["claimed"], 0);

    // 400 → 390: under B's threshold, not under A's.
    import(&s, &changed(&text)).await;
    assert_eq!(pass(&s).await["sent"], 1);
    assert!(fcm.pushed_to("tok-a").is_empty());
    let got = fcm.pushed_to("tok-b");
    assert_eq!(got.len(), 1, "{got:?}");
    let m = &got[0].message["message"];
    assert_eq!(m["notification"]["title"], "Product 15 is cheaper");
    let body = format!("{b_login}, it is below your price now.");
    assert_eq!(m["notification"]["body"], body.as_str());
    assert_eq!(m["data"]["productId"], "15");
    assert_eq!(m["data"]["kind"], "product.price_fell");
    let entries = log(&s).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["userId"], user_id(&s, &b).await);
    assert_eq!(entries[0]["channel"], "push");
}

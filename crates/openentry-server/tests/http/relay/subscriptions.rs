//! Product subscriptions (Events module) over HTTP.

use super::*;

#[tokio::test]
async fn subscriptions_are_per_user_and_checked_against_the_project() {
    let (_r, url) = receiver().await;
    let s = TestServer::spawn_with(|_| {}, catalog_with_product_events(&url)).await;
    let t = s.user(&unique_email("subs")).await;
    let other = s.user(&unique_email("subs-other")).await;
    let body = json!({"productId": 15, "locale": "en_US"});
    let r = s
        .post(
            "/api/content/events/subscribe/marker/back",
            Some(&t),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body, json!(true));
    let r = s
        .post(
            "/api/content/events/subscribe/marker/order_paid",
            Some(&t),
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = s
        .post(
            "/api/content/events/subscribe/marker/back",
            Some(&t),
            json!({"productId": 424242}),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let mine = s.get("/api/content/events/subscriptions", Some(&t)).await;
    assert_eq!(
        mine.body,
        json!({"total": 1, "items": [{"eventMarker": "back", "productId": 15}]})
    );
    let theirs = s
        .get("/api/content/events/subscriptions", Some(&other))
        .await;
    assert_eq!(theirs.body, json!({"total": 0, "items": []}));
    let anon = s.get("/api/content/events/subscriptions", None).await;
    assert_eq!(anon.status, 401);
}

fn catalog_with_product_events(url: &str) -> ProjectSource {
    let ProjectSource::File(file) = catalog_with_events(url) else {
        unreachable!()
    };
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        r#"
[[events]]
identifier = "back"
module = "catalog"
condition = "back_in_stock"
recipients = ["subscribers"]
channels = ["email"]
[events.messages.en_US]
subject = "{{product.title}} is back"
"#,
    );
    std::fs::write(&file, text).unwrap();
    ProjectSource::File(file)
}

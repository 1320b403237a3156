//! The System module: the platform's test routes answer with the SDK's error body, and
//! `api-stat` reports what this node really counted (per method and route template, by status
//! class, with the uptime on the server's clock).

use openentry_domain::clock::Timestamp;
use openentry_testkit::{T0, TestServer};
use serde_json::{Value, json};

const STAT: &str = "/api/content/system/api-stat";

fn is_error_body(body: &Value, status: u16) -> bool {
    body["statusCode"] == status
        && body["pageData"].is_null()
        && body["message"].as_str().is_some_and(|m| !m.is_empty())
        && body["timestamp"].as_str().is_some_and(|t| t.ends_with('Z'))
}

#[tokio::test]
async fn the_test_routes_answer_404_and_500_with_the_error_body() {
    let s = TestServer::spawn().await;
    let r = s.get("/api/content/system/test404", None).await;
    assert_eq!(r.status, 404);
    assert!(is_error_body(&r.body, 404), "{}", r.body);
    assert_eq!(r.message(), "Not found (System.test404 always answers 404)");

    let r = s.get("/api/content/system/test500", None).await;
    assert_eq!(r.status, 500);
    assert!(is_error_body(&r.body, 500), "{}", r.body);
    assert_eq!(
        r.message(),
        "Internal server error (System.test500 always answers 500, on purpose)"
    );

    // Behind the app token like the rest of the Content API.
    for path in [
        "/api/content/system/test404",
        "/api/content/system/test500",
        STAT,
    ] {
        let r = s.http.get(format!("{}{path}", s.url)).send().await.unwrap();
        assert_eq!(r.status(), 401, "{path}");
    }
}

#[tokio::test]
async fn api_stat_counts_answers_by_route_and_status_class_since_start() {
    let s = TestServer::spawn().await;
    let empty = s.get(STAT, None).await;
    assert_eq!(empty.status, 200);
    assert_eq!(
        empty.body,
        json!({
            "date": T0.to_rfc3339(), "count": 0, "since": T0.to_rfc3339(), "uptimeSecs": 0,
            "byStatus": {"1xx": 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0},
            "routes": [],
        })
    );

    for _ in 0..2 {
        assert_eq!(s.get("/api/content/system/test404", None).await.status, 404);
    }
    assert_eq!(s.get("/api/content/system/test500", None).await.status, 500);
    assert_eq!(s.get("/api/content/no/such/route", None).await.status, 404);
    let locales = s.get("/api/content/locales/active/all", None).await;
    assert_eq!(locales.status, 200);
    // Without the app token: counted on its route, as a 4xx.
    let refused = s
        .http
        .get(format!("{}/api/content/locales/active/all", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    s.clock.advance_secs(90);
    let r = s.get(STAT, None).await;
    assert_eq!(r.status, 200);
    let b = &r.body;
    // The first `api-stat` (200) and the six requests above; this one is not counted yet.
    assert_eq!(b["count"], 7, "{b}");
    assert_eq!(b["uptimeSecs"], 90);
    assert_eq!(b["date"], Timestamp(T0.0 + 90_000).to_rfc3339());
    assert_eq!(b["since"], T0.to_rfc3339());
    assert_eq!(
        b["byStatus"],
        json!({"1xx": 0, "2xx": 2, "3xx": 0, "4xx": 4, "5xx": 1})
    );
    let class =
        |c4: u64, c2: u64, c5: u64| json!({"1xx": 0, "2xx": c2, "3xx": 0, "4xx": c4, "5xx": c5});
    assert_eq!(
        b["routes"],
        json!([
            {"method": "GET", "route": "/api/content/locales/active/all", "count": 2, "byStatus": class(1, 1, 0)},
            {"method": "GET", "route": "/api/content/system/test404", "count": 2, "byStatus": class(2, 0, 0)},
            {"method": "GET", "route": "/api/content/system/api-stat", "count": 1, "byStatus": class(0, 1, 0)},
            {"method": "GET", "route": "/api/content/system/test500", "count": 1, "byStatus": class(0, 0, 1)},
            {"method": "GET", "route": "unmatched", "count": 1, "byStatus": class(1, 0, 0)},
        ])
    );

    // Per node: a second node on the same database counts its own requests.
    let other = s.second_node().await;
    let r = other.get(STAT, None).await;
    assert_eq!(r.body["count"], 0, "{}", r.body);
}

//! `/metrics` and `/readyz`: after a seed flow (orders, their reads, a payment session read
//! back by its order) the Prometheus text has the request counters and
//! latency histograms of its routes (by template, never by concrete path), the pools, the
//! relay's backlog; `/metrics` is behind the admin token; `/readyz` answers once the database
//! does.

use openentry_testkit::TestServer;

async fn scrape(s: &TestServer, bearer: Option<&str>) -> (u16, String) {
    let mut req = s.http.get(format!("{}/metrics", s.url));
    if let Some(b) = bearer {
        req = req.bearer_auth(b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = r.text().await.unwrap();
    if status == 200 {
        assert!(ctype.unwrap().starts_with("application/openmetrics-text"));
    }
    (status, text)
}

/// The value of the sample whose line starts with `prefix` (name and labels).
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn a_seed_flow_shows_in_the_metrics_by_route_template() {
    // No background relay: the backlog is exactly what the flow wrote until a pass runs.
    let s = TestServer::spawn_with(
        |c| c.relay.interval = None,
        openentry_testkit::test_catalog(),
    )
    .await;
    let token = s.user(&openentry_testkit::unique_email("metrics")).await;
    let first = s.create_order(&token, "cash").await;
    let second = s.create_order(&token, "cash").await;
    for id in [first, second] {
        let path = format!("/api/content/orders-storage/marker/orders/orders/{id}");
        assert_eq!(s.get(&path, Some(&token)).await.status, 200);
    }
    // The seed's payment steps: open a session, read it back by its order.
    let opened = crate::payments::session(&s, &token, first).await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    let by_order = format!("/api/content/payments/sessions/order/{first}");
    assert_eq!(s.get(&by_order, Some(&token)).await.status, 200);
    assert_eq!(s.get("/no/such/route", None).await.status, 404);

    let (status, text) = scrape(&s, Some(&s.admin_token)).await;
    assert_eq!(status, 200, "{text}");
    let orders = r#"openentry_http_requests_total{method="POST",route="/api/content/orders-storage/marker/{marker}/orders",status="201"}"#;
    assert_eq!(sample(&text, orders), Some(2.0), "{text}");
    let read = r#"openentry_http_requests_total{method="GET",route="/api/content/orders-storage/marker/{marker}/orders/{id}",status="200"}"#;
    assert_eq!(sample(&text, read), Some(2.0), "{text}");
    let session = r#"openentry_http_requests_total{method="POST",route="/api/content/payments/sessions",status="201"}"#;
    assert_eq!(sample(&text, session), Some(1.0), "{text}");
    let session_read = r#"openentry_http_requests_total{method="GET",route="/api/content/payments/sessions/order/{order_id}",status="200"}"#;
    assert_eq!(sample(&text, session_read), Some(1.0), "{text}");
    let session_hist = r#"openentry_http_request_duration_seconds_count{method="GET",route="/api/content/payments/sessions/order/{order_id}"}"#;
    assert_eq!(sample(&text, session_hist), Some(1.0), "{text}");
    let unmatched = r#"openentry_http_requests_total{method="GET",route="unmatched",status="404"}"#;
    assert_eq!(sample(&text, unmatched), Some(1.0), "{text}");
    // No concrete path becomes a label.
    assert!(!text.contains(&format!("/orders/{first}")), "{text}");

    let hist = r#"openentry_http_request_duration_seconds_count{method="POST",route="/api/content/orders-storage/marker/{marker}/orders"}"#;
    assert_eq!(sample(&text, hist), Some(2.0), "{text}");
    let inf = r#"openentry_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/api/content/orders-storage/marker/{marker}/orders"}"#;
    let inf_alt = r#"openentry_http_request_duration_seconds_bucket{method="POST",route="/api/content/orders-storage/marker/{marker}/orders",le="+Inf"}"#;
    assert_eq!(
        sample(&text, inf).or_else(|| sample(&text, inf_alt)),
        Some(2.0),
        "{text}"
    );

    gauges_and_backlog(&s, &text).await;
    assert!(text.trim_end().ends_with("# EOF"), "{text}");

    dashboard_reads_only_what_exists(&text);
}

/// The pool, writer, hashing and relay gauges are there; the backlog is what the flow wrote
/// until a relay pass routes it.
async fn gauges_and_backlog(s: &TestServer, text: &str) {
    for gauge in [
        "openentry_db_connections ",
        "openentry_db_connections_idle ",
        "openentry_db_writer_waiting ",
        "openentry_password_hashing_queued ",
        "openentry_outbox_unrouted ",
        "openentry_outbox_lag_seconds ",
        "openentry_deliveries_pending ",
        "openentry_delivery_lag_seconds ",
        "openentry_deliveries_dead ",
        "openentry_sessions_expiring_within_hour ",
    ] {
        assert!(sample(text, gauge).is_some(), "{gauge} missing:\n{text}");
    }
    assert!(sample(text, "openentry_db_connections ").unwrap() >= 1.0);
    // The sign-up, each order and the payment session wrote an outbox row; a relay pass
    // routes them all.
    assert_eq!(
        sample(text, "openentry_outbox_unrouted "),
        Some(4.0),
        "{text}"
    );
    let pass = s
        .admin(reqwest::Method::POST, "/api/admin/relay/run", None)
        .await;
    assert_eq!(pass.status, 200, "{:?}", pass.body);
    let (_, after) = scrape(s, Some(&s.admin_token)).await;
    assert_eq!(
        sample(&after, "openentry_outbox_unrouted "),
        Some(0.0),
        "{after}"
    );
    assert_eq!(
        sample(&after, "openentry_outbox_lag_seconds "),
        Some(0.0),
        "{after}"
    );
    if openentry_testkit::test_database_admin_url().is_none() {
        // SQLite: the group commits are counted and every transaction is in one.
        let batches = sample(text, "openentry_db_group_commit_batch_size_count ").unwrap();
        let sum = sample(text, "openentry_db_group_commit_batch_size_sum ").unwrap();
        assert!(batches >= 1.0 && sum >= batches, "{text}");
    }
}

/// The sample dashboard in docs/ reads only metrics that `text` has.
fn dashboard_reads_only_what_exists(text: &str) {
    let dashboard = include_str!("../../../../docs/grafana-dashboard.json");
    let mut names: Vec<&str> = dashboard
        .match_indices("openentry_")
        .map(|(i, _)| {
            let rest = &dashboard[i..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    assert!(names.len() >= 10, "{names:?}");
    let sqlite = openentry_testkit::test_database_admin_url().is_none();
    // Group commits are SQLite's; on PostgreSQL the histogram is left out.
    for name in names
        .into_iter()
        .filter(|n| sqlite || !n.contains("group_commit"))
    {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "the dashboard reads {name}, which /metrics does not have"
        );
    }
}

#[tokio::test]
async fn metrics_need_the_admin_token() {
    let s = TestServer::spawn().await;
    let (status, body) = scrape(&s, None).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = scrape(&s, Some("not-the-admin-token")).await;
    assert_eq!(status, 403, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["statusCode"], 403);
}

#[tokio::test]
async fn readyz_answers_when_the_database_does() {
    let s = TestServer::spawn().await;
    let r = s.get("/readyz", None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "ready");
    let backend = if openentry_testkit::test_database_admin_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(r.body["database"], backend);
    assert_eq!(s.get("/healthz", None).await.status, 200);
}

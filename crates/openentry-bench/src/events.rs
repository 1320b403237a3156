//! Events delivered per second end to end beside the createOrder rate of the same run: the
//! demo project with an `order_created` event sent to a webhook receiver in this process,
//! the relay running in the background as in production. Clients create orders for
//! `--seconds`; every order's outbox row becomes a delivery the relay signs and posts. The
//! report gives both rates, their ratio (1.0: the relay keeps up with checkout) and the
//! latency from the outbox row's commit to the receiver.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use clap::Args;
use openentry_domain::clock::{Clock, SystemClock};
use openentry_domain::project::{EventDef, WebhookDef};
use openentry_server::ProjectSource;
use serde::Serialize;

use super::harness::{self, APP_TOKEN, Stats};

const SECRET_ENV: &str = "OPENENTRY_BENCH_WEBHOOK_SECRET";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Options of `bench events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Seconds of createOrder load.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// The relay's tick (`OPENENTRY_RELAY_INTERVAL_MS`).
    #[arg(long, default_value_t = 1000)]
    relay_interval_ms: u64,
    /// Deliveries sent at once (`OPENENTRY_RELAY_CONCURRENCY`).
    #[arg(long, default_value_t = 16)]
    relay_concurrency: usize,
    /// Seconds to wait, after the load, for the last deliveries.
    #[arg(long, default_value_t = 60)]
    drain_seconds: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Delivered {
    /// Events received by the webhook receiver.
    count: u64,
    /// Orders created whose event never arrived within the drain time.
    failed: u64,
    /// Events per second, from the start of the load to the last arrival.
    per_sec: f64,
    /// Outbox commit → received, milliseconds.
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    seconds: u64,
    concurrency: usize,
    relay_interval_ms: u64,
    relay_concurrency: usize,
    create_order: Stats,
    events: Delivered,
    /// Events delivered per second ÷ orders created per second.
    ratio: f64,
}

/// What the receiver saw: arrival latencies (ms) and the last arrival.
#[derive(Debug, Default)]
struct Seen {
    latencies: Vec<f64>,
    last: Option<Instant>,
}

/// The wall clock in milliseconds, the clock the server stamps outbox rows with.
#[allow(clippy::cast_precision_loss)] // milliseconds since 1970 fit a double exactly
fn now_ms() -> f64 {
    SystemClock.now().0 as f64
}

async fn receive(State(seen): State<Arc<Mutex<Seen>>>, body: String) -> StatusCode {
    let at = now_ms();
    let written = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["timestamp"].as_str().map(str::to_owned))
        .and_then(|t| {
            time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
        })
        .map(|t| t.unix_timestamp_nanos() as f64 / 1e6);
    if let Ok(mut s) = seen.lock() {
        s.latencies.push(written.map_or(0.0, |w| (at - w).max(0.0)));
        s.last = Some(Instant::now());
    }
    StatusCode::NO_CONTENT
}

/// The demo project, stored in a fresh database, with `order_created` sent to `url`.
async fn prepare(database_url: &str, media: &std::path::Path, url: &str) -> anyhow::Result<()> {
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(database_url)).await?;
    let store = openentry_server::media::local::LocalDir::open(media)?;
    openentry_server::project::import_demo(&db, &store, &SystemClock).await?;
    let mut def = openentry_store::project::load(&db).await?.definition;
    def.events
        .push(serde_json::from_value::<EventDef>(serde_json::json!({
            "identifier": "order_in", "module": "orders", "condition": "order_created",
            "channels": ["webhook"],
        }))?);
    def.webhooks
        .push(serde_json::from_value::<WebhookDef>(serde_json::json!({
            "identifier": "bench", "url": url, "secret_env": SECRET_ENV, "events": ["order_in"],
        }))?);
    openentry_store::project::import(&db, &def, SystemClock.now()).await?;
    db.close().await;
    Ok(())
}

/// Starts the receiver; returns its URL.
async fn receiver(seen: Arc<Mutex<Seen>>) -> anyhow::Result<String> {
    let app = Router::new()
        .route("/hooks", post(receive))
        .with_state(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hooks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

/// createOrder in a closed loop on `server`, one signed-in user per client.
async fn load(args: &EventsArgs, base: &str) -> anyhow::Result<Stats> {
    let client = reqwest::Client::new();
    let tokens = Arc::new(harness::users(&client, base, args.concurrency).await?);
    let orders_url = format!("{base}/api/content/orders-storage/marker/orders/orders");
    let body = serde_json::json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}]
    })
    .to_string();
    harness::closed_loop(
        args.concurrency,
        Duration::from_secs(args.seconds),
        move |i| {
            let req = client
                .post(&orders_url)
                .header("x-app-token", APP_TOKEN)
                .header("content-type", "application/json")
                .bearer_auth(&tokens[i])
                .body(body.clone());
            async move { req.send().await.is_ok_and(|r| r.status().as_u16() == 201) }
        },
    )
    .await
}

/// What arrived, from the start of the load to the last arrival.
#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn delivered(seen: &Mutex<Seen>, start: Instant, orders: u64) -> anyhow::Result<Delivered> {
    let (mut lat, last) = {
        let s = seen
            .lock()
            .map_err(|_| anyhow::anyhow!("receiver poisoned"))?;
        (s.latencies.clone(), s.last)
    };
    lat.sort_by(f64::total_cmp);
    let span = last.map_or(0.0, |l| l.duration_since(start).as_secs_f64());
    let count = lat.len() as u64;
    Ok(Delivered {
        count,
        failed: orders.saturating_sub(count),
        per_sec: if span > 0.0 { count as f64 / span } else { 0.0 },
        p50_ms: super::percentile(&lat, 50.0),
        p99_ms: super::percentile(&lat, 99.0),
        max_ms: lat.last().copied().unwrap_or(0.0),
    })
}

pub(crate) async fn run(args: EventsArgs) -> anyhow::Result<()> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let url = receiver(Arc::clone(&seen)).await?;
    let dir = tempfile::tempdir()?;
    let database_url = format!("sqlite://{}", dir.path().join("events.db").display());
    let media = dir.path().join("media");
    prepare(&database_url, &media, &url).await?;
    let server = harness::start_from(Some(&database_url), ProjectSource::Stored, |c| {
        c.argon2 = openentry_server::config::Argon2Params::TESTING;
        c.media_dir = Some(media.clone());
        c.relay.interval = Some(Duration::from_millis(args.relay_interval_ms.max(1)));
        c.relay.concurrency = args.relay_concurrency.max(1);
        c.relay.allow_private_targets = true;
        c.secrets.0.insert(SECRET_ENV.to_owned(), SECRET.to_owned());
    })
    .await?;
    eprintln!(
        "measuring createOrder with {} clients for {} s, the relay delivering each order's event…",
        args.concurrency, args.seconds
    );
    let start = Instant::now();
    let stats = load(&args, &server.base).await?;
    // Wait for the relay to catch up: watch the receiver's count, bounded.
    let deadline = Instant::now() + Duration::from_secs(args.drain_seconds);
    let arrived = || seen.lock().map_or(0, |s| s.latencies.len() as u64);
    while arrived() < stats.ok && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.stop().await;
    let events = delivered(&seen, start, stats.ok)?;
    let report = Report {
        seconds: args.seconds,
        concurrency: args.concurrency,
        relay_interval_ms: args.relay_interval_ms,
        relay_concurrency: args.relay_concurrency,
        ratio: if stats.per_sec > 0.0 {
            events.per_sec / stats.per_sec
        } else {
            0.0
        },
        create_order: stats,
        events,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print(&report);
    }
    Ok(())
}

fn print(report: &Report) {
    let (o, e) = (&report.create_order, &report.events);
    println!(
        "Events end to end (SQLite, {} clients, {} s, relay tick {} ms × {} at once)",
        report.concurrency, report.seconds, report.relay_interval_ms, report.relay_concurrency
    );
    println!("  createOrder/s                 {:>10.1}", o.per_sec);
    println!("  events delivered/s            {:>10.1}", e.per_sec);
    println!("  ratio                         {:>10.2}", report.ratio);
    println!(
        "  commit → received p50 / p99 / max {:.1} / {:.1} / {:.1} ms",
        e.p50_ms, e.p99_ms, e.max_ms
    );
    println!(
        "  createOrder p50 / p99          {:.1} / {:.1} ms",
        o.p50_ms, o.p99_ms
    );
    println!(
        "  orders failed / events lost   {} / {}",
        o.errors, e.failed
    );
}

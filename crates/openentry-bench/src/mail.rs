//! createOrder with the relay mailing every order to a dead SMTP server, beside createOrder with
//! every order mailed to a live one and with no SMTP server configured (no mail at all), all
//! measured in the same run: a dead SMTP server must not slow checkout more than mail that goes
//! out does (docs/performance.md, "E-mail and checkout").
//!
//! The demo project mails each order's customer when the order is received (`order_received`).
//! The live server is [`crate::smtp_sink`], in this process. In the dead run nothing listens on
//! the SMTP port: every attempt fails at once and is retried after a 50 ms backoff (the relay
//! passes every 100 ms), so the relay keeps claiming, failing and rescheduling deliveries for
//! the whole run: the worst steady load a dead server makes.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::harness::{self, APP_TOKEN, Stats};

/// Options of `bench mail`.
#[derive(Debug, Args)]
pub struct MailArgs {
    /// Seconds of each measurement (without mail, a live SMTP server, a dead one).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    seconds: u64,
    concurrency: usize,
    without_mail: Stats,
    live_smtp: Stats,
    dead_smtp: Stats,
    /// createOrder/s with the dead server ÷ with the live one: the bar (1.0: no slower).
    throughput_ratio: f64,
    /// p99 with the dead server ÷ with the live one.
    p99_ratio: f64,
    /// createOrder/s with the live server ÷ without mail: what sending mail costs checkout.
    live_throughput_ratio: f64,
    /// Messages the live server accepted during its run.
    live_mails_received: u64,
    /// Mail deliveries written during the dead run, and the attempts the relay made on them.
    mail_deliveries: i64,
    mail_attempts: i64,
}

/// A port of 127.0.0.1 with nothing listening.
fn dead_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn measure(args: &MailArgs, smtp_port: Option<u16>) -> anyhow::Result<(Stats, (i64, i64))> {
    let server = harness::start(None, |c| {
        c.argon2 = openentry_server::config::Argon2Params::TESTING;
        if let Some(port) = smtp_port {
            c.smtp = openentry_server::config::SmtpSettings::parse(
                &format!("smtp://127.0.0.1:{port}?tls=none"),
                "Bench <bench@example.com>",
                Duration::from_secs(5),
            )
            .ok();
            c.relay.interval = Some(Duration::from_millis(100));
            c.relay.backoff_base = Duration::from_millis(50);
            c.relay.backoff_max = Duration::from_millis(200);
            c.relay.max_attempts = 1_000_000;
        }
    })
    .await?;
    let client = reqwest::Client::new();
    let tokens = Arc::new(harness::users(&client, &server.base, args.concurrency).await?);
    let url = format!(
        "{}/api/content/orders-storage/marker/orders/orders",
        server.base
    );
    let body = serde_json::json!({
        "formIdentifier": "order", "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"type": "string", "marker": "name", "value": "Christina Thomas"}]},
        "products": [{"productId": 15, "quantity": 1}, {"productId": 16, "quantity": 2}]
    })
    .to_string();
    let stats = harness::closed_loop(
        args.concurrency,
        Duration::from_secs(args.seconds),
        move |i| {
            let req = client
                .post(&url)
                .header("x-app-token", APP_TOKEN)
                .header("content-type", "application/json")
                .bearer_auth(&tokens[i])
                .body(body.clone());
            async move { req.send().await.is_ok_and(|r| r.status().as_u16() == 201) }
        },
    )
    .await?;
    // Read while the server still runs (its scratch database goes with it).
    let options = openentry_store::ConnectOptions::new(server.database_url.clone());
    let db = openentry_store::connect(&options).await?;
    let tried = openentry_store::bench::delivery_attempts(&db).await?;
    db.close().await;
    server.stop().await;
    Ok((stats, tried))
}

pub(crate) async fn run(args: MailArgs) -> anyhow::Result<()> {
    eprintln!(
        "measuring createOrder without mail, {} clients, {} s…",
        args.concurrency, args.seconds
    );
    let (without, _) = measure(&args, None).await?;
    let sink = crate::smtp_sink::Sink::start().await?;
    eprintln!(
        "measuring createOrder with every order mailed to a live SMTP server (127.0.0.1:{})…",
        sink.port
    );
    let (live, _) = measure(&args, Some(sink.port)).await?;
    let live_mails_received = sink.received();
    drop(sink);
    let port = dead_port()?;
    eprintln!(
        "measuring createOrder with every order mailed to a dead SMTP server (127.0.0.1:{port})…"
    );
    let (dead, (deliveries, attempts)) = measure(&args, Some(port)).await?;
    anyhow::ensure!(
        dead.ok == 0 || deliveries > 0,
        "no mail delivery was written: is the demo's order_received event gone?"
    );
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let report = Report {
        seconds: args.seconds,
        concurrency: args.concurrency,
        throughput_ratio: ratio(dead.per_sec, live.per_sec),
        p99_ratio: ratio(dead.p99_ms, live.p99_ms),
        live_throughput_ratio: ratio(live.per_sec, without.per_sec),
        live_mails_received,
        without_mail: without,
        live_smtp: live,
        dead_smtp: dead,
        mail_deliveries: deliveries,
        mail_attempts: attempts,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "createOrder without mail, with mail to a live and to a dead SMTP server (SQLite, {} clients, {} s each)",
        report.concurrency, report.seconds
    );
    for (name, s) in [
        ("without mail", &report.without_mail),
        ("live SMTP   ", &report.live_smtp),
        ("dead SMTP   ", &report.dead_smtp),
    ] {
        println!(
            "  {name}  {:>8.1} orders/s  p50 / p99 / max {:.1} / {:.1} / {:.1} ms  errors {}",
            s.per_sec, s.p50_ms, s.p99_ms, s.max_ms, s.errors
        );
    }
    println!(
        "  ratio (dead ÷ live)  throughput {:.2}  p99 {:.2}   (live ÷ without: throughput {:.2})",
        report.throughput_ratio, report.p99_ratio, report.live_throughput_ratio
    );
    println!(
        "  mails the live server accepted {}",
        report.live_mails_received
    );
    println!(
        "  mail deliveries {}  attempts on the dead server {}",
        report.mail_deliveries, report.mail_attempts
    );
    Ok(())
}

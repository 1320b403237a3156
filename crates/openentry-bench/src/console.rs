//! `bench console`: the operator console's pages at shop scale (issue 16: 100,000 orders and
//! 10,000 products), each page's latency beside `GET /healthz` measured in the same run.

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use openentry_domain::clock::{Clock as _, SystemClock};
use openentry_domain::operators::Role;
use openentry_server::ProjectSource;
use openentry_server::auth::passwords::Passwords;
use openentry_server::config::Argon2Params;
use serde::Serialize;

use super::harness::{self, Stats};

const LOGIN: &str = "bench-owner@console.test";
const PASSWORD: &str = "bench console password";
/// Ids of the products the benchmark adds (the demo's own are far below).
const FIRST_ID: i64 = 1_000_000;

/// Options of `bench console`.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// Orders in the database (loaded in multiples of 500).
    #[arg(long, default_value_t = 100_000)]
    orders: u64,
    /// Products in the catalog (the demo's and copies of its first one).
    #[arg(long, default_value_t = 10_000)]
    products: u64,
    /// Users the orders are spread over.
    #[arg(long, default_value_t = 2_000)]
    users: u64,
    /// Measured seconds per page.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent clients (operators) per page.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// A scratch database to load (default: a scratch SQLite file).
    #[arg(long)]
    database_url: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct PageRun {
    page: &'static str,
    path: String,
    stats: Stats,
    p99_vs_healthz: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    orders: u64,
    products: usize,
    load_seconds: f64,
    healthz: Stats,
    pages: Vec<PageRun>,
    target_p99_ms: f64,
    slowest_p99_ms: f64,
}

/// Runs `bench console`.
pub(crate) async fn run(a: ConsoleArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = a
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("console.db").display()));
    // The demo project (with its media) is imported by a first start; then the catalog grows
    // and the orders are loaded straight into the database, and the server starts again.
    let first = harness::start(Some(&url), |c| c.argon2 = Argon2Params::TESTING).await?;
    first.stop().await;
    let started = std::time::Instant::now();
    let products = load(&a, &url).await?;
    let load_seconds = started.elapsed().as_secs_f64();
    let server = harness::start_from(Some(&url), ProjectSource::Stored, |c| {
        c.argon2 = Argon2Params::TESTING;
    })
    .await?;
    let result = measure(&a, &server.base).await;
    server.stop().await;
    let (healthz, pages) = result?;
    let slowest = pages.iter().map(|p| p.stats.p99_ms).fold(0.0, f64::max);
    let report = Report {
        orders: a.orders,
        products,
        load_seconds,
        healthz,
        pages,
        target_p99_ms: 50.0,
        slowest_p99_ms: slowest,
    };
    print(&a, &report)
}

/// Grows the catalog to `--products`, loads the orders and creates the benchmark's owner.
async fn load(a: &ConsoleArgs, url: &str) -> anyhow::Result<usize> {
    let db =
        openentry_store::connect(&openentry_store::ConnectOptions::new(url.to_owned())).await?;
    let result = async {
        let now = SystemClock.now();
        let mut def = openentry_store::project::load(&db).await?.definition;
        let model = def
            .products
            .first()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the demo project has no product"))?;
        let have = def.products.len() as u64;
        for i in 0..a.products.saturating_sub(have) {
            let mut p = model.clone();
            p.id = FIRST_ID + i64::try_from(i)?;
            p.sku = Some(format!("BENCH-{i}"));
            p.related.clear();
            def.products.push(p);
        }
        let products = def.products.len();
        openentry_store::project::import(&db, &def, now).await?;
        openentry_store::bench::bulk_load(&db, a.users, a.orders, now, |_| {}).await?;
        let passwords = Passwords::new(Argon2Params::TESTING, 1, 1)?;
        openentry_server::operators::accounts::create(
            &db,
            &passwords,
            LOGIN,
            PASSWORD.to_owned(),
            Role::Owner,
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        anyhow::Ok(products)
    }
    .await;
    db.close().await;
    result
}

async fn measure(a: &ConsoleArgs, base: &str) -> anyhow::Result<(Stats, Vec<PageRun>)> {
    let http = reqwest::Client::new();
    let signed = http
        .post(format!("{base}/api/admin/sign-in"))
        .json(&serde_json::json!({"login": LOGIN, "password": PASSWORD}))
        .send()
        .await?;
    let cookie = signed
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("sign-in answered {} without a cookie", signed.status()))?
        .to_owned();
    let newest: serde_json::Value = http
        .get(format!("{base}/api/admin/orders?limit=1"))
        .header("cookie", &cookie)
        .send()
        .await?
        .json()
        .await?;
    let order = newest["items"][0]["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no order to open: {newest}"))?;
    let product = FIRST_ID + i64::try_from(a.products / 2)?;
    let users: serde_json::Value = http
        .get(format!("{base}/api/admin/users?limit=1"))
        .header("cookie", &cookie)
        .send()
        .await?
        .json()
        .await?;
    let user = users["items"][0]["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no user to open: {users}"))?;
    let pages: Vec<(&'static str, String)> = vec![
        ("dashboard", "/admin".to_owned()),
        ("orders", "/admin/orders".to_owned()),
        ("orders, page 1,000", "/admin/orders?page=1000".to_owned()),
        ("order", format!("/admin/orders/{order}")),
        ("payments", "/admin/payments".to_owned()),
        ("catalog", "/admin/catalog".to_owned()),
        ("catalog, page 100", "/admin/catalog?page=100".to_owned()),
        ("product", format!("/admin/catalog/{product}")),
        ("product form", format!("/admin/catalog/{product}/edit")),
        ("statuses", "/admin/catalog/statuses".to_owned()),
        ("attribute sets", "/admin/catalog/attribute-sets".to_owned()),
        ("deliveries", "/admin/deliveries".to_owned()),
        ("content tree", "/admin/content".to_owned()),
        ("blocks", "/admin/content/blocks".to_owned()),
        ("submissions", "/admin/submissions".to_owned()),
        ("users", "/admin/users".to_owned()),
        ("users, search", "/admin/users?q=bulk-19".to_owned()),
        ("user", format!("/admin/users/{user}")),
        ("discounts", "/admin/discounts".to_owned()),
        ("settings", "/admin/settings".to_owned()),
        ("admins", "/admin/admins".to_owned()),
        ("audit log", "/admin/audit".to_owned()),
    ];
    let secs = Duration::from_secs(a.seconds);
    let healthz = get_loop(&http, format!("{base}/healthz"), None, a.concurrency, secs).await?;
    let mut runs = Vec::new();
    for (page, path) in pages {
        let url = format!("{base}{path}");
        let stats = get_loop(&http, url, Some(cookie.clone()), a.concurrency, secs).await?;
        let ratio = if healthz.p99_ms > 0.0 {
            stats.p99_ms / healthz.p99_ms
        } else {
            0.0
        };
        runs.push(PageRun {
            page,
            path,
            stats,
            p99_vs_healthz: ratio,
        });
    }
    Ok((healthz, runs))
}

/// `GET url` (with the session cookie) in a closed loop; a non-200 answer counts as an error.
async fn get_loop(
    http: &reqwest::Client,
    url: String,
    cookie: Option<String>,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<Stats> {
    let http = http.clone();
    let url = Arc::new(url);
    harness::closed_loop(concurrency, duration, move |_| {
        let mut req = http.get(url.as_str());
        if let Some(c) = &cookie {
            req = req.header("cookie", c.as_str());
        }
        async move {
            match req.send().await {
                Ok(r) if r.status().as_u16() == 200 => r.bytes().await.is_ok(),
                _ => false,
            }
        }
    })
    .await
}

fn print(a: &ConsoleArgs, r: &Report) -> anyhow::Result<()> {
    if a.json {
        println!("{}", serde_json::to_string_pretty(r)?);
        return Ok(());
    }
    println!(
        "bench console — {} orders, {} products (loaded in {:.1} s), {} clients, {} s per page",
        r.orders, r.products, r.load_seconds, a.concurrency, a.seconds
    );
    println!(
        "  {:<22} {:>9} {:>9} {:>9} {:>8}  {:>7}",
        "page", "per s", "p50 ms", "p99 ms", "errors", "p99÷hz"
    );
    let row = |name: &str, s: &Stats, ratio: f64| {
        println!(
            "  {:<22} {:>9.0} {:>9.2} {:>9.2} {:>8}  {:>7.1}",
            name, s.per_sec, s.p50_ms, s.p99_ms, s.errors, ratio
        );
    };
    row("/healthz (baseline)", &r.healthz, 1.0);
    for p in &r.pages {
        row(p.page, &p.stats, p.p99_vs_healthz);
    }
    let met = if r.slowest_p99_ms <= r.target_p99_ms {
        "met"
    } else {
        "NOT met"
    };
    println!(
        "  slowest page p99 {:.1} ms; target ≤ {:.0} ms: {met}",
        r.slowest_p99_ms, r.target_p99_ms
    );
    Ok(())
}

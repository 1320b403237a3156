//! Malformed input never gets an answer ≥ 500 nor a panic (issue 10, finding 9's acceptance).
//!
//! A real `openentry serve --demo` process on a fresh database (SQLite; PostgreSQL when
//! `OPENENTRY_TEST_DATABASE_URL` is set) takes a few thousand requests, each a valid request to
//! one route with one or two mutations (see `fuzz/mutate.rs`), the routes taken in turn so each
//! gets its share. Authenticated routes get a signed-in user's token most of the time, so the
//! mutations reach the handlers. Every answer must be below 500, the server must still be
//! healthy at the end, and its log must hold no panic, no internal error and no backtrace
//! (it runs with `RUST_BACKTRACE=1`, so a `{:?}` of an error would show one).
//!
//! Deterministic: the seed is printed (`FUZZ_SEED` overrides it, `FUZZ_CASE` runs one case,
//! `FUZZ_CASES` sets the count, `FUZZ_LOG` prints the server's log); a failure names its seed
//! and case and shows the request.
//! Bounded: at most `FUZZ_CASES` cases (default 5,000) and 90 s of sending.

// A test fails loudly, and prints its figures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod fuzz;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fuzz::case::{self, Ctx};
use fuzz::routes::ROUTES;
use fuzz::wire::{self, Raw};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_openentry");
const APP_TOKEN: &str = "fuzz-app-token";
const ADMIN_TOKEN: &str = "fuzz-admin-token";
const WEBHOOK_SECRET: &str = "whsec_fuzz";
const DEFAULT_SEED: u64 = 0x0E1E_2026_F022_0010;
const DEFAULT_CASES: usize = 5000;
const TIME_CAP: Duration = Duration::from_secs(90);
const WORKERS: usize = 4;

/// A running server, its address and everything it wrote to stderr.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

fn start(database_url: &str) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .args(["--database-url", database_url, "--app-token", APP_TOKEN])
        .args(["--admin-token", ADMIN_TOKEN])
        .env("OPENENTRY_ARGON2_M_KIB", "256")
        .env("OPENENTRY_ARGON2_T", "1")
        .env("RUST_LOG", "warn")
        .env("RUST_BACKTRACE", "1")
        .env_remove("STRIPE_SECRET_KEY")
        // A known webhook secret, so signed (mutated) deliveries reach the event parser; no
        // API key, so nothing ever calls out.
        .env("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server exited before listening")
            .unwrap();
        if let Some(url) = line.strip_prefix("openentry listening on ") {
            break url.trim().trim_start_matches("http://").parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, addr, log }
}

/// A server is killed when dropped, so a failing test leaves no process behind.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn call(
    addr: SocketAddr,
    method: &'static str,
    path: &str,
    bearer: &str,
    body: &Value,
) -> Value {
    let raw = Raw {
        method,
        target: path.as_bytes().to_vec(),
        headers: vec![
            ("x-app-token", APP_TOKEN.to_owned()),
            ("content-type", "application/json".to_owned()),
            ("authorization", format!("Bearer {bearer}")),
        ],
        body: Some(body.to_string().into_bytes()),
    };
    let (status, answer) = wire::send(addr, &raw).await.unwrap();
    let v: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    assert!(
        (200..300).contains(&status),
        "setup {method} {path}: {status} {v}"
    );
    v
}

async fn setup(addr: SocketAddr) -> Ctx {
    let mut tokens = Vec::new();
    for who in ["fuzz-user", "fuzz-victim"] {
        let auth = serde_json::json!({"authData": [
            {"marker": "email_reg", "value": format!("{who}@example.com")},
            {"marker": "password_reg", "value": "correct horse battery"}]});
        let base = "/api/content/users-auth-providers/marker/email/users";
        call(addr, "POST", &format!("{base}/sign-up"), "", &auth).await;
        let v = call(addr, "POST", &format!("{base}/auth"), "", &auth).await;
        tokens.push(v["accessToken"].as_str().unwrap().to_owned());
    }
    let order: Value = serde_json::from_str(
        fuzz::routes::ROUTES
            .iter()
            .find(|r| r.method == "POST" && r.path.ends_with(":orders/orders"))
            .unwrap()
            .body
            .unwrap(),
    )
    .unwrap();
    let o = call(
        addr,
        "POST",
        "/api/content/orders-storage/marker/orders/orders",
        &tokens[0],
        &order,
    )
    .await;
    let order = o["id"].as_i64().unwrap();
    let s = call(
        addr,
        "POST",
        "/api/content/payments/sessions",
        &tokens[0],
        &serde_json::json!({"orderId": order, "type": "session"}),
    )
    .await;
    Ctx {
        app: APP_TOKEN,
        admin: ADMIN_TOKEN,
        webhook_secret: WEBHOOK_SECRET,
        user: tokens[0].clone(),
        victim: tokens[1].clone(),
        order,
        session: s["id"].as_i64().unwrap(),
    }
}

/// A request or answer shown in a message: escaped, and cut to `max` bytes.
fn shown(bytes: &[u8], max: usize) -> String {
    let cut = &bytes[..bytes.len().min(max)];
    let more = if bytes.len() > max { "…" } else { "" };
    format!("{}{more} ({} bytes)", cut.escape_ascii(), bytes.len())
}

#[derive(Default)]
struct Tally {
    by_status: BTreeMap<u16, usize>,
    failures: Vec<String>,
    sent: usize,
}

async fn run(addr: SocketAddr, ctx: Arc<Ctx>, seed: u64, cases: Vec<usize>) -> Tally {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let next = Arc::new(AtomicUsize::new(0));
    let cases = Arc::new(cases);
    let deadline = Instant::now() + TIME_CAP;
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (tally, next, cases, ctx) = (
                Arc::clone(&tally),
                Arc::clone(&next),
                Arc::clone(&cases),
                Arc::clone(&ctx),
            );
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let Some(&i) = cases.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        return;
                    };
                    let route = &ROUTES[i % ROUTES.len()];
                    let (raw, what) = case::build(seed, i, route, &ctx);
                    let answer = wire::send(addr, &raw).await;
                    let mut t = tally.lock().unwrap();
                    t.sent += 1;
                    let status = answer.as_ref().map_or(0, |(s, _)| *s);
                    *t.by_status.entry(status).or_default() += 1;
                    if status == 0 || status >= 500 {
                        let got = match &answer {
                            Ok((s, b)) => format!("{s} {}", shown(b, 300)),
                            Err(e) => e.clone(),
                        };
                        t.failures.push(format!(
                            "case {i} (FUZZ_SEED={seed:#x} FUZZ_CASE={i}) {what}\n  \
                             {} {}\n  headers {:?}\n  body {}\n  -> {got}",
                            raw.method,
                            shown(&raw.target, 300),
                            raw.headers
                                .iter()
                                .map(|(n, v)| format!("{n}: {}", shown(v.as_bytes(), 60)))
                                .collect::<Vec<_>>(),
                            raw.body
                                .as_deref()
                                .map_or("none".to_owned(), |b| shown(b, 300)),
                        ));
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    std::mem::take(&mut *tally.lock().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
// Configuration of the run: the environment replays a seed or a case.
#[allow(clippy::disallowed_methods)]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn malformed_input_never_gets_a_5xx() {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let seed = env("FUZZ_SEED").map_or(DEFAULT_SEED, |s| {
        u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
    });
    let cases: Vec<usize> = match (env("FUZZ_CASE"), env("FUZZ_CASES")) {
        (Some(one), _) => vec![one.parse().unwrap()],
        (None, n) => (0..n.map_or(DEFAULT_CASES, |n| n.parse().unwrap())).collect(),
    };
    let dir = tempfile::tempdir().unwrap();
    let pg = env("OPENENTRY_TEST_DATABASE_URL");
    let (database_url, pg_name) = match &pg {
        Some(admin) => {
            let name = format!("oe_fuzz_{}", std::process::id());
            let url = openentry_store::testdb::create_postgres(admin, &name)
                .await
                .unwrap();
            (url, Some(name))
        }
        None => (
            format!("sqlite://{}", dir.path().join("fuzz.db").display()),
            None,
        ),
    };
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
    let server = start(&database_url);
    let started = Instant::now();
    let ctx = setup(server.addr).await;
    let ctx = Arc::new(ctx);
    let planned = cases.len();
    let tally = run(server.addr, ctx, seed, cases).await;
    let elapsed = started.elapsed();

    // Still serving, and the log holds no panic, internal error or backtrace.
    let health = wire::send(
        server.addr,
        &Raw {
            method: "GET",
            target: b"/healthz".to_vec(),
            headers: Vec::new(),
            body: None,
        },
    )
    .await;
    let log = server.log.lock().unwrap().clone();
    drop(server);
    if let (Some(admin), Some(name)) = (&pg, &pg_name) {
        openentry_store::testdb::drop_postgres(admin, name)
            .await
            .unwrap();
    }
    if env("FUZZ_LOG").is_some() {
        log.iter().for_each(|l| println!("log: {l}"));
    }
    let bad_lines: Vec<&String> = log
        .iter()
        .filter(|l| {
            let lower = l.to_lowercase();
            l.contains("ERROR")
                || ["panicked", "internal error", "backtrace"]
                    .iter()
                    .any(|w| lower.contains(w))
        })
        .collect();
    println!(
        "fuzz on {backend}: seed {seed:#x}, {} of {planned} cases over {} routes in {:.1} s; \
         answers by status (0 = no answer): {:?}; {} log lines",
        tally.sent,
        ROUTES.len(),
        elapsed.as_secs_f64(),
        tally.by_status,
        log.len()
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {} cases got no answer or one ≥ 500 on {backend}:\n{}",
        tally.failures.len(),
        tally.sent,
        tally
            .failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        bad_lines.is_empty(),
        "the server's log on {backend} shows trouble:\n{}",
        bad_lines
            .iter()
            .take(20)
            .map(|l| shown(l.as_bytes(), 600))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        matches!(health, Ok((200, _))),
        "not healthy after the run: {health:?}"
    );
    assert!(
        tally.sent == planned || tally.sent >= 1000,
        "only {} cases in {} s",
        tally.sent,
        TIME_CAP.as_secs()
    );
}

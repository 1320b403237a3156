//! `bench startup`: from spawning `openentry serve` on an existing database to its first
//! `200` from `GET /healthz`, beside the bare cost of starting the same executable
//! (`--version`), measured in the same run.
//!
//! Everything here is synchronous (std processes, a raw HTTP/1.1 probe over `TcpStream`): an
//! HTTP client and an async runtime between the probe and the socket would only add their own
//! latency to the figure.

use std::fs::File;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;

use super::login::cores;
use super::percentile;

/// The target for start-to-healthy on an existing database.
const TARGET_MS: f64 = 200.0;
/// Longest wait for one start before it counts as failed.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest wait for a server to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Pause between probes: short, so that the probe adds at most ~1 ms to a start.
const PROBE_PAUSE: Duration = Duration::from_millis(1);

/// Options of `bench startup`.
#[derive(Debug, Args)]
pub struct StartupArgs {
    /// Timed starts.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Database to start against, used as it is (default: a scratch SQLite file, created,
    /// migrated and given the demo project by one untimed start first).
    #[arg(long)]
    database_url: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Percentiles of one measurement over the runs, milliseconds.
#[derive(Debug, Serialize)]
struct Summary {
    min_ms: f64,
    p50_ms: f64,
    p90_ms: f64,
    max_ms: f64,
}

impl Summary {
    fn of(mut v: Vec<f64>) -> Self {
        v.sort_by(f64::total_cmp);
        Self {
            min_ms: v.first().copied().unwrap_or(0.0),
            p50_ms: percentile(&v, 50.0),
            p90_ms: percentile(&v, 90.0),
            max_ms: v.last().copied().unwrap_or(0.0),
        }
    }
}

#[derive(Debug, Serialize)]
struct Report {
    database: String,
    cores: usize,
    runs: usize,
    /// The untimed preparing start (creates and migrates the scratch database).
    first_start_ms: f64,
    /// Baseline: spawn `openentry --version` and wait for it to exit.
    process_start: Summary,
    /// Spawn to the `openentry listening on` line on stdout.
    listening_line: Summary,
    /// Spawn to the first 200 from `GET /healthz`.
    healthy: Summary,
    target_ms: f64,
}

/// Runs `bench startup`.
pub(crate) async fn run(args: StartupArgs) -> anyhow::Result<()> {
    let json = args.json;
    // Child processes and blocking probes: off the runtime's worker threads.
    let report = tokio::task::spawn_blocking(move || measure(&args)).await??;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(())
}

fn measure(args: &StartupArgs) -> anyhow::Result<Report> {
    let exe = std::env::current_exe()?;
    let dir = tempfile::tempdir()?;
    let (url, database) = match &args.database_url {
        Some(url) => (url.clone(), "--database-url (existing)".to_owned()),
        None => (
            format!("sqlite://{}", dir.path().join("startup.db").display()),
            "scratch SQLite, demo project".to_owned(),
        ),
    };
    // Only a scratch database gets the demo project: a given one keeps its own.
    let demo = args.database_url.is_none();
    eprintln!("preparing the database (one untimed start)…");
    let first = start_once(&exe, &url, demo, dir.path())?;
    let runs = args.runs.max(1);
    eprintln!("baseline: {runs} × `openentry --version`…");
    let mut process_start = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let status = Command::new(&exe)
            .arg("--version")
            .stdout(Stdio::null())
            .status()?;
        process_start.push(ms(t));
        anyhow::ensure!(status.success(), "`openentry --version` failed: {status}");
    }
    eprintln!("measuring {runs} starts on the existing database…");
    let (mut line, mut healthy) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for i in 0..runs {
        let s = start_once(&exe, &url, false, dir.path())?;
        eprintln!(
            "[{:>3}/{runs}] listening {:>7.1} ms  healthy {:>7.1} ms",
            i + 1,
            s.line_ms,
            s.healthy_ms
        );
        line.push(s.line_ms);
        healthy.push(s.healthy_ms);
    }
    Ok(Report {
        database,
        cores: cores(),
        runs,
        first_start_ms: first.healthy_ms,
        process_start: Summary::of(process_start),
        listening_line: Summary::of(line),
        healthy: Summary::of(healthy),
        target_ms: TARGET_MS,
    })
}

/// Timings of one start, milliseconds from spawn.
struct Start {
    line_ms: f64,
    healthy_ms: f64,
}

/// Starts `serve` on 127.0.0.1:0 against `url`, times it to its listening line and to its
/// first healthy answer, then stops it with SIGTERM.
fn start_once(exe: &Path, url: &str, demo: bool, dir: &Path) -> anyhow::Result<Start> {
    let log = dir.join("serve.stderr");
    let mut cmd = Command::new(exe);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(File::create(&log)?));
    if demo {
        cmd.arg("--demo");
    }
    let t = Instant::now();
    let mut child = cmd.spawn()?;
    let timed = time_start(&mut child, t);
    stop(&mut child);
    timed.map_err(|e| anyhow::anyhow!("{e:#}\nserver stderr:\n{}", tail(&log)))
}

fn time_start(child: &mut Child, t: Instant) -> anyhow::Result<Start> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    // A thread reads stdout so that the wait for the line can time out.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("openentry listening on http://") {
                let _ = tx.send(addr.to_owned());
            }
        }
    });
    let deadline = t + START_TIMEOUT;
    let addr = rx
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .map_err(|_| anyhow::anyhow!("the server exited or timed out before listening"))?;
    let line_ms = ms(t);
    loop {
        if healthz(&addr).unwrap_or(false) {
            return Ok(Start {
                line_ms,
                healthy_ms: ms(t),
            });
        }
        anyhow::ensure!(Instant::now() < deadline, "no 200 from {addr}/healthz");
        std::thread::park_timeout(PROBE_PAUSE);
    }
}

/// One `GET /healthz` on a fresh connection: whether it answered 200.
fn healthz(addr: &str) -> std::io::Result<bool> {
    let mut s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(Duration::from_secs(2)))?;
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = [0u8; 12];
    let mut n = 0;
    while n < head.len() {
        match s.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(head.starts_with(b"HTTP/1.1 200"))
}

/// SIGTERM (the server's graceful stop), then SIGKILL if it has not exited in time.
fn stop(child: &mut Child) {
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    if term.is_ok_and(|s| s.success()) {
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if !matches!(child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::park_timeout(Duration::from_millis(5));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn print_table(r: &Report) {
    println!(
        "bench startup — {}, {} runs, {} cores",
        r.database, r.runs, r.cores
    );
    println!(
        "  first start (creates and migrates; not counted) {:>9.1} ms",
        r.first_start_ms
    );
    println!(
        "  {:<34} {:>9} {:>9} {:>9} {:>9}",
        "measure", "min ms", "p50 ms", "p90 ms", "max ms"
    );
    for (name, s) in [
        ("baseline: --version, to exit", &r.process_start),
        ("serve: spawn to listening line", &r.listening_line),
        ("serve: spawn to first 200 /healthz", &r.healthy),
    ] {
        println!(
            "  {name:<34} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            s.min_ms, s.p50_ms, s.p90_ms, s.max_ms
        );
    }
    println!(
        "  start to healthy p90 {:.1} ms against a target of {:.0} ms: {}",
        r.healthy.p90_ms,
        r.target_ms,
        if r.healthy.p90_ms <= r.target_ms {
            "met"
        } else {
            "not met"
        }
    );
}

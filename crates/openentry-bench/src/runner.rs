//! The load runner shared by `bench flow` and `bench op`: closed loop (a fixed number of
//! clients, each sending its next iteration when the last one finishes) or open loop (iterations
//! at fixed intended send times, latency measured from the intended time so that a stalled
//! server is not hidden by clients that stopped sending: coordinated-omission correction).
//! A warm-up whose results are discarded, a progress line on stderr once per second, latency
//! percentiles per step, errors by step and status, and the peak RSS of the server.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::percentile;

/// How to drive the load.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Clients (closed loop) or workers that take the scheduled iterations (open loop).
    pub(crate) concurrency: usize,
    /// Iterations per second at fixed arrival times; `None` for a closed loop.
    pub(crate) rate: Option<f64>,
    /// Discarded warm-up.
    pub(crate) warmup: Duration,
    /// Measured duration.
    pub(crate) duration: Duration,
    /// Names of the timed steps of one iteration.
    pub(crate) steps: Vec<&'static str>,
    /// Where to read the server's RSS: `None` for this process.
    pub(crate) pid: Option<u32>,
}

/// Latency percentiles of one step, milliseconds.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepStats {
    /// Step name.
    pub(crate) name: String,
    /// Successful samples.
    pub(crate) count: usize,
    /// Median.
    pub(crate) p50_ms: f64,
    /// 90th percentile.
    pub(crate) p90_ms: f64,
    /// 99th percentile.
    pub(crate) p99_ms: f64,
    /// Slowest.
    pub(crate) max_ms: f64,
}

/// What a run measured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Outcome {
    /// Completed iterations per second during the measured window.
    pub(crate) per_sec: f64,
    /// Completed iterations.
    pub(crate) iterations: u64,
    /// Failed iterations.
    pub(crate) failed: u64,
    /// Per step, then the whole iteration (`total`) when there is more than one step.
    pub(crate) steps: Vec<StepStats>,
    /// Failures by `step status` (status `transport` when no response came back).
    pub(crate) errors: BTreeMap<String, u64>,
    /// Server RSS before the load, KiB.
    pub(crate) rss_idle_kib: Option<u64>,
    /// Highest server RSS sampled during the load, KiB.
    pub(crate) rss_peak_kib: Option<u64>,
}

/// Resident set size in KiB of `pid` (or of this process), from `/proc/<pid>/status`.
pub(crate) fn rss_kib(pid: Option<u32>) -> Option<u64> {
    let path = pid.map_or_else(
        || "/proc/self/status".to_owned(),
        |p| format!("/proc/{p}/status"),
    );
    let status = std::fs::read_to_string(path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Summarises a sample (sorted here).
pub(crate) fn stats(name: &str, mut v: Vec<f64>) -> StepStats {
    v.sort_by(f64::total_cmp);
    StepStats {
        name: name.to_owned(),
        count: v.len(),
        p50_ms: percentile(&v, 50.0),
        p90_ms: percentile(&v, 90.0),
        p99_ms: percentile(&v, 99.0),
        max_ms: v.last().copied().unwrap_or(0.0),
    }
}

/// Per-worker tallies.
struct Tally {
    lat: Vec<Vec<f64>>,
    total: Vec<f64>,
    ok: u64,
    failed: u64,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    /// An empty tally for iterations of `steps` timed steps.
    fn new(steps: usize) -> Self {
        Self {
            lat: vec![Vec::new(); steps],
            total: Vec::new(),
            ok: 0,
            failed: 0,
            errors: BTreeMap::new(),
        }
    }

    /// Counts one measured iteration that was meant to start at `intended`.
    fn record(&mut self, result: Result<Vec<f64>, String>, intended: Instant) {
        match result {
            Ok(lat) => {
                self.ok += 1;
                self.total.push(intended.elapsed().as_secs_f64() * 1000.0);
                for (slot, l) in self.lat.iter_mut().zip(lat) {
                    slot.push(l);
                }
            }
            Err(e) => {
                self.failed += 1;
                *self.errors.entry(e).or_default() += 1;
            }
        }
    }

    /// Adds another worker's tally to this one.
    fn merge(&mut self, t: Tally) {
        self.ok += t.ok;
        self.failed += t.failed;
        self.total.extend(t.total);
        for (a, b) in self.lat.iter_mut().zip(t.lat) {
            a.extend(b);
        }
        for (k, v) in t.errors {
            *self.errors.entry(k).or_default() += v;
        }
    }
}

/// The run's time marks.
#[derive(Clone, Copy)]
struct Schedule {
    origin: Instant,
    measure_from: Instant,
    end: Instant,
}

/// Counters shared by the workers and the progress line.
#[derive(Clone)]
struct Shared {
    /// Completed iterations, warm-up included.
    done: Arc<AtomicU64>,
    /// Failed iterations, warm-up included.
    failed: Arc<AtomicU64>,
}

/// The open loop's send times, handed out by [`ticker`] as each one comes.
type Ticks = Arc<tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<Instant>>>;

/// An open loop's clock: a thread that releases each send time when it comes, sleeping with
/// the OS timer (tens of microseconds) in between. Workers woken by tokio's timer instead
/// would all wake on its millisecond ticks, so requests would arrive in bursts of a
/// millisecond's worth, and the burst, not the server, would set the tail latency.
fn ticker(schedule: Schedule, rate: f64) -> Ticks {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for k in 0_u32.. {
            let at = schedule.origin + Duration::from_secs_f64(f64::from(k) / rate);
            if at >= schedule.end {
                break;
            }
            let now = Instant::now();
            if at > now {
                // A thread of its own, not a runtime's: sleeping here blocks nothing else.
                #[allow(clippy::disallowed_methods)]
                std::thread::sleep(at - now);
            }
            if tx.send(at).is_err() {
                break;
            }
        }
    });
    Arc::new(tokio::sync::Mutex::new(rx))
}

/// Runs `iteration` as worker `w` until the schedule ends; returns what it measured.
async fn worker<F, Fut>(
    w: usize,
    iteration: Arc<F>,
    schedule: Schedule,
    shared: Shared,
    ticks: Option<Ticks>,
    steps: usize,
) -> Tally
where
    F: Fn(usize, Instant) -> Fut,
    Fut: Future<Output = Result<Vec<f64>, String>>,
{
    let mut t = Tally::new(steps);
    loop {
        // An open loop takes the next send time when it comes (a worker still busy then takes
        // it late, and is timed from the intended time: the coordinated-omission correction);
        // a closed loop sends now.
        let intended = match &ticks {
            Some(ticks) => match ticks.lock().await.recv().await {
                Some(at) => at,
                None => break,
            },
            None => Instant::now(),
        };
        if intended >= schedule.end {
            break;
        }
        let result = iteration(w, intended).await;
        let counter = if result.is_ok() {
            &shared.done
        } else {
            &shared.failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
        if intended >= schedule.measure_from {
            t.record(result, intended);
        }
    }
    t
}

/// Runs `iteration(worker, intended_start)` under `plan`. An iteration returns the latency of
/// each step in milliseconds (the first measured from `intended_start`), or the failing step
/// and status as `"step status"`.
pub(crate) async fn run<F, Fut>(plan: &Plan, iteration: F) -> anyhow::Result<Outcome>
where
    F: Fn(usize, Instant) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<f64>, String>> + Send,
{
    let iteration = Arc::new(iteration);
    let rss_idle_kib = rss_kib(plan.pid);
    let origin = Instant::now();
    let measure_from = origin + plan.warmup;
    let schedule = Schedule {
        origin,
        measure_from,
        end: measure_from + plan.duration,
    };
    let shared = Shared {
        done: Arc::new(AtomicU64::new(0)),
        failed: Arc::new(AtomicU64::new(0)),
    };
    let peak = Arc::new(AtomicU64::new(0));
    let progress = tokio::spawn(progress(
        plan.pid,
        origin,
        measure_from,
        Arc::clone(&shared.done),
        Arc::clone(&shared.failed),
        Arc::clone(&peak),
    ));
    let steps = plan.steps.len();
    let ticks = plan.rate.map(|r| ticker(schedule, r));
    let workers: Vec<_> = (0..plan.concurrency.max(1))
        .map(|w| {
            let (iteration, shared, ticks) =
                (Arc::clone(&iteration), shared.clone(), ticks.clone());
            tokio::spawn(async move { worker(w, iteration, schedule, shared, ticks, steps).await })
        })
        .collect();
    let mut all = Tally::new(steps);
    for w in workers {
        all.merge(w.await?);
    }
    // Late iterations of an open loop may finish after `end`: rate over the real window.
    let window = (Instant::now().max(schedule.end) - measure_from).as_secs_f64();
    progress.abort();
    let rss_peak_kib = match peak.load(Ordering::Relaxed) {
        0 => rss_kib(plan.pid),
        kib => rss_kib(plan.pid).map(|now| now.max(kib)),
    };
    let mut step_stats: Vec<StepStats> = plan
        .steps
        .iter()
        .zip(all.lat)
        .map(|(name, v)| stats(name, v))
        .collect();
    if steps > 1 {
        step_stats.push(stats("total", all.total));
    }
    Ok(Outcome {
        per_sec: all.ok as f64 / window,
        iterations: all.ok,
        failed: all.failed,
        steps: step_stats,
        errors: all.errors,
        rss_idle_kib,
        rss_peak_kib,
    })
}

/// Prints a progress line once per second, and records the peak RSS of the measured window in
/// `peak`, until aborted.
async fn progress(
    pid: Option<u32>,
    origin: Instant,
    measure_from: Instant,
    done: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
    peak: Arc<AtomicU64>,
) {
    let mut last = 0;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.tick().await;
    loop {
        tick.tick().await;
        let now = Instant::now();
        let rss = rss_kib(pid);
        if now > measure_from {
            peak.fetch_max(rss.unwrap_or(0), Ordering::Relaxed);
        }
        let d = done.load(Ordering::Relaxed);
        let phase = if now < measure_from {
            "warm-up"
        } else {
            "measure"
        };
        eprintln!(
            "[{:>4.0} s] {phase}  {:>8} ok  {:>6} failed  {:>8.1}/s  rss {:.1} MiB",
            (now - origin).as_secs_f64(),
            d,
            failed.load(Ordering::Relaxed),
            d.saturating_sub(last) as f64,
            rss.unwrap_or(0) as f64 / 1024.0,
        );
        last = d;
    }
}

//! The server processes of `bench nodes`: `openentry serve` (this very binary) started N
//! times on one scratch PostgreSQL database, each on 127.0.0.1:0, and the raw commit baseline
//! on the same PostgreSQL server.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::APP_TOKEN;

/// How long a node may take to listen (migrations and the demo import included).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A scratch database name unique to this process and moment.
fn scratch_name(tag: &str) -> String {
    let now = openentry_domain::clock::Clock::now(&openentry_domain::clock::SystemClock).0;
    format!("openentry_bench_{tag}_{}_{now}", std::process::id())
}

/// Raw durable single-row commits per second on a scratch database of the same server.
pub(super) async fn raw_commits(
    admin_url: &str,
    concurrency: usize,
    secs: u64,
) -> anyhow::Result<f64> {
    let name = scratch_name("raw");
    let url = openentry_store::testdb::create_postgres(admin_url, &name).await?;
    let db = openentry_store::connect(&openentry_store::ConnectOptions::new(url)).await?;
    let d = Duration::from_secs(secs);
    let n = openentry_store::bench::single_row_commits(&db, concurrency, d).await;
    db.close().await;
    openentry_store::testdb::drop_postgres(admin_url, &name).await?;
    Ok(n? as f64 / d.as_secs_f64())
}

/// N server processes on one scratch database.
pub(super) struct Cluster {
    admin_url: String,
    name: String,
    nodes: Vec<(Child, String)>,
}

impl Cluster {
    /// Creates the database and starts `n` nodes: the first imports the demo project, the
    /// others serve what it stored.
    pub(super) async fn start(admin_url: &str, n: usize) -> anyhow::Result<Self> {
        let name = scratch_name("nodes");
        let url = openentry_store::testdb::create_postgres(admin_url, &name).await?;
        let mut cluster = Self {
            admin_url: admin_url.to_owned(),
            name,
            nodes: Vec::new(),
        };
        for i in 0..n {
            match spawn(&url, i == 0) {
                Ok(node) => cluster.nodes.push(node),
                Err(e) => {
                    cluster.stop().await;
                    return Err(e);
                }
            }
        }
        Ok(cluster)
    }

    /// The nodes' base URLs.
    pub(super) fn bases(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().map(|(_, base)| base.as_str())
    }

    /// Stops every node (SIGTERM, then SIGKILL after 10 s) and drops the database.
    pub(super) async fn stop(mut self) {
        for (child, _) in &mut self.nodes {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
        }
        for (child, _) in &mut self.nodes {
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while matches!(child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Err(e) = openentry_store::testdb::drop_postgres(&self.admin_url, &self.name).await {
            eprintln!("could not drop the scratch database {}: {e}", self.name);
        }
    }
}

/// Starts one node; returns it with its base URL once it listens.
fn spawn(url: &str, demo: bool) -> anyhow::Result<(Child, String)> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
        .env("OPENENTRY_APP_TOKEN", APP_TOKEN)
        // Cheap hashing: the users are made before the measurement, which signs nobody in.
        .env("OPENENTRY_ARGON2_M_KIB", "8")
        .env("OPENENTRY_ARGON2_T", "1")
        // Every bench client shares one address: the per-address budget would measure itself.
        .env("OPENENTRY_ANONYMOUS_BUDGET", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if demo {
        cmd.arg("--demo");
    }
    let mut child = cmd.spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("openentry listening on ") {
                let _ = tx.send(addr.trim().to_owned());
            }
        }
    });
    if let Ok(base) = rx.recv_timeout(START_TIMEOUT) {
        Ok((child, base))
    } else {
        let _ = child.kill();
        let _ = child.wait();
        anyhow::bail!("a node did not listen within {START_TIMEOUT:?}")
    }
}

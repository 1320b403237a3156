//! A 200 MiB upload streams through a real `openentry serve` process into the media store:
//! the server's peak resident memory grows by less than 20 MiB, and a file over the limit is
//! refused with its 413 after the body was read (issue 13's acceptance; docs/decisions.md,
//! "Uploaded files"). On PostgreSQL when `OPENENTRY_TEST_DATABASE_URL` is set.
//!
//! The client is a raw socket that writes the whole multipart body before it reads, in 1 MiB
//! chunks it makes on the fly, so neither side can hold the file and a server that answered
//! before draining would show up as a broken pipe.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test fails loudly

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_openentry");
const APP_TOKEN: &str = "upload-rss-app-token";
const MIB: u64 = 1024 * 1024;
/// The upload route's limit: a 200 MiB file passes, one of 210 MiB does not.
const LIMIT: u64 = 205 * MIB;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(database_url: &str, media: &std::path::Path) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo"])
        .args(["--database-url", database_url, "--app-token", APP_TOKEN])
        .env("OPENENTRY_MEDIA_DIR", media)
        .env("OPENENTRY_UPLOAD_MAX_FILE_BYTES", LIMIT.to_string())
        .env("OPENENTRY_UPLOAD_QUOTA_BYTES", (1024 * MIB).to_string())
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("the server exited").unwrap();
        if let Some(url) = line.strip_prefix("openentry listening on ") {
            break url.trim().to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let addr = base.trim_start_matches("http://").to_owned();
    Server { child, addr }
}

/// A line of the process's `/proc/<pid>/status` (`VmHWM`: peak resident set; `VmRSS`: now),
/// in bytes.
fn status_bytes(pid: u32, key: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// Resets the process's peak resident set to what it holds now (Linux: `clear_refs` 5), so
/// the peak afterwards is the upload's, not the start's.
fn reset_peak(pid: u32) {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
}

/// Sends one multipart upload of a PNG signature followed by `size - 8` zero bytes and returns
/// the status line's code and the body.
fn upload(addr: &str, size: u64) -> (u16, String) {
    let boundary = "openentry-rss-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.png\"\r\nContent-Type: image/png\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let length = head.len() as u64 + size + tail.len() as u64;
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/content/files?type=page&entity=editor&id=1 HTTP/1.1\r\nHost: {addr}\r\nx-app-token: {APP_TOKEN}\r\naccept: application/json\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{head}"
    )
    .unwrap();
    let mut chunk = vec![0u8; usize::try_from(MIB).unwrap()];
    chunk[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut left = size;
    while left > 0 {
        let n = usize::try_from(left.min(MIB)).unwrap();
        s.write_all(&chunk[..n])
            .expect("the server stopped reading the body");
        chunk[..8].fill(0);
        left -= n as u64;
    }
    s.write_all(tail.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let code = answer
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (code, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_200_mib_upload_streams_in_bounded_memory_and_a_larger_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    #[allow(clippy::disallowed_methods)] // configuration: the environment chooses the database
    let pg = std::env::var("OPENENTRY_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let name = format!("oe_upload_rss_{}", std::process::id());
    let database_url = match &pg {
        Some(admin) => openentry_store::testdb::create_postgres(admin, &name)
            .await
            .unwrap(),
        None => format!("sqlite://{}", dir.path().join("rss.db").display()),
    };
    let server = start(&database_url, &media);
    let addr = server.addr.clone();
    let pid = server.child.id();

    // A small upload first, so what the route sets up once is not counted as the big one's.
    let (code, _) = tokio::task::spawn_blocking({
        let addr = addr.clone();
        move || upload(&addr, 1024)
    })
    .await
    .unwrap();
    assert_eq!(code, 200);
    reset_peak(pid);
    let before = status_bytes(pid, "VmRSS:");

    let (code, body) = tokio::task::spawn_blocking({
        let addr = addr.clone();
        move || upload(&addr, 200 * MIB)
    })
    .await
    .unwrap();
    assert_eq!(code, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer[0]["size"], 200 * MIB);
    let growth = status_bytes(pid, "VmHWM:").saturating_sub(before);
    assert!(
        growth < 20 * MIB,
        "the server's peak RSS grew by {} MiB during a 200 MiB upload",
        growth / MIB
    );
    let stored: u64 = walk_sizes(&media);
    assert!(stored >= 200 * MIB, "the file is in the media store");

    // Over the limit: refused once the body was read (the client wrote every byte), nothing kept.
    let (code, body) = tokio::task::spawn_blocking(move || upload(&addr, 210 * MIB))
        .await
        .unwrap();
    assert_eq!(code, 413, "{body}");
    assert!(body.contains("\"statusCode\":413"), "{body}");
    assert_eq!(
        walk_sizes(&media),
        stored,
        "a refused upload leaves nothing"
    );

    drop(server);
    if let Some(admin) = pg {
        openentry_store::testdb::drop_postgres(&admin, &name)
            .await
            .unwrap();
    }
}

/// Bytes of every file under `dir`.
fn walk_sizes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_sizes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

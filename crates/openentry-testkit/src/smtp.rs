//! A real SMTP server for tests: `tests/smtp/sink.py` (Python's `aiosmtpd`, from PyPI; .ci/run
//! installs it), started on a port of 127.0.0.1 and killed with its handle. It stores every
//! message it accepts before answering, so a test reads what arrived as soon as the relay
//! pass that sent it has returned. Without `python3` or `aiosmtpd` the test fails, saying so:
//! e-mail tests never pass by not running.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use openentry_server::config::SmtpSettings;
use serde_json::Value;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/smtp/sink.py");

/// A port of 127.0.0.1 nothing listens on (for now): the address of a dead SMTP server.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Plain SMTP (no TLS: a local test server) to 127.0.0.1:`port`, from `shop@example.com`.
pub fn smtp_settings(port: u16) -> SmtpSettings {
    SmtpSettings::parse(
        &format!("smtp://127.0.0.1:{port}?tls=none"),
        "Test Shop <shop@example.com>",
        Duration::from_secs(5),
    )
    .unwrap()
}

/// A running SMTP server that keeps what it receives.
#[derive(Debug)]
pub struct SmtpSink {
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    /// A server on a free port.
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    /// A server on `port` (one a test kept free, to bring a dead server back).
    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new("python3")
            .arg(SCRIPT)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3 for the SMTP test server: {e}"));
        let stdout = child.stdout.take().unwrap();
        // An external process: wait (bounded) for its readiness line.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        if line.trim() != "ready" {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!(
                "\n*** the SMTP test server (tests/smtp/sink.py) did not start on port {port}; \
                 it needs Python's aiosmtpd: `python3 -m pip install aiosmtpd` (.ci/run does) ***\n{err}"
            );
        }
        Self { port, dir, child }
    }

    /// [`smtp_settings`] for this server.
    pub fn settings(&self) -> SmtpSettings {
        smtp_settings(self.port)
    }

    /// Every message received so far, oldest first: `mailFrom`, `rcptTos`, `from`, `to`,
    /// `subject`, `messageId`, `date`, `contentType`, `text` and `html` (decoded; `null` when
    /// the message has no such part).
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// The messages sent to `address`.
    pub fn messages_to(&self, address: &str) -> Vec<Value> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m["rcptTos"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|a| a.as_str() == Some(address)))
            })
            .collect()
    }
}

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
    /// The CA of its certificate (PEM), when it speaks TLS.
    ca_pem: Option<String>,
    /// TLS from the first byte.
    implicit: bool,
}

/// How a test SMTP server behaves beyond accepting plain mail.
#[derive(Debug, Clone, Default)]
pub struct SinkOptions {
    /// Require STARTTLS (or, with `implicit_tls`, TLS from the first byte) with a certificate
    /// for 127.0.0.1 issued by a CA made for this server.
    pub tls: bool,
    /// TLS from the first byte instead of STARTTLS.
    pub implicit_tls: bool,
    /// Require AUTH with this user and password (over TLS only).
    pub auth: Option<(String, String)>,
    /// Answer 550 to every recipient containing this text.
    pub reject: Option<String>,
}

/// A CA and a certificate for 127.0.0.1 it issued: `(ca_pem, cert_pem, key_pem)`.
fn certificates() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "OpenEntry test SMTP CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let cert = params.signed_by(&key, &issuer).unwrap();
    (ca.pem(), cert.pem(), key.serialize_pem())
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
        Self::start_with(port, &SinkOptions::default())
    }

    /// A server on `port` behaving as `options` say.
    pub fn start_with(port: u16, options: &SinkOptions) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new("python3");
        cmd.arg(SCRIPT)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path());
        let mut ca_pem = None;
        if options.tls {
            let (ca, cert, key) = certificates();
            // Outside the message directory, which holds only what arrived.
            let cert_path = dir.path().join("server.crt.pem");
            let key_path = dir.path().join("server.key.pem");
            std::fs::write(&cert_path, cert).unwrap();
            std::fs::write(&key_path, key).unwrap();
            cmd.arg("--cert")
                .arg(&cert_path)
                .arg("--key")
                .arg(&key_path);
            if options.implicit_tls {
                cmd.arg("--implicit-tls");
            }
            ca_pem = Some(ca);
        }
        if let Some((user, password)) = &options.auth {
            cmd.args(["--auth", &format!("{user}:{password}")]);
        }
        if let Some(text) = &options.reject {
            cmd.args(["--reject", text]);
        }
        let mut child = cmd
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
        Self {
            port,
            dir,
            child,
            ca_pem,
            implicit: options.tls && options.implicit_tls,
        }
    }

    /// [`smtp_settings`] for this server.
    pub fn settings(&self) -> SmtpSettings {
        smtp_settings(self.port)
    }

    /// Settings for this TLS server: `smtp://` (STARTTLS) or `smtps://`, with `credentials` in
    /// the URL when given, trusting the server's CA.
    pub fn tls_settings(&self, credentials: Option<(&str, &str)>) -> SmtpSettings {
        let scheme = if self.implicit { "smtps" } else { "smtp" };
        let auth = credentials.map_or(String::new(), |(u, p)| format!("{u}:{p}@"));
        let mut s = SmtpSettings::parse(
            &format!("{scheme}://{auth}127.0.0.1:{}", self.port),
            "Test Shop <shop@example.com>",
            Duration::from_secs(5),
        )
        .unwrap();
        s.ca_pem = Some(self.ca_pem.clone().expect("a TLS sink").into_bytes());
        s
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

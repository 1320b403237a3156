//! A raw HTTP/1.1 client: the fuzzer must send paths, headers and bodies exactly as given
//! (`..`, `%00`, bytes that are not UTF-8), which URL-normalizing clients would repair.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A request as bytes on the wire.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) method: &'static str,
    /// Path and query, as sent.
    pub(crate) target: Vec<u8>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

/// What came back: a status and the body, or why nothing did.
pub(crate) type Answer = Result<(u16, Vec<u8>), String>;

/// Longer than the server's own request timeout, so a hung handler shows as its 503.
const TIMEOUT: Duration = Duration::from_secs(40);

/// Sends `req` on a fresh connection and reads the answer until the server closes it. The body
/// is written while the answer is read: a server may answer (and close) before reading it.
pub(crate) async fn send(addr: SocketAddr, req: &Raw) -> Answer {
    let exchange = async {
        let stream = TcpStream::connect(addr)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let mut stream = stream;
        let (mut rd, mut wr) = stream.split();
        let mut head = Vec::with_capacity(256 + req.target.len());
        head.extend_from_slice(req.method.as_bytes());
        head.push(b' ');
        head.extend_from_slice(&req.target);
        head.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (name, value) in &req.headers {
            head.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        if let Some(body) = &req.body {
            head.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
        }
        head.extend_from_slice(b"\r\n");
        let body = req.body.as_deref().unwrap_or_default();
        // No half-close after the body: the server would take it for a client gone away.
        let write = async {
            // An early answer closes the connection: a failed write is no failure here.
            if wr.write_all(&head).await.is_ok() {
                let _ = wr.write_all(body).await;
            }
        };
        let mut got = Vec::new();
        let ((), read) = tokio::join!(write, rd.read_to_end(&mut got));
        match (status_of(&got), read) {
            (Some(status), _) => Ok((status, body_of(&got))),
            (None, Err(e)) => Err(format!("no answer: {e}")),
            (None, Ok(_)) => Err(format!(
                "no status line in {:?}",
                String::from_utf8_lossy(&got[..got.len().min(200)])
            )),
        }
    };
    tokio::time::timeout(TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", TIMEOUT.as_secs())))
}

fn status_of(bytes: &[u8]) -> Option<u16> {
    let line = bytes.split(|b| *b == b'\n').next()?;
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/1."))?;
    parts.next()?.parse().ok()
}

fn body_of(bytes: &[u8]) -> Vec<u8> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| bytes[i + 4..].to_vec())
        .unwrap_or_default()
}

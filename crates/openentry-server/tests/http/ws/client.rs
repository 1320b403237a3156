//! A minimal socket.io v4 client for the tests, over `tokio-tungstenite`: the handshake the
//! SDK's `WS.connect` makes (websocket transport, `Authorization` and `x-app-token` headers),
//! the namespace connect, and reading events. Engine.IO packets are one digit then data;
//! socket.io ones are `4` (message) then a digit: `0` connect, `1` disconnect, `2` event,
//! `4` connect error.

use futures::{SinkExt as _, StreamExt as _};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a socket may take to see what the server already did.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

/// An open socket.
pub(crate) struct Socket {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What a socket saw next.
#[derive(Debug, PartialEq)]
pub(crate) enum Seen {
    /// An event and its first argument.
    Event(String, Value),
    /// The server disconnected the socket (or closed the connection).
    Closed,
}

/// Connects to `base` (`http://…`) as the SDK does; `Err` holds the connect error's message.
pub(crate) async fn connect(base: &str, app_token: &str, bearer: &str) -> Result<Socket, String> {
    let url = format!(
        "{}/api/content/ws/?EIO=4&transport=websocket",
        base.replacen("http", "ws", 1)
    );
    let mut req = url.into_client_request().unwrap();
    let h = req.headers_mut();
    h.insert("x-app-token", app_token.parse().unwrap());
    h.insert("authorization", format!("Bearer {bearer}").parse().unwrap());
    let (ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut s = Socket { ws };
    let open = s.packet().await.expect("an Engine.IO open packet");
    assert!(open.starts_with('0'), "{open}");
    s.ws.send(Message::text("40")).await.unwrap();
    let reply = s
        .packet()
        .await
        .expect("an answer to the namespace connect");
    if let Some(err) = reply.strip_prefix("44") {
        let v: Value = serde_json::from_str(err).unwrap();
        return Err(v["message"].as_str().unwrap_or_default().to_owned());
    }
    assert!(reply.starts_with("40"), "{reply}");
    Ok(s)
}

impl Socket {
    /// The next text packet, answering pings; `None` once the connection is closed.
    async fn packet(&mut self) -> Option<String> {
        loop {
            let msg = tokio::time::timeout(DEADLINE, self.ws.next())
                .await
                .expect("the server said nothing before the deadline");
            match msg {
                Some(Ok(Message::Text(t))) if t.as_str() == "2" => {
                    self.ws.send(Message::text("3")).await.ok()?;
                }
                Some(Ok(Message::Text(t))) => return Some(t.as_str().to_owned()),
                Some(Ok(Message::Close(_)) | Err(_)) | None => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    /// The next event, or the end of the socket.
    pub(crate) async fn next(&mut self) -> Seen {
        loop {
            let Some(p) = self.packet().await else {
                return Seen::Closed;
            };
            if p.starts_with("41") || p == "1" {
                return Seen::Closed;
            }
            if let Some(event) = p.strip_prefix("42") {
                let v: Value = serde_json::from_str(event).unwrap();
                let name = v[0].as_str().unwrap_or_default().to_owned();
                return Seen::Event(name, v[1].clone());
            }
        }
    }
}

//! Idempotency keys: replays of a key, and the client's own retry of a lost answer.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use openentry_client::types::payments::CreateSessionRequest;
use openentry_client::{Config, Error, IdempotencyKey, OneEntry, Page, StatusCode};
use openentry_testkit::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{PASSWORD, api_error, auth, email, seed_order, sign_up_request, signed_in};

#[tokio::test]
async fn a_reused_idempotency_key_answers_the_first_order() {
    let s = TestServer::spawn().await;
    let (c, _) = signed_in(&s, "idem").await;
    let o = c.orders();
    let key = IdempotencyKey::new("checkout-1").unwrap();
    let first = o
        .create_order_with_key("orders", &seed_order(1), key.clone())
        .await
        .unwrap();
    let replay = o
        .create_order_with_key("orders", &seed_order(1), key.clone())
        .await
        .unwrap();
    assert_eq!(replay, first);
    let (status, _) = api_error(o.create_order_with_key("orders", &seed_order(2), key).await);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        o.get_all_orders_by_marker("orders", Page::default())
            .await
            .unwrap()
            .total,
        1
    );
    let fresh = o.create_order("orders", &seed_order(1)).await.unwrap();
    assert_ne!(
        fresh.id, first.id,
        "each create_order call has a key of its own"
    );

    let body = CreateSessionRequest {
        order_id: first.id,
        kind: "session".into(),
        automatic_tax_enabled: false,
    };
    let key = IdempotencyKey::new("pay-1").unwrap();
    let p = c.payments();
    let session = p.create_session_with_key(&body, key.clone()).await.unwrap();
    assert_eq!(
        p.create_session_with_key(&body, key).await.unwrap(),
        session
    );
}

/// A TCP proxy in front of the server that, when armed, lets the next request whose bytes
/// contain the needle through but drops its answer and closes the connection: the server
/// did the work, the client never hears of it.
struct LossyProxy {
    url: String,
    armed: Arc<Mutex<Option<&'static [u8]>>>,
    dropped: Arc<AtomicUsize>,
}

impl LossyProxy {
    async fn spawn(upstream: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let armed: Arc<Mutex<Option<&'static [u8]>>> = Arc::default();
        let dropped = Arc::new(AtomicUsize::new(0));
        let (a, d) = (Arc::clone(&armed), Arc::clone(&dropped));
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let upstream = tokio::net::TcpStream::connect(&upstream).await.unwrap();
                tokio::spawn(Self::relay(conn, upstream, Arc::clone(&a), Arc::clone(&d)));
            }
        });
        Self {
            url,
            armed,
            dropped,
        }
    }

    async fn relay(
        conn: tokio::net::TcpStream,
        upstream: tokio::net::TcpStream,
        armed: Arc<Mutex<Option<&'static [u8]>>>,
        dropped: Arc<AtomicUsize>,
    ) {
        let (mut cr, mut cw) = conn.into_split();
        let (mut ur, mut uw) = upstream.into_split();
        let lose_answer = AtomicBool::new(false);
        let up = async {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = cr.read(&mut buf).await {
                let hit = armed
                    .lock()
                    .unwrap()
                    .take_if(|needle| buf[..n].windows(needle.len()).any(|w| w == *needle))
                    .is_some();
                if hit {
                    lose_answer.store(true, Ordering::SeqCst);
                }
                if uw.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        };
        let down = async {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok(n @ 1..) = ur.read(&mut buf).await {
                if lose_answer.load(Ordering::SeqCst) {
                    dropped.fetch_add(1, Ordering::SeqCst);
                    return; // both halves drop: the connection closes mid-exchange
                }
                if cw.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        };
        tokio::select! { () = up => {}, () = down => {} }
    }

    fn lose_next_answer_to(&self, needle: &'static [u8]) {
        *self.armed.lock().unwrap() = Some(needle);
    }
}

const CREATE_ORDER: &[u8] = b"POST /api/content/orders-storage/marker/orders/orders ";

#[tokio::test]
async fn a_lost_answer_is_asked_for_again_with_the_same_key() {
    let s = TestServer::spawn().await;
    let proxy = LossyProxy::spawn(&s.url).await;
    let c = OneEntry::new(
        &proxy.url,
        Config {
            token: Some(s.app_token.clone()),
            ..Config::default()
        },
    )
    .unwrap();
    let e = email("lost");
    c.auth_provider()
        .sign_up("email", &sign_up_request(&e))
        .await
        .unwrap();
    c.auth_provider()
        .auth("email", &auth(&e, PASSWORD))
        .await
        .unwrap();

    proxy.lose_next_answer_to(CREATE_ORDER);
    let order = c
        .orders()
        .create_order("orders", &seed_order(1))
        .await
        .unwrap();
    assert_eq!(
        proxy.dropped.load(Ordering::SeqCst),
        1,
        "the first answer was lost"
    );
    let mine = c
        .orders()
        .get_all_orders_by_marker("orders", Page::default())
        .await
        .unwrap();
    assert_eq!(
        mine.total, 1,
        "the retry carried the same key: one order, not two"
    );
    assert_eq!(mine.items[0].id, order.id);

    // Without retries the loss reaches the caller, and the order exists all the same.
    let once = OneEntry::new(
        &proxy.url,
        Config {
            token: Some(s.app_token.clone()),
            max_retries: 0,
            ..Config::default()
        },
    )
    .unwrap();
    once.set_access_token(c.access_token());
    proxy.lose_next_answer_to(CREATE_ORDER);
    let err = once
        .orders()
        .create_order("orders", &seed_order(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(
        c.orders()
            .get_all_orders_by_marker("orders", Page::default())
            .await
            .unwrap()
            .total,
        2
    );
}

//! Every request passes here between hyper and the router: the head is checked against our
//! own limits (so 414 and 431 carry the SDK error body instead of hyper's empty answer), the
//! body is budgeted and timed, and an answer given before the body was read says
//! `Connection: close`, so the client knows the connection ends after it.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, Version, header};
use http_body::{Body as _, Frame, SizeHint};
use hyper::body::Incoming;
use tower::ServiceExt as _;

use super::Limits;
use super::body::{Failure, GuardedBody, Outcome, Reservation};
use super::conns::{Busy, Conn};
use crate::error::ApiError;

/// Serves one request of a connection from `peer`.
pub(crate) async fn handle(
    router: Router,
    limits: Arc<Limits>,
    conn: Arc<Conn>,
    peer: SocketAddr,
    req: Request<Incoming>,
) -> Result<Response, Infallible> {
    let busy = conn.begin();
    // `Connection` is an HTTP/1 header; HTTP/2 ends a stream with RST_STREAM instead.
    let h1 = req.version() <= Version::HTTP_11;
    let has_body = !req.body().is_end_stream();
    if let Some(err) = head_error(&req, &limits) {
        return Ok(finish(err.into_response(), h1 && has_body, busy));
    }
    // The upload route streams its body to the media store and drains what it refuses, so
    // it has its own limit (what it will read, drain included) and holds only a window.
    let upload = crate::files::is_upload(req.method(), req.uri().path());
    let (limit, read_timeout, window) = if upload {
        let l = &limits;
        (
            l.upload_drain_limit,
            l.upload_read_timeout,
            super::STREAM_WINDOW,
        )
    } else {
        (limits.body_limit, limits.body_read_timeout, usize::MAX)
    };
    let declared = content_length(req.headers());
    if declared.is_some_and(|n| n > limit) {
        let err = ApiError::PayloadTooLarge(limit);
        return Ok(finish(err.into_response(), h1 && has_body, busy));
    }
    let reservation = Arc::new(Reservation::new(Arc::clone(&limits.budget), conn.peer));
    if let Some(n) = declared.filter(|n| *n > 0)
        && let Err(f) = reservation.cover(n.min(window))
    {
        return Ok(finish(failure_response(f), h1 && has_body, busy));
    }
    let outcome = Arc::new(Outcome::default());
    let (parts, body) = req.into_parts();
    let body = if has_body {
        Body::new(GuardedBody::new(
            body,
            read_timeout,
            Arc::clone(&reservation),
            Arc::clone(&outcome),
            window,
        ))
    } else {
        Body::new(body)
    };
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(ConnectInfo(peer));
    let Ok(response) = router.oneshot(req).await;
    let response = match outcome.failure() {
        Some(f) => failure_response(f),
        None => response,
    };
    drop(reservation);
    let unread = has_body && !outcome.finished();
    Ok(finish(response, h1 && unread, busy))
}

/// 414 and 431 from our limits, which are below hyper's (those answer without a body).
fn head_error<B>(req: &Request<B>, limits: &Limits) -> Option<ApiError> {
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len())
        + req.uri().authority().map_or(0, |a| a.as_str().len());
    if target > limits.max_uri_len {
        return Some(ApiError::UriTooLong(format!(
            "The request target is longer than the {}-byte limit",
            limits.max_uri_len
        )));
    }
    let headers = req.headers();
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if bytes > limits.max_header_bytes || headers.len() > super::MAX_HEADERS {
        return Some(ApiError::HeadersTooLarge(format!(
            "The request headers are larger than the limit ({} bytes, {} fields)",
            limits.max_header_bytes,
            super::MAX_HEADERS
        )));
    }
    None
}

fn content_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
}

fn failure_response(f: Failure) -> Response {
    let (err, retry) = match f {
        Failure::TimedOut => (
            ApiError::RequestTimeout(
                "The request body did not arrive in time; the connection is closed".to_owned(),
            ),
            false,
        ),
        Failure::Address => (
            ApiError::TooManyRequests {
                message: "Too many request bodies in flight from this address; retry in a moment"
                    .to_owned(),
                retry_after_secs: 1,
            },
            false,
        ),
        Failure::Global => (
            ApiError::Unavailable(
                "The server is receiving too many request bodies at once; retry in a moment"
                    .to_owned(),
            ),
            true,
        ),
    };
    let mut response = err.into_response();
    if retry {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// Marks an early answer with `Connection: close`, and keeps the connection busy (never
/// closed as idle) until the response body is sent.
fn finish(mut response: Response, close: bool, busy: Busy) -> Response {
    if close {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response.map(|inner| Body::new(Held { inner, _busy: busy }))
}

/// A response body that keeps its connection busy until it is sent (or dropped). Size and end
/// are forwarded, so hyper still sends `Content-Length` rather than chunks.
#[derive(Debug)]
struct Held {
    inner: Body,
    _busy: Busy,
}

impl http_body::Body for Held {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

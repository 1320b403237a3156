//! A request id for every request, in its log span and in the answer's `x-request-id`.
//!
//! The id is the W3C `traceparent`'s trace id when the caller sent a valid one (so our logs
//! join the caller's trace), else a sane `x-request-id` the caller chose (a proxy's), else a
//! new random one. Whatever the caller sent is only taken when it is short and plain, so a
//! header cannot inject text into a log line.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The header carrying the id, both ways.
pub(crate) const HEADER: &str = "x-request-id";

/// The trace id of a valid `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`, not all zeros).
fn trace_id(traceparent: &str) -> Option<&str> {
    let mut parts = traceparent.trim().split('-');
    let (version, trace, parent, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    let valid = hex(version, 2)
        && version != "ff"
        && hex(trace, 32)
        && hex(parent, 16)
        && hex(flags, 2)
        && trace.bytes().any(|b| b != b'0')
        && parent.bytes().any(|b| b != b'0');
    valid.then_some(trace)
}

/// A caller's own id, when it is 1–64 characters of `[A-Za-z0-9._-]`.
fn plain(id: &str) -> Option<&str> {
    let ok = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(id)
}

fn fresh() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap_or_default();
    hex::encode(b)
}

/// The id of a request with these headers.
pub(crate) fn for_request(headers: &axum::http::HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    get("traceparent")
        .and_then(trace_id)
        .map(str::to_ascii_lowercase)
        .or_else(|| get(HEADER).and_then(plain).map(str::to_owned))
        .unwrap_or_else(fresh)
}

/// The outermost layer: settles the id before the log span opens, echoes it in the answer.
pub(crate) async fn layer(mut req: Request, next: Next) -> Response {
    let id = for_request(req.headers());
    let value = HeaderValue::from_str(&id).ok();
    if let Some(v) = &value {
        req.headers_mut().insert(HEADER, v.clone());
    }
    let mut response = next.run(req).await;
    if let Some(v) = value {
        response.headers_mut().insert(HEADER, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_traceparent_gives_its_trace_id() {
        let tp = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0cd902b7-01";
        let mut h = axum::http::HeaderMap::new();
        h.insert("traceparent", HeaderValue::from_static(tp));
        h.insert(HEADER, HeaderValue::from_static("proxy-id"));
        assert_eq!(for_request(&h), "4bf92f3577b34da6a3ce929d0e0e4736");
    }

    #[test]
    fn invalid_traceparents_and_ids_are_not_taken() {
        for tp in [
            "00-00000000000000000000000000000000-00f067aa0cd902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0cd902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0cd902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "garbage",
        ] {
            assert_eq!(trace_id(tp), None, "{tp}");
        }
        assert_eq!(plain("abc.DEF_1-2"), Some("abc.DEF_1-2"));
        assert_eq!(plain("a b"), None);
        assert_eq!(plain("x\ny"), None);
        assert_eq!(plain(&"a".repeat(65)), None);
        let mut h = axum::http::HeaderMap::new();
        h.insert(HEADER, HeaderValue::from_static("has space"));
        let id = for_request(&h);
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

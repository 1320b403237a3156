//! `GET`/`HEAD /media/{hash}/{name}[?w=N]`: a stored file, or a resized preview of an image,
//! for browsers. Public (shop images need no token); only keys of the store are served, so
//! nothing outside the store directory can be named.
//!
//! - The type comes from the content (`Content-Type`), never from the name, with `nosniff`
//!   and a sandboxing `Content-Security-Policy`, so an uploaded HTML or SVG file cannot run
//!   script on this origin.
//! - Keys carry the content hash, so answers are `immutable` for a year, with an `ETag` (the
//!   hash) and `Last-Modified`; `If-None-Match`/`If-Modified-Since` answer 304.
//! - One byte range (`Range: bytes=…`) answers 206; an unsatisfiable one 416; several ranges or
//!   a stale `If-Range` get the whole file.

use std::time::SystemTime;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openentry_domain::project::media::check_key;
use tokio_util::io::ReaderStream;

use super::{MediaStore, ObjectId, ObjectInfo, content_type, preview};
use crate::error::{ApiError, ApiResult};

/// Bytes read to tell a file's type.
const SNIFF: u64 = 8 * 1024;
const CACHE: &str = "public, max-age=31536000, immutable";
const CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

/// Answers a media request.
pub(crate) async fn answer(
    store: &dyn MediaStore,
    key: &str,
    width: Option<u32>,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let not_found = || ApiError::NotFound(format!("No media file {key}"));
    check_key(key).map_err(|_| not_found())?;
    let original = ObjectId::original(key);
    let info = store
        .stat(&original)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
    let (id, info) = match width {
        None => (original, info),
        Some(w) => {
            let w = preview::snap(w).ok_or_else(|| {
                ApiError::BadRequest("w must be a width in pixels, 1 or more".into())
            })?;
            preview_of(store, key, w).await?.unwrap_or((original, info))
        }
    };
    let etag = match id.preview_width {
        None => format!("\"{}\"", key.split('/').next().unwrap_or(key)),
        Some(w) => format!("\"{}-w{w}\"", key.split('/').next().unwrap_or(key)),
    };
    let mut out = HeaderMap::new();
    let put = |out: &mut HeaderMap, name, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            out.insert(name, v);
        }
    };
    put(&mut out, header::ETAG, &etag);
    put(
        &mut out,
        header::LAST_MODIFIED,
        &httpdate::fmt_http_date(info.modified),
    );
    put(&mut out, header::CACHE_CONTROL, CACHE);
    put(&mut out, header::ACCEPT_RANGES, "bytes");
    put(&mut out, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    put(&mut out, header::CONTENT_SECURITY_POLICY, CSP);
    put(
        &mut out,
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "cross-origin",
    );
    if not_modified(headers, &etag, info.modified) {
        return Ok((StatusCode::NOT_MODIFIED, out).into_response());
    }
    let head = first_bytes(store, &id, info.len.min(SNIFF))
        .await
        .map_err(internal)?;
    put(&mut out, header::CONTENT_TYPE, content_type(&head));
    let Ok(range) = range_of(headers, &etag, info) else {
        put(
            &mut out,
            header::CONTENT_RANGE,
            &format!("bytes */{}", info.len),
        );
        return Ok((StatusCode::RANGE_NOT_SATISFIABLE, out).into_response());
    };

    let (status, start, len) = match range {
        Some((start, end)) => {
            put(
                &mut out,
                header::CONTENT_RANGE,
                &format!("bytes {start}-{end}/{}", info.len),
            );
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        None => (StatusCode::OK, 0, info.len),
    };
    put(&mut out, header::CONTENT_LENGTH, &len.to_string());
    if method == Method::HEAD {
        return Ok((status, out).into_response());
    }
    let reader = store.read(&id, start, len).await.map_err(internal)?;
    Ok((status, out, Body::from_stream(ReaderStream::new(reader))).into_response())
}

async fn first_bytes(store: &dyn MediaStore, id: &ObjectId, n: u64) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    store.read(id, 0, n).await?.read_to_end(&mut buf).await?;
    Ok(buf)
}

#[allow(clippy::needless_pass_by_value)] // `map_err` hands errors over by value
fn internal(e: std::io::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("media store: {e}"))
}

/// The cached preview of `key` at width `w`, made and cached when missing; `None` when the
/// original serves (not an image, or not wider than `w`).
async fn preview_of(
    store: &dyn MediaStore,
    key: &str,
    w: u32,
) -> ApiResult<Option<(ObjectId, ObjectInfo)>> {
    let id = ObjectId {
        key: key.to_owned(),
        preview_width: Some(w),
    };
    if let Some(info) = store.stat(&id).await.map_err(internal)? {
        return Ok(Some((id, info)));
    }
    let bytes = store
        .read_all(&ObjectId::original(key))
        .await
        .map_err(internal)?;
    let made = tokio::task::spawn_blocking(move || preview::make(&bytes, w))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let Some(made) = made else {
        return Ok(None);
    };
    store.put_object(&id, made).await.map_err(internal)?;
    Ok(store
        .stat(&id)
        .await
        .map_err(internal)?
        .map(|info| (id, info)))
}

fn not_modified(headers: &HeaderMap, etag: &str, modified: SystemTime) -> bool {
    if let Some(tags) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    {
        return tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag);
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .is_some_and(|since| seconds(modified) <= seconds(since))
}

fn seconds(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The one byte range asked for, as inclusive `(start, end)`: `Ok(None)` for the whole file
/// (no `Range`, an `If-Range` that no longer holds, several ranges, or a header this server
/// does not read), `Err(())` when it lies beyond the file.
fn range_of(headers: &HeaderMap, etag: &str, info: ObjectInfo) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("bytes="))
    else {
        return Ok(None);
    };
    if let Some(cond) = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        let holds = cond == etag
            || httpdate::parse_http_date(cond).is_ok_and(|d| seconds(info.modified) <= seconds(d));
        if !holds {
            return Ok(None);
        }
    }
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let len = info.len;
    let (start, end) = match (a.trim().parse::<u64>().ok(), b.trim().parse::<u64>().ok()) {
        (Some(s), Some(e)) if s <= e => (s, e.min(len.saturating_sub(1))),
        (Some(s), None) if b.trim().is_empty() => (s, len.saturating_sub(1)),
        (None, Some(n)) if a.trim().is_empty() && n > 0 => {
            (len.saturating_sub(n), len.saturating_sub(1))
        }
        (None, Some(0)) if a.trim().is_empty() => return Err(()),
        _ => return Ok(None),
    };
    if start >= len {
        return Err(());
    }
    Ok(Some((start, end)))
}

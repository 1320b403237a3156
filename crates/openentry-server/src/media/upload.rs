//! Operators' files for the project definition (a product's image, a page's banner), put in
//! the media store under their content key (`<hash>/<name>`) so a definition can name them,
//! through `POST /api/admin/media` and the console's product form. Unlike visitors' uploads
//! (`crate::files`) they have no owner, no row and no quota: a stored key is what an edit of
//! the definition refers to, and the same file is stored once. The size and type checks are
//! the visitors' ones (`upload_max_file_bytes`, `upload_types`, the type read from the
//! content, never the name).
//!
//! The body is buffered (one file at its largest and the form's other fields), parsed with
//! `multer`, and what passes the limit is drained before the answer, as the upload route does,
//! so a client still sending reads its 413 rather than a broken pipe.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http::{HeaderMap, header};
use openentry_domain::files::type_allowed;
use openentry_domain::project::media::{StoredMedia, media_key, name_of_key, sanitize_name};

use super::{content_type, preview};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The management API's route for them.
pub(crate) const ADMIN_PATH: &str = "/api/admin/media";

/// Whether a POST to `path` carries an operator's file: the management route, or the
/// console's product form (new, or `/admin/catalog/{id}/edit`). The request layer gives those
/// the upload route's body limit and read timeout instead of the 1 MiB JSON ones.
pub(crate) fn takes_files(path: &str) -> bool {
    if path == ADMIN_PATH || path == "/admin/catalog/new" {
        return true;
    }
    path.strip_prefix("/admin/catalog/")
        .and_then(|rest| rest.strip_suffix("/edit"))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// Room for the form's other fields and each part's headers beside the file.
const FORM_ROOM: usize = 64 * 1024;

/// The largest multipart body of an operator's upload: one file at its largest and the form.
pub(crate) fn body_limit(c: &Config) -> usize {
    usize::try_from(c.upload_max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(FORM_ROOM)
}

/// A file part of a form.
#[derive(Debug, Clone)]
pub(crate) struct FilePart {
    /// The form field it came in.
    pub(crate) field: String,
    /// The name the browser gave (empty when the field was left empty).
    pub(crate) name: String,
    /// Its bytes.
    pub(crate) bytes: Bytes,
}

/// A parsed `multipart/form-data` body: its text fields and its files.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// Text fields in order.
    pub(crate) fields: Vec<(String, String)>,
    /// File fields in order.
    pub(crate) files: Vec<FilePart>,
}

/// The boundary of a `multipart/form-data` request, or `None` for any other body.
pub(crate) fn boundary(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
        .and_then(|v| multer::parse_boundary(v).ok())
}

/// Reads a body of at most `limit` bytes; beyond it a 413, after reading and dropping up to
/// twice the limit in all.
pub(crate) async fn read_capped(body: Body, limit: usize) -> ApiResult<Bytes> {
    let mut stream = body.into_data_stream();
    let mut buf = BytesMut::new();
    let mut read = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("The body was cut: {e}")))?;
        read = read.saturating_add(chunk.len());
        if read > limit {
            // Drained, so the client reads the answer (the request layer closes beyond).
            while read < limit.saturating_mul(2) {
                match stream.next().await {
                    Some(Ok(c)) => read = read.saturating_add(c.len()),
                    _ => break,
                }
            }
            return Err(ApiError::PayloadTooLarge(limit));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// Parses a buffered multipart body (400 when it is not one).
pub(crate) async fn parse(boundary: String, bytes: Bytes) -> ApiResult<Parsed> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let malformed = |e: multer::Error| {
        ApiError::BadRequest(format!("The multipart/form-data body is malformed: {e}"))
    };
    let mut parsed = Parsed::default();
    while let Some(field) = parts.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file) = field.file_name().map(ToOwned::to_owned) {
            let bytes = field.bytes().await.map_err(malformed)?;
            parsed.files.push(FilePart {
                field: name,
                name: file,
                bytes,
            });
        } else {
            let text = field.text().await.map_err(malformed)?;
            parsed.fields.push((name, text));
        }
    }
    Ok(parsed)
}

/// What a stored file must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accept {
    /// A type of `upload_types`.
    Configured,
    /// An image of `upload_types` (a product's picture).
    Image,
}

/// Checks a file as the upload route does (size, type from the content) and stores it under
/// its content key; storing a file the store has is a no-op.
pub(crate) async fn store(
    state: &AppState,
    name: &str,
    bytes: &[u8],
    accept: Accept,
) -> ApiResult<StoredMedia> {
    let c = &state.config;
    let name = sanitize_name(name);
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size == 0 {
        return Err(ApiError::BadRequest(format!("\"{name}\" is empty")));
    }
    if size > c.upload_max_file_bytes {
        return Err(ApiError::TooLarge(format!(
            "\"{name}\" is larger than the {}-byte limit per file",
            c.upload_max_file_bytes
        )));
    }
    let detected = content_type(bytes);
    let image = detected.starts_with("image/");
    if !type_allowed(detected, &c.upload_types) || (accept == Accept::Image && !image) {
        let wanted = if accept == Accept::Image {
            "an image"
        } else {
            "an accepted type"
        };
        return Err(ApiError::UnsupportedMediaType(format!(
            "\"{name}\" is not {wanted} (its content says {detected}; accepted: {})",
            c.upload_types.join(", ")
        )));
    }
    let key = media_key(&name, bytes);
    state
        .media
        .put(&key, bytes.to_vec())
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("media store: {e}")))?;
    let dims = if image {
        preview::dimensions(bytes)
    } else {
        None
    };
    Ok(StoredMedia {
        filename: name_of_key(&key).to_owned(),
        key,
        size,
        content_type: detected.to_owned(),
        width: dims.map(|d| d.0),
        height: dims.map(|d| d.1),
        title: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_media_route_and_the_product_form_take_files() {
        for yes in [
            "/api/admin/media",
            "/admin/catalog/new",
            "/admin/catalog/21/edit",
        ] {
            assert!(takes_files(yes), "{yes}");
        }
        for no in [
            "/admin/catalog/statuses",
            "/admin/catalog//edit",
            "/admin/catalog/x1/edit",
            "/admin/orders/1/status",
            "/api/admin/media/x",
        ] {
            assert!(!takes_files(no), "{no}");
        }
    }
}

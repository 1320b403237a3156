//! `upload`: `multipart/form-data` with the files in the field `files`, each streamed into the
//! media store as it arrives (never held whole in memory), its type read from its first bytes,
//! its size bounded per file, per request and by the owner's quota. The rows and the quota are
//! written in one transaction once every file is stored; a refused request leaves no object
//! and no row behind, and its body is drained before the answer (`body.rs`).

use axum::body::Body;
use axum::http::{HeaderMap, header};
use openentry_domain::files::{Owner, type_allowed, upload_key};
use openentry_domain::project::media::sanitize_name;
use openentry_store::files::NewUpload;
use openentry_types::files::UploadedFile;

use super::body::Shared;
use crate::content::attributes::media_link;
use crate::error::{ApiError, ApiResult};
use crate::media::content_type;
use crate::state::AppState;

/// Bytes read before the type is decided (every signature `infer` knows fits).
const SNIFF: usize = 512;

/// A file written to the store, not yet recorded.
#[derive(Debug)]
struct Stored {
    key: String,
    name: String,
    size: u64,
    content_type: &'static str,
}

/// Stores the files of an upload request and answers them as the SDK expects.
pub(crate) async fn upload(
    state: &AppState,
    owner: &Owner,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<Vec<UploadedFile>> {
    let body = Shared::new(body);
    let mut stored = Vec::new();
    let result = match receive(state, owner, headers, &body, &mut stored).await {
        Ok(()) => record(state, owner, &stored).await,
        Err(e) => Err(e),
    };
    body.drain(state.config.upload_drain_limit()).await;
    if let Err(e) = result {
        let keys: Vec<String> = stored.into_iter().map(|s| s.key).collect();
        super::remove_objects(state, &keys).await;
        return Err(e);
    }
    let project = state.project();
    Ok(stored
        .into_iter()
        .map(|s| UploadedFile {
            download_link: media_link(&project, &s.key),
            filename: s.key,
            size: s.size,
        })
        .collect())
}

/// What the owner may still store: bytes and files.
async fn room(state: &AppState, owner: &str) -> ApiResult<(u64, u64)> {
    let (bytes, files) = openentry_store::files::usage(&state.db, owner).await?;
    let c = &state.config;
    Ok((
        c.upload_quota_bytes
            .saturating_sub(u64::try_from(bytes).unwrap_or(0)),
        c.upload_quota_files
            .saturating_sub(u64::try_from(files).unwrap_or(0)),
    ))
}

fn quota_spent(state: &AppState) -> ApiError {
    let c = &state.config;
    ApiError::TooLarge(format!(
        "Your files would pass the upload quota ({} bytes, {} files); delete some first",
        c.upload_quota_bytes, c.upload_quota_files
    ))
}

/// Parses the body and stores each file, pushing it to `stored` as soon as it is written.
async fn receive(
    state: &AppState,
    owner: &Owner,
    headers: &HeaderMap,
    body: &std::sync::Arc<Shared>,
    stored: &mut Vec<Stored>,
) -> ApiResult<()> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| {
            ApiError::BadRequest(
                "An upload is multipart/form-data with the files in the field \"files\"".to_owned(),
            )
        })?;
    let c = &state.config;
    let (room_bytes, room_files) = room(state, &owner.key()).await?;
    let mut parts = multer::Multipart::new(body.for_parser(c.upload_body_limit()), boundary);
    loop {
        let field = match parts.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(malformed(state, body, &e)),
        };
        if field.name() != Some("files") {
            return Err(ApiError::BadRequest(
                "An upload sends its files in the field \"files\" and nothing else".to_owned(),
            ));
        }
        if stored.len() >= c.upload_max_files {
            return Err(ApiError::TooLarge(format!(
                "At most {} files per upload request",
                c.upload_max_files
            )));
        }
        if stored.len() as u64 >= room_files {
            return Err(quota_spent(state));
        }
        let used: u64 = stored.iter().map(|s| s.size).sum();
        let quota_left = room_bytes.saturating_sub(used);
        let name = sanitize_name(field.file_name().unwrap_or("file"));
        stored.push(store_one(state, body, field, name, quota_left).await?);
    }
    if stored.is_empty() {
        return Err(ApiError::BadRequest(
            "The upload holds no file (send them in the field \"files\")".to_owned(),
        ));
    }
    Ok(())
}

/// A parser error: the body passed the route's limit (413), or is not multipart (400).
fn malformed(state: &AppState, body: &Shared, e: &multer::Error) -> ApiError {
    if body.over_limit() {
        return ApiError::PayloadTooLarge(state.config.upload_body_limit());
    }
    ApiError::BadRequest(format!("The upload's multipart body is malformed: {e}"))
}

/// Streams one file into the store: its first bytes decide whether its type is accepted,
/// then every chunk is written as it arrives until the file ends or passes its limit.
async fn store_one(
    state: &AppState,
    body: &Shared,
    mut field: multer::Field<'static>,
    name: String,
    quota_left: u64,
) -> ApiResult<Stored> {
    let c = &state.config;
    let limit = c.upload_max_file_bytes.min(quota_left);
    let too_big = || {
        if limit < c.upload_max_file_bytes {
            quota_spent(state)
        } else {
            ApiError::TooLarge(format!(
                "\"{name}\" is larger than the {}-byte limit per file",
                c.upload_max_file_bytes
            ))
        }
    };
    let mut head = Vec::new();
    while head.len() < SNIFF {
        match chunk(state, body, &mut field).await? {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => break,
        }
    }
    let detected = content_type(&head);
    if !type_allowed(detected, &c.upload_types) {
        return Err(ApiError::UnsupportedMediaType(format!(
            "\"{name}\" is not of an accepted type (its content says {detected}; accepted: {})",
            c.upload_types.join(", ")
        )));
    }
    let mut size = head.len() as u64;
    if size > limit {
        return Err(too_big());
    }
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no random bytes: {e}"))?;
    let key = upload_key(random, &name);
    let mut writer = state
        .media
        .create(&key)
        .await
        .map_err(|e| store_failed(&e))?;
    writer.write(&head).await.map_err(|e| store_failed(&e))?;
    drop(head);
    while let Some(chunk) = chunk(state, body, &mut field).await? {
        size += chunk.len() as u64;
        if size > limit {
            // Dropped unfinished: the store keeps nothing of it.
            return Err(too_big());
        }
        writer.write(&chunk).await.map_err(|e| store_failed(&e))?;
    }
    writer.finish().await.map_err(|e| store_failed(&e))?;
    Ok(Stored {
        key,
        name,
        size,
        content_type: detected,
    })
}

async fn chunk(
    state: &AppState,
    body: &Shared,
    field: &mut multer::Field<'static>,
) -> ApiResult<Option<bytes::Bytes>> {
    field.chunk().await.map_err(|e| malformed(state, body, &e))
}

fn store_failed(e: &std::io::Error) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("media store: {e}"))
}

/// Spends the owner's quota and records the stored files, in one transaction.
async fn record(state: &AppState, owner: &Owner, stored: &[Stored]) -> ApiResult<()> {
    let c = &state.config;
    let owner_key = owner.key();
    let total: u64 = stored.iter().map(|s| s.size).sum();
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let mut tx = state.db.begin().await?;
    let fits = openentry_store::files::reserve(
        &mut tx,
        &owner_key,
        as_i64(total),
        as_i64(stored.len() as u64),
        as_i64(c.upload_quota_bytes),
        as_i64(c.upload_quota_files),
    )
    .await?;
    if !fits {
        return Err(quota_spent(state));
    }
    let now = state.now();
    for s in stored {
        let new = NewUpload {
            owner: &owner_key,
            user_id: owner.user_id(),
            key: &s.key,
            name: &s.name,
            size: as_i64(s.size),
            content_type: s.content_type,
        };
        openentry_store::files::insert(&mut tx, &new, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

//! Files visitors upload (the FileUploading module): one row per object of the media store,
//! and each owner's usage. Owners are strings the server makes (`user:<id>`, `addr:<address>`);
//! every read a visitor triggers filters by owner ([`get_own`], [`delete_own`]), so another
//! owner's file is indistinguishable from a missing one. The quota is spent by [`reserve`], one
//! conditional statement, so concurrent uploads cannot pass it together.

use openentry_domain::clock::Timestamp;
use openentry_domain::files::Owner;

use openentry_types::paging::Paging;

use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// An uploaded file to record.
#[derive(Debug, Clone)]
pub struct NewUpload<'a> {
    /// Owner (`user:<id>` or `addr:<address>`).
    pub owner: &'a str,
    /// The owning user (the row goes with the account).
    pub user_id: Option<i64>,
    /// The media store's key.
    pub key: &'a str,
    /// The sanitized file name.
    pub name: &'a str,
    /// Size in bytes.
    pub size: i64,
    /// The type read from the content.
    pub content_type: &'a str,
}

/// A recorded upload.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct UploadRecord {
    /// Id.
    pub id: i64,
    /// Owner.
    pub owner: String,
    /// The owning user.
    pub user_id: Option<i64>,
    /// The media store's key.
    pub object_key: String,
    /// The sanitized file name.
    pub name: String,
    /// Size in bytes.
    pub size: i64,
    /// The type read from the content.
    pub content_type: String,
    /// Uploaded.
    pub created_at: i64,
}

/// Spends `bytes` and `files` of `owner`'s quota when both stay within it; `false` (nothing
/// spent) when they would not.
pub async fn reserve(
    mut e: impl Exec,
    owner: &str,
    bytes: i64,
    files: i64,
    max_bytes: i64,
    max_files: i64,
) -> Result<bool, StoreError> {
    let mut x = e.executor();
    x.exec(
        q(
            "INSERT INTO upload_usage (owner, bytes, files) VALUES ($1, 0, 0)
           ON CONFLICT (owner) DO NOTHING",
        )
        .bind(owner),
    )
    .await?;
    // One statement: PostgreSQL re-checks the WHERE on the locked row, SQLite has one writer.
    let n = x
        .exec(
            q(
                "UPDATE upload_usage SET bytes = bytes + $2, files = files + $3
               WHERE owner = $1 AND bytes + $2 <= $4 AND files + $3 <= $5",
            )
            .bind(owner)
            .bind(bytes)
            .bind(files)
            .bind(max_bytes)
            .bind(max_files),
        )
        .await?;
    Ok(n > 0)
}

/// What `owner` holds: bytes and files.
pub async fn usage(mut e: impl Exec, owner: &str) -> Result<(i64, i64), StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct Usage {
        bytes: i64,
        files: i64,
    }
    let u: Option<Usage> = e
        .executor()
        .opt(q("SELECT bytes, files FROM upload_usage WHERE owner = $1").bind(owner))
        .await?;
    Ok(u.map_or((0, 0), |u| (u.bytes, u.files)))
}

/// Records an upload; returns its id.
pub async fn insert(
    mut e: impl Exec,
    u: &NewUpload<'_>,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let row: crate::db::Id = e
        .executor()
        .one(
            q(
                "INSERT INTO uploads (owner, user_id, object_key, name, size, content_type,
                created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(u.owner)
            .bind(u.user_id)
            .bind(u.key)
            .bind(u.name)
            .bind(u.size)
            .bind(u.content_type)
            .bind(now.0),
        )
        .await?;
    Ok(row.id)
}

/// The upload with this key, whoever owns it (form values naming one are checked with it).
pub async fn get_by_key(mut e: impl Exec, key: &str) -> Result<Option<UploadRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT id, owner, user_id, object_key, name, size, content_type, created_at",
                " FROM uploads WHERE object_key = $1"
            ))
            .bind(key),
        )
        .await
}

/// The owner's upload with this key.
pub async fn get_own(
    mut e: impl Exec,
    owner: &str,
    key: &str,
) -> Result<Option<UploadRecord>, StoreError> {
    e.executor()
        .opt(
            q(concat!(
                "SELECT id, owner, user_id, object_key, name, size, content_type, created_at",
                " FROM uploads WHERE object_key = $1 AND owner = $2"
            ))
            .bind(key)
            .bind(owner),
        )
        .await
}

/// Deletes the owner's upload with this key and gives its bytes back to the owner's quota;
/// the deleted row, `None` when the owner has none with this key.
pub async fn delete_own(
    mut e: impl Exec,
    owner: &str,
    key: &str,
) -> Result<Option<UploadRecord>, StoreError> {
    let mut x = e.executor();
    let gone: Option<UploadRecord> = x
        .opt(
            q(concat!(
                "DELETE FROM uploads WHERE object_key = $1 AND owner = $2 RETURNING ",
                "id, owner, user_id, object_key, name, size, content_type, created_at"
            ))
            .bind(key)
            .bind(owner),
        )
        .await?;
    if let Some(g) = &gone {
        x.exec(
            q("UPDATE upload_usage SET bytes = bytes - $2, files = files - 1 WHERE owner = $1")
                .bind(owner)
                .bind(g.size),
        )
        .await?;
    }
    Ok(gone)
}

/// The keys of a user's uploads (their objects are removed with the account).
pub async fn list_keys_of_user(mut e: impl Exec, user_id: i64) -> Result<Vec<String>, StoreError> {
    #[derive(sqlx::FromRow, serde::Deserialize)]
    struct K {
        object_key: String,
    }
    let rows: Vec<K> = e
        .executor()
        .all(q("SELECT object_key FROM uploads WHERE user_id = $1 ORDER BY id").bind(user_id))
        .await?;
    Ok(rows.into_iter().map(|k| k.object_key).collect())
}

/// Forgets a user's uploads and usage (the account is going; its rows would cascade, but the
/// usage row is keyed by the owner string).
pub async fn delete_of_user(mut e: impl Exec, user_id: i64) -> Result<(), StoreError> {
    let mut x = e.executor();
    x.exec(q("DELETE FROM uploads WHERE user_id = $1").bind(user_id))
        .await?;
    x.exec(q("DELETE FROM upload_usage WHERE owner = $1").bind(Owner::User(user_id).key()))
        .await?;
    Ok(())
}

/// A page of every upload, newest first, and how many there are (operators).
pub async fn list_all(
    mut e: impl Exec,
    page: Paging,
) -> Result<(Vec<UploadRecord>, i64), StoreError> {
    let mut c = e.executor();
    let rows = c
        .all(
            q(
                "SELECT id, owner, user_id, object_key, name, size, content_type, created_at
               FROM uploads ORDER BY id DESC LIMIT CAST($1 AS BIGINT) OFFSET CAST($2 AS BIGINT)",
            )
            .page(page),
        )
        .await?;
    let total: Count = c.one(q("SELECT COUNT(*) AS n FROM uploads")).await?;
    Ok((rows, total.n))
}

/// Any upload by id (operators).
pub async fn get(mut e: impl Exec, id: i64) -> Result<Option<UploadRecord>, StoreError> {
    e.executor()
        .opt(
            q(
                "SELECT id, owner, user_id, object_key, name, size, content_type, created_at
               FROM uploads WHERE id = $1",
            )
            .bind(id),
        )
        .await
}

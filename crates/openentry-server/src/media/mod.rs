//! The media store: the files attribute values point at (product images, page banners, locale
//! flags, downloadable files), imported with the project and served to browsers at `/media/…`.
//!
//! Files are addressed by a key, `<content hash>/<sanitized name>`
//! ([`openentry_domain::project::media`]): one file, one key, whatever imports it. The store is
//! behind [`MediaStore`] so a shared backend (an S3-like bucket) can replace the local
//! directory without touching import or serving; the file-upload routes (`crate::files`)
//! stream visitors' files into it too, and operators add files for the definition to name
//! (`upload`).

pub(crate) mod import;
pub mod local;
pub(crate) mod preview;
pub mod s3;
pub(crate) mod serve;
pub(crate) mod source;
pub(crate) mod upload;

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::SystemTime;

use tokio::io::AsyncRead;

/// A boxed future (the trait is used as `dyn MediaStore`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A byte stream read from the store.
pub type Reader = Pin<Box<dyn AsyncRead + Send>>;

/// An object of the store: an original file, or a cached preview of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectId {
    /// The original's key (checked: `<32 hex>/<name>`).
    pub key: String,
    /// The width of a preview; `None` for the original.
    pub preview_width: Option<u32>,
}

impl ObjectId {
    /// The original file of `key`.
    pub fn original(key: &str) -> Self {
        Self {
            key: key.to_owned(),
            preview_width: None,
        }
    }
}

/// What the store knows of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectInfo {
    /// Size in bytes.
    pub len: u64,
    /// When it was written.
    pub modified: SystemTime,
}

/// An object being written chunk by chunk (an upload streamed from a request). Nothing is
/// visible under its key before [`ObjectWriter::finish`]; a writer dropped unfinished leaves
/// nothing behind.
pub trait ObjectWriter: Send + std::fmt::Debug {
    /// Appends a chunk.
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, io::Result<()>>;
    /// Makes the object visible under its key.
    fn finish(self: Box<Self>) -> BoxFuture<'static, io::Result<()>>;
}

/// Where media files live. Keys given to it are always checked first (no path can be made
/// of one that leaves the store).
pub trait MediaStore: Send + Sync + std::fmt::Debug {
    /// Stores `bytes` as the original of `key`; storing a key it has is a no-op.
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, io::Result<()>>;
    /// Stores a generated object (a preview).
    fn put_object<'a>(&'a self, id: &'a ObjectId, bytes: Vec<u8>) -> BoxFuture<'a, io::Result<()>>;
    /// Size and date of an object; `None` when there is none.
    fn stat<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Option<ObjectInfo>>>;
    /// `len` bytes of an object from `start`.
    fn read<'a>(
        &'a self,
        id: &'a ObjectId,
        start: u64,
        len: u64,
    ) -> BoxFuture<'a, io::Result<Reader>>;
    /// Starts writing the original of `key`, a key no object has yet (uploads' keys are
    /// random).
    fn create<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<Box<dyn ObjectWriter>>>;
    /// Removes the original of `key` and its previews; removing a missing one is no error.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>>;
    /// A whole object (previews and export read originals so).
    fn read_all<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Vec<u8>>>;
}

/// The media type of a file, read from its first bytes (never from its name);
/// `application/octet-stream` when unknown.
pub fn content_type(head: &[u8]) -> &'static str {
    infer::get(head).map_or("application/octet-stream", |t| t.mime_type())
}

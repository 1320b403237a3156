//! The media store in an S3-compatible bucket (`object_store`), for several nodes without a
//! shared directory. Objects are named as in the local store: `<hash>/<name>` for originals,
//! `previews/<hash>/<width>-<name>` for previews. Uploads are written through a buffered
//! writer: small files in one `PUT`, larger ones as a multipart upload of 5 MiB parts, so an
//! upload holds at most one part in memory; one dropped unfinished is aborted.

use std::io;
use std::sync::Arc;
use std::time::SystemTime;

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use openentry_domain::project::media::check_key;
use tokio::io::AsyncWriteExt;

use super::{BoxFuture, MediaStore, ObjectId, ObjectInfo, ObjectWriter, Reader};
use crate::config::S3Settings;

/// Bytes an upload buffers before it becomes a multipart upload (S3's smallest part).
const PART: usize = 5 * 1024 * 1024;

/// Media files in an S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct S3Store {
    store: Arc<dyn ObjectStore>,
}

impl S3Store {
    /// A store in the bucket `s` names (path-style requests, so any S3-compatible server works).
    pub fn open(s: &S3Settings) -> io::Result<Self> {
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&s.bucket)
            .with_region(&s.region);
        if let Some(endpoint) = &s.endpoint {
            b = b
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&s.access_key_id, &s.secret_access_key) {
            b = b.with_access_key_id(id).with_secret_access_key(secret);
        }
        let store = b.build().map_err(io::Error::other)?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// The object's path. Keys are checked here as well as by callers.
    fn path(id: &ObjectId) -> io::Result<Path> {
        check_key(&id.key).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let name = match id.preview_width {
            None => id.key.clone(),
            Some(w) => {
                let (hash, name) = id.key.split_once('/').unwrap_or((&id.key, ""));
                format!("previews/{hash}/{w}-{name}")
            }
        };
        Path::parse(name).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    }

    async fn exists(&self, path: &Path) -> io::Result<bool> {
        match self.store.head(path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(io::Error::other(e)),
        }
    }

    async fn write(&self, id: &ObjectId, bytes: Vec<u8>) -> io::Result<()> {
        let path = Self::path(id)?;
        if self.exists(&path).await? {
            return Ok(());
        }
        self.store
            .put(&path, PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(io::Error::other)
    }
}

fn gone_is_fine(r: object_store::Result<()>) -> io::Result<()> {
    match r {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
        Err(e) => Err(io::Error::other(e)),
    }
}

impl MediaStore for S3Store {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move { self.write(&ObjectId::original(key), bytes).await })
    }

    fn put_object<'a>(&'a self, id: &'a ObjectId, bytes: Vec<u8>) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(self.write(id, bytes))
    }

    fn stat<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Option<ObjectInfo>>> {
        Box::pin(async move {
            match self.store.head(&Self::path(id)?).await {
                Ok(meta) => Ok(Some(ObjectInfo {
                    len: meta.size,
                    modified: SystemTime::from(meta.last_modified),
                })),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(io::Error::other(e)),
            }
        })
    }

    fn read<'a>(
        &'a self,
        id: &'a ObjectId,
        start: u64,
        len: u64,
    ) -> BoxFuture<'a, io::Result<Reader>> {
        Box::pin(async move {
            if len == 0 {
                let empty: Reader = Box::pin(tokio::io::empty());
                return Ok(empty);
            }
            let options = GetOptions {
                range: Some(GetRange::Bounded(start..start.saturating_add(len))),
                ..GetOptions::default()
            };
            let got = self
                .store
                .get_opts(&Self::path(id)?, options)
                .await
                .map_err(io::Error::other)?;
            let stream = got.into_stream().map_err(io::Error::other);
            let reader: Reader = Box::pin(tokio_util::io::StreamReader::new(stream));
            Ok(reader)
        })
    }

    fn create<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<Box<dyn ObjectWriter>>> {
        Box::pin(async move {
            let path = Self::path(&ObjectId::original(key))?;
            let writer: Box<dyn ObjectWriter> = Box::new(S3Writer {
                inner: Some(BufWriter::with_capacity(
                    Arc::clone(&self.store),
                    path,
                    PART,
                )),
            });
            Ok(writer)
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            gone_is_fine(
                self.store
                    .delete(&Self::path(&ObjectId::original(key))?)
                    .await,
            )?;
            let (hash, _) = key.split_once('/').unwrap_or((key, ""));
            let prefix = Path::parse(format!("previews/{hash}"))
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            let mut previews = self.store.list(Some(&prefix));
            while let Some(meta) = previews.next().await {
                let meta = meta.map_err(io::Error::other)?;
                gone_is_fine(self.store.delete(&meta.location).await)?;
            }
            Ok(())
        })
    }

    fn read_all<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Vec<u8>>> {
        Box::pin(async move {
            let got = self
                .store
                .get(&Self::path(id)?)
                .await
                .map_err(io::Error::other)?;
            Ok(got.bytes().await.map_err(io::Error::other)?.to_vec())
        })
    }
}

/// An upload being written to the bucket; aborted when dropped unfinished.
#[derive(Debug)]
struct S3Writer {
    inner: Option<BufWriter>,
}

impl ObjectWriter for S3Writer {
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            match self.inner.as_mut() {
                Some(w) => w.write_all(chunk).await,
                None => Err(io::Error::other("the upload is already finished")),
            }
        })
    }

    fn finish(mut self: Box<Self>) -> BoxFuture<'static, io::Result<()>> {
        let inner = self.inner.take();
        Box::pin(async move {
            match inner {
                Some(mut w) => w.shutdown().await,
                None => Ok(()),
            }
        })
    }
}

impl Drop for S3Writer {
    fn drop(&mut self) {
        // A multipart upload left open costs storage until the bucket's lifecycle ends it.
        if let Some(mut w) = self.inner.take()
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            rt.spawn(async move {
                if let Err(e) = w.abort().await {
                    tracing::warn!(error = %e, "could not abort an unfinished upload");
                }
            });
        }
    }
}

//! The default media store: a directory. Originals are at `<dir>/<hash>/<name>`, previews at
//! `<dir>/previews/<hash>/<width>-<name>`; files are written to `<dir>/tmp` first and renamed,
//! so a reader never sees half a file.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};

use openentry_domain::project::media::check_key;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::{BoxFuture, MediaStore, ObjectId, ObjectInfo, Reader};

/// Media files in a local directory.
#[derive(Debug, Clone)]
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    /// A store in `root` (created when missing).
    pub fn open(root: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    /// The directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file of an object. Keys are checked here as well as by callers: no key can name a
    /// path outside the directory.
    fn path(&self, id: &ObjectId) -> io::Result<PathBuf> {
        check_key(&id.key).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let (hash, name) = id.key.split_once('/').unwrap_or((&id.key, ""));
        Ok(match id.preview_width {
            None => self.root.join(hash).join(name),
            Some(w) => self
                .root
                .join("previews")
                .join(hash)
                .join(format!("{w}-{name}")),
        })
    }

    async fn write(&self, id: &ObjectId, bytes: Vec<u8>) -> io::Result<()> {
        let path = self.path(id)?;
        if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file()) {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(io::Error::other)?;
        let tmp = self.root.join("tmp").join(hex::encode(nonce));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await
    }
}

impl MediaStore for LocalDir {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move { self.write(&ObjectId::original(key), bytes).await })
    }

    fn put_object<'a>(&'a self, id: &'a ObjectId, bytes: Vec<u8>) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(self.write(id, bytes))
    }

    fn stat<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Option<ObjectInfo>>> {
        Box::pin(async move {
            let path = self.path(id)?;
            match tokio::fs::symlink_metadata(&path).await {
                // Only regular files: a link planted in the directory is not followed.
                Ok(m) if m.is_file() => Ok(Some(ObjectInfo {
                    len: m.len(),
                    modified: m.modified()?,
                })),
                Ok(_) => Ok(None),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
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
            let mut file = tokio::fs::File::open(self.path(id)?).await?;
            file.seek(SeekFrom::Start(start)).await?;
            let reader: Reader = Box::pin(file.take(len));
            Ok(reader)
        })
    }

    fn read_all<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Vec<u8>>> {
        Box::pin(async move { tokio::fs::read(self.path(id)?).await })
    }
}

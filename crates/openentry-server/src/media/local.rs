//! The default media store: a directory. Originals are at `<dir>/<hash>/<name>`, previews at
//! `<dir>/previews/<hash>/<width>-<name>`; files are written to `<dir>/tmp` first and renamed,
//! so a reader never sees half a file.

use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};

use openentry_domain::project::media::check_key;
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

use super::{BoxFuture, MediaStore, ObjectId, ObjectInfo, ObjectWriter, Reader};

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

    /// A fresh file in `<dir>/tmp`.
    fn tmp_path(&self) -> io::Result<PathBuf> {
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(io::Error::other)?;
        Ok(self.root.join("tmp").join(hex::encode(nonce)))
    }

    async fn write(&self, id: &ObjectId, bytes: Vec<u8>) -> io::Result<()> {
        let path = self.path(id)?;
        if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_file()) {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let tmp = self.tmp_path()?;
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

    fn create<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<Box<dyn ObjectWriter>>> {
        Box::pin(async move {
            let dest = self.path(&ObjectId::original(key))?;
            let tmp = self.tmp_path()?;
            let file = tokio::fs::File::create(&tmp).await?;
            let writer: Box<dyn ObjectWriter> = Box::new(LocalWriter {
                file: Some(file),
                tmp,
                dest,
            });
            Ok(writer)
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            let path = self.path(&ObjectId::original(key))?;
            let gone = |r: io::Result<()>| match r {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
            gone(tokio::fs::remove_file(&path).await)?;
            // The folder is the key's random part: only this object lived in it.
            if let Some(dir) = path.parent() {
                gone(tokio::fs::remove_dir(dir).await.or_else(|e| {
                    if e.kind() == io::ErrorKind::DirectoryNotEmpty {
                        Ok(())
                    } else {
                        Err(e)
                    }
                }))?;
            }
            let (hash, _) = key.split_once('/').unwrap_or((key, ""));
            gone(tokio::fs::remove_dir_all(self.root.join("previews").join(hash)).await)
        })
    }

    fn read_all<'a>(&'a self, id: &'a ObjectId) -> BoxFuture<'a, io::Result<Vec<u8>>> {
        Box::pin(async move { tokio::fs::read(self.path(id)?).await })
    }
}

/// An upload being written to `<dir>/tmp`, renamed into place when finished and removed when
/// dropped unfinished.
#[derive(Debug)]
struct LocalWriter {
    file: Option<tokio::fs::File>,
    tmp: PathBuf,
    dest: PathBuf,
}

impl ObjectWriter for LocalWriter {
    fn write<'a>(&'a mut self, chunk: &'a [u8]) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            match self.file.as_mut() {
                Some(f) => f.write_all(chunk).await,
                None => Err(io::Error::other("the upload is already finished")),
            }
        })
    }

    fn finish(mut self: Box<Self>) -> BoxFuture<'static, io::Result<()>> {
        Box::pin(async move {
            if let Some(mut f) = self.file.take() {
                f.flush().await?;
                f.sync_all().await?;
            }
            if let Some(dir) = self.dest.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            tokio::fs::rename(&self.tmp, &self.dest).await?;
            // Renamed: nothing left for `drop` to remove.
            self.tmp = PathBuf::new();
            Ok(())
        })
    }
}

impl Drop for LocalWriter {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            drop(self.file.take());
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

//! Where an import reads the media files a definition names: the project file's directory, or
//! the demo's files built into the binary.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

/// Largest media file an import takes.
pub(crate) const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The demo project's media (`examples/media`), built in so `serve --demo` needs no checkout.
static DEMO_MEDIA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../examples/media");

/// Files an import may read, by the path a definition gives (already checked by
/// `media::check_path`: relative, no `..`).
#[derive(Debug)]
pub(crate) enum MediaSource {
    /// A directory on disk: the project file's.
    Dir(PathBuf),
    /// The demo's built-in files, as if they were `media/…` next to the demo project.
    Demo,
    /// No files at all (a definition given as text with nothing to read them from).
    None,
    /// No files either, but a locale's image or a product's preview may name a file already in
    /// the media store by its key (an edit through the management API, which sends no files).
    Stored,
}

impl MediaSource {
    /// The directory of a project file.
    pub(crate) fn beside(project_file: &Path) -> Self {
        let dir = project_file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        Self::Dir(dir.to_path_buf())
    }

    /// The bytes of `path`. A path that resolves outside the directory (through a symbolic
    /// link), is not a regular file or is too large is refused.
    pub(crate) fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        match self {
            Self::Dir(dir) => read_inside(dir, path),
            Self::Demo => path
                .strip_prefix("media/")
                .and_then(|rest| DEMO_MEDIA.get_file(rest))
                .map(|f| f.contents().to_vec())
                .ok_or_else(|| "no such file among the demo's media".to_owned()),
            Self::None => Err("media files can only be imported from a project file".to_owned()),
            Self::Stored => Err(
                "the management API takes no media files: name a file of the \
                 media store as a read answers it (by its key)"
                    .to_owned(),
            ),
        }
    }
}

fn read_inside(dir: &Path, path: &str) -> Result<Vec<u8>, String> {
    let root = dir
        .canonicalize()
        .map_err(|e| format!("cannot open the project directory: {e}"))?;
    let full = root.join(path);
    let real = full
        .canonicalize()
        .map_err(|e| format!("cannot read it: {e}"))?;
    if !real.starts_with(&root) {
        return Err(
            "it leads outside the project directory (through a symbolic link); refused".to_owned(),
        );
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("cannot read it: {e}"))?;
    if !meta.is_file() {
        return Err("it is not a file".to_owned());
    }
    if meta.len() > MAX_FILE {
        return Err(format!("it is larger than {} MiB", MAX_FILE / 1024 / 1024));
    }
    std::fs::read(&real).map_err(|e| format!("cannot read it: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_reads_its_built_in_media_and_nothing_else() {
        for file in DEMO_MEDIA.files() {
            let path = format!("media/{}", file.path().display());
            assert_eq!(
                MediaSource::Demo.read(&path).unwrap(),
                file.contents(),
                "{path}"
            );
        }
        assert!(MediaSource::Demo.read("media/no-such-file.png").is_err());
        assert!(MediaSource::Demo.read("demo-project.toml").is_err());
        assert!(MediaSource::None.read("media/x.png").is_err());
    }

    #[test]
    fn a_directory_source_stays_inside_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("project/media")).unwrap();
        std::fs::write(dir.path().join("project/media/a.png"), b"a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"s").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("project/media/b.png"),
        )
        .unwrap();
        let source = MediaSource::Dir(dir.path().join("project"));
        assert_eq!(source.read("media/a.png").unwrap(), b"a");
        let e = source.read("media/b.png").unwrap_err();
        assert!(e.contains("outside the project directory"), "{e}");
        assert!(source.read("media").unwrap_err().contains("not a file"));
    }
}

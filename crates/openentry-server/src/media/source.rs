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

//! Media references of a definition: paths relative to the project file (what people write)
//! and keys of the media store (what an import writes in their place).
//!
//! A key is `<32 hex digits of the content's SHA-256>/<sanitized file name>`: the same file
//! always gets the same key (imports are idempotent), two files never share one, and a key is
//! safe as a URL path and as a relative file path (no `..`, no separators, no dot files).

use sha2::{Digest, Sha256};

use super::AttrValue;

/// Longest media path or file name accepted.
const MAX_PATH: usize = 512;
/// Longest sanitized file name in a key.
const MAX_NAME: usize = 100;
/// Hex digits of the content hash in a key (128 bits).
const HASH_HEX: usize = 32;

/// A file of the media store, as an imported definition refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMedia {
    /// The store key.
    pub key: String,
    /// The file's name (`bag.png`).
    pub filename: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type, read from the content (`image/png`).
    pub content_type: String,
    /// Pixel width of an image.
    pub width: Option<u32>,
    /// Pixel height of an image.
    pub height: Option<u32>,
    /// A title for people (the `alt` text).
    pub title: Option<String>,
}

/// A media reference: a path to copy in on import, or a file already in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaRef {
    /// A path relative to the project file, as written (`media/bag.png`).
    Path {
        /// The path.
        path: String,
        /// A title for people.
        title: Option<String>,
    },
    /// A stored file.
    Stored(StoredMedia),
}

impl MediaRef {
    /// Reads `"media/bag.png"`, `{ path = "…", title = "…" }` or a stored
    /// `{ key = "…", filename = "…", size = …, content_type = "…" }`.
    pub fn parse(v: &AttrValue) -> Result<Self, String> {
        match v {
            AttrValue::Text(p) => {
                check_path(p)?;
                Ok(Self::Path {
                    path: p.clone(),
                    title: None,
                })
            }
            AttrValue::Table(t) => {
                let text = |k: &str| match t.get(k) {
                    None => Ok(None),
                    Some(AttrValue::Text(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(format!("`{k}` must be text")),
                };
                let title = text("title")?;
                if let Some(path) = text("path")? {
                    if let Some(k) = t.keys().find(|k| !["path", "title"].contains(&k.as_str())) {
                        return Err(format!(
                            "unknown key `{k}` (a media table has path and title)"
                        ));
                    }
                    check_path(&path)?;
                    return Ok(Self::Path { path, title });
                }
                let Some(key) = text("key")? else {
                    return Err("a media table needs `path` (relative to the project file)".into());
                };
                check_key(&key)?;
                let int = |k: &str| match t.get(k) {
                    Some(AttrValue::Int(i)) => u64::try_from(*i).ok(),
                    _ => None,
                };
                let dim = |k: &str| int(k).and_then(|n| u32::try_from(n).ok());
                Ok(Self::Stored(StoredMedia {
                    filename: text("filename")?.unwrap_or_else(|| name_of_key(&key).to_owned()),
                    size: int("size").unwrap_or(0),
                    content_type: text("content_type")?
                        .unwrap_or_else(|| "application/octet-stream".to_owned()),
                    width: dim("width"),
                    height: dim("height"),
                    title,
                    key,
                }))
            }
            _ => Err("a media reference is a path (\"media/bag.png\") or { path = \"…\" }".into()),
        }
    }

    /// The reference as written in a definition.
    pub fn to_value(&self) -> AttrValue {
        match self {
            Self::Path { path, title: None } => AttrValue::Text(path.clone()),
            Self::Path { path, title } => {
                let mut t = std::collections::BTreeMap::new();
                t.insert("path".to_owned(), AttrValue::Text(path.clone()));
                if let Some(title) = title {
                    t.insert("title".to_owned(), AttrValue::Text(title.clone()));
                }
                AttrValue::Table(t)
            }
            Self::Stored(m) => m.to_value(),
        }
    }
}

impl StoredMedia {
    /// The stored reference as an attribute value table.
    pub fn to_value(&self) -> AttrValue {
        let mut t = std::collections::BTreeMap::new();
        let int = |n: u64| AttrValue::Int(i64::try_from(n).unwrap_or(i64::MAX));
        t.insert("key".to_owned(), AttrValue::Text(self.key.clone()));
        t.insert(
            "filename".to_owned(),
            AttrValue::Text(self.filename.clone()),
        );
        t.insert("size".to_owned(), int(self.size));
        t.insert(
            "content_type".to_owned(),
            AttrValue::Text(self.content_type.clone()),
        );
        for (k, v) in [("width", self.width), ("height", self.height)] {
            if let Some(v) = v {
                t.insert(k.to_owned(), int(u64::from(v)));
            }
        }
        if let Some(title) = &self.title {
            t.insert("title".to_owned(), AttrValue::Text(title.clone()));
        }
        AttrValue::Table(t)
    }
}

/// Checks a media path as written: relative to the project file, `/`-separated, with no way
/// out of the project's directory (`..`), no absolute path or drive, no URL, no backslash, no
/// NUL or control character. (Symbolic links are checked when the file is read.)
pub fn check_path(p: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("media path \"{}\" {why}", p.escape_debug()));
    if p.is_empty() {
        return bad("is empty");
    }
    if p.len() > MAX_PATH {
        return bad("is too long");
    }
    if p.chars().any(char::is_control) {
        return bad("has a control character (NUL, newline, …)");
    }
    if p.contains('\\') {
        return bad("has a backslash; separate folders with /");
    }
    if p.starts_with('/') || p.starts_with('~') {
        return bad("is absolute; write it relative to the project file");
    }
    if p.contains(':') {
        return bad("is a URL or a drive path; write a path relative to the project file");
    }
    for part in p.split('/') {
        match part {
            "" => return bad("has an empty folder name (//, or a trailing /)"),
            "." | ".." => return bad("leaves or wanders its folder (. and .. are refused)"),
            _ => {}
        }
    }
    Ok(())
}

/// The store key of a file named `name` with these bytes.
pub fn media_key(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash = hex::encode(&digest[..HASH_HEX / 2]);
    format!("{hash}/{}", sanitize_name(name))
}

/// A file name safe in a key: the last path part, ASCII letters, digits, `.`, `_` and `-`
/// (others become `_`), no leading dot, at most 100 characters keeping the extension.
pub fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut s: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while s.starts_with('.') {
        s.remove(0);
    }
    if s.len() > MAX_NAME {
        // ASCII only by now, so byte slicing is safe; keep a short extension.
        let ext = s
            .rfind('.')
            .map(|i| s[i..].to_owned())
            .filter(|e| e.len() <= 16)
            .unwrap_or_default();
        s = format!("{}{ext}", &s[..MAX_NAME - ext.len()]);
    }
    if s.is_empty() { "file".to_owned() } else { s }
}

/// Checks a store key: `<32 lowercase hex>/<sanitized name>`.
pub fn check_key(key: &str) -> Result<(), String> {
    let ok = key.split_once('/').is_some_and(|(hash, name)| {
        hash.len() == HASH_HEX
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && !name.is_empty()
            && name == sanitize_name(name)
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "\"{}\" is not a media store key",
            key.escape_debug()
        ))
    }
}

/// The file name part of a key.
pub fn name_of_key(key: &str) -> &str {
    key.split_once('/').map_or(key, |(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_project_are_refused() {
        for ok in ["media/bag.png", "bag.png", "a/b/c d.jpg", "media/..png"] {
            assert_eq!(check_path(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("../../etc/passwd", ".."),
            ("media/../../x.png", ".."),
            ("/etc/passwd", "absolute"),
            ("~/x.png", "absolute"),
            ("C:/x.png", "URL or a drive"),
            ("https://example.com/x.png", "URL"),
            ("media\\x.png", "backslash"),
            ("media/x\0.png", "control"),
            ("media//x.png", "empty folder"),
            ("./x.png", "."),
            ("", "empty"),
        ] {
            let e = check_path(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn keys_are_content_addressed_and_safe() {
        let k = media_key("media/Bag 15.PNG", b"png bytes");
        assert_eq!(k, media_key("other/Bag 15.PNG", b"png bytes"));
        assert_ne!(k, media_key("media/Bag 15.PNG", b"other bytes"));
        assert!(k.ends_with("/Bag_15.PNG"), "{k}");
        assert_eq!(check_key(&k), Ok(()));
        assert_eq!(sanitize_name("../.hidden"), "hidden");
        assert_eq!(sanitize_name("..\\..\\x"), "x");
        assert_eq!(sanitize_name("…"), "_");
        assert_eq!(sanitize_name(&"a".repeat(300)).len(), 100);
        let long = format!("{}.jpeg", "b".repeat(300));
        assert!(sanitize_name(&long).ends_with(".jpeg"));
        for bad in [
            "x",
            "0123/abc",
            &format!("{}/../x", "a".repeat(32)),
            &format!("{}/.x", "a".repeat(32)),
        ] {
            assert!(check_key(bad).is_err(), "{bad}");
        }
    }
}

//! Files visitors upload (the FileUploading module, docs/wire.md §6.8): who owns one, which
//! types are accepted, the key a file is stored under, and which links of a form value point at
//! uploaded files. The server streams the bytes; these are the decisions.

use std::net::IpAddr;

use crate::net::budget_key;
use crate::project::media::{check_key, sanitize_name};

/// Who an uploaded file belongs to: the signed-in user, or, for anonymous visitors, their
/// address (IPv6: its /64, as the per-address budgets count it). The SDK's `getFile` and
/// `delete` send no device fingerprint, so the address is the one identity an anonymous
/// visitor shows on every FileUploading call (docs/decisions.md, "Uploaded files").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A signed-in user.
    User(i64),
    /// An anonymous visitor from this address (`None`: no address known).
    Address(Option<IpAddr>),
}

impl Owner {
    /// The owner as stored: `user:<id>` or `addr:<address or /64>`.
    pub fn key(&self) -> String {
        match self {
            Self::User(id) => format!("user:{id}"),
            Self::Address(Some(ip)) => format!("addr:{}", budget_key(*ip)),
            Self::Address(None) => "addr:unknown".to_owned(),
        }
    }

    /// The user, for a user's file.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Self::User(id) => Some(*id),
            Self::Address(_) => None,
        }
    }
}

/// The media types accepted by default: images browsers show and PDF. No SVG (it runs
/// scripts) and nothing without a signature in its first bytes (plain text, CSV).
pub const DEFAULT_TYPES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
];

/// Whether `detected` (the type read from the content, never from the name) is one of
/// `allowed`. An entry `image/*` allows every detected image type.
pub fn type_allowed(detected: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| {
        a == detected
            || a.strip_suffix("/*")
                .is_some_and(|major| detected.split('/').next() == Some(major))
    })
}

/// The store key of an upload: 128 random bits (never the content's hash, so nobody can test
/// whether someone uploaded a given file, and deleting one upload never touches another's)
/// and the sanitized file name.
pub fn upload_key(random: [u8; 16], file_name: &str) -> String {
    format!("{}/{}", hex::encode(random), sanitize_name(file_name))
}

/// The store key a link names when it is a link of this server's media (`<base>/media/<key>`,
/// or the same path alone); `None` for any other link.
pub fn own_media_key<'a>(link: &'a str, base: &str) -> Option<&'a str> {
    let path = link
        .strip_prefix(base.trim_end_matches('/'))
        .filter(|p| p.starts_with('/'))
        .unwrap_or(link);
    let key = path.strip_prefix("/media/")?;
    check_key(key).ok().map(|()| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_users_or_addresses_by_their_budget_key() {
        assert_eq!(Owner::User(7).key(), "user:7");
        let v4: IpAddr = "192.0.2.9".parse().unwrap();
        assert_eq!(Owner::Address(Some(v4)).key(), "addr:192.0.2.9");
        let v6: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
        assert_eq!(Owner::Address(Some(v6)).key(), "addr:2001:db8:1:2::/64");
    }

    #[test]
    fn types_are_matched_exactly_or_by_major_type() {
        let allowed = vec!["image/*".to_owned(), "application/pdf".to_owned()];
        assert!(type_allowed("image/png", &allowed));
        assert!(type_allowed("application/pdf", &allowed));
        assert!(!type_allowed("application/zip", &allowed));
        assert!(!type_allowed("imagex/png", &allowed));
    }

    #[test]
    fn keys_sanitize_names_that_try_to_leave_the_store() {
        let key = upload_key([0xab; 16], "../../etc/passwd");
        assert_eq!(key, format!("{}/passwd", "ab".repeat(16)));
        assert_eq!(check_key(&key), Ok(()));
        let key = upload_key([1; 16], "..\\..\\a b<script>.png");
        assert!(key.ends_with("/a_b_script_.png"), "{key}");
    }

    #[test]
    fn only_links_of_our_media_name_a_key() {
        let key = format!("{}/a.png", "0f".repeat(16));
        let base = "https://api.shop.example";
        let ours = format!("{base}/media/{key}");
        assert_eq!(own_media_key(&ours, base), Some(key.as_str()));
        assert_eq!(
            own_media_key(&format!("/media/{key}"), base),
            Some(key.as_str())
        );
        for foreign in [
            format!("https://evil.example/media/{key}"),
            format!("{base}.evil.example/media/{key}"),
            format!("{base}/media/../{key}"),
            format!("{base}/other/{key}"),
            format!("{base}/media/{}/../a.png", "0f".repeat(16)),
        ] {
            assert_eq!(own_media_key(&foreign, base), None, "{foreign}");
        }
    }
}

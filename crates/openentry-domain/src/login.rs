//! Logins: how they are compared and what an e-mail login must look like.
//!
//! The rule (docs/decisions.md, "Logins"): a login is trimmed, put in Unicode NFC (so a
//! composed and a decomposed `é` are one login) and lower-cased as a whole, local part
//! included; that is the form stored for lookups (`login_key`). It may not contain control
//! characters (NUL, newlines, DEL, C1) and has at most [`MAX_LOGIN_CHARS`] characters, which
//! also keeps every key that contains it far below PostgreSQL's btree limit (2,704 bytes).

use unicode_normalization::UnicodeNormalization;

/// Most characters in a login (RFC 5321's longest path, 254, for e-mail addresses).
pub const MAX_LOGIN_CHARS: usize = 254;
/// Most bytes of a normalized login: NFC and lower-casing can lengthen text, and the key must
/// stay far below PostgreSQL's btree limit in every index and key that holds it.
pub const MAX_KEY_BYTES: usize = 1024;

/// Why a login is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// Empty after trimming.
    #[error("the login is empty")]
    Empty,
    /// Longer than [`MAX_LOGIN_CHARS`].
    #[error("the login must not be longer than {MAX_LOGIN_CHARS} characters")]
    TooLong,
    /// NUL, line breaks or other control characters.
    #[error("the login must not contain control characters")]
    ControlCharacter,
}

/// Checks a login (or a user identifier naming one) before it is used in any lookup or key.
pub fn check(login: &str) -> Result<(), LoginError> {
    let login = login.trim();
    if login.is_empty() {
        return Err(LoginError::Empty);
    }
    // Counting stops early, so a megabyte of input costs no more than 255 characters.
    if login.chars().nth(MAX_LOGIN_CHARS).is_some() {
        return Err(LoginError::TooLong);
    }
    if login.chars().any(char::is_control) {
        return Err(LoginError::ControlCharacter);
    }
    if normalize(login).len() > MAX_KEY_BYTES {
        return Err(LoginError::TooLong);
    }
    Ok(())
}

/// The form in which logins are compared and stored for lookups: trimmed, NFC and
/// lower-cased, so `Ann@Example.com` and `ann@example.com ` are one account.
pub fn normalize(login: &str) -> String {
    login.trim().nfc().collect::<String>().to_lowercase()
}

/// A pragmatic e-mail syntax check: one `@`, a non-empty local part, a dotted domain of
/// letters, digits and hyphens, no spaces. Deliverability is the code flow's job, not this one's.
pub fn is_email(value: &str) -> bool {
    let value = value.trim();
    if check(value).is_err() || value.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_syntax() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org", "ÿ@exämple.de"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@@b.co", "a b@c.de", "a@-b.co", "a@b..co", "a\0@b.co",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn logins_compare_case_insensitively_and_in_nfc() {
        assert_eq!(normalize(" Ann@Example.COM "), "ann@example.com");
        assert_eq!(normalize("Re\u{301}my@x.fr"), normalize("Rémy@X.FR"));
    }

    #[test]
    fn control_characters_and_long_logins_are_refused() {
        assert_eq!(check("a\0b"), Err(LoginError::ControlCharacter));
        assert_eq!(check("a\nb"), Err(LoginError::ControlCharacter));
        assert_eq!(check("a\u{85}b"), Err(LoginError::ControlCharacter));
        assert_eq!(check("  "), Err(LoginError::Empty));
        assert_eq!(check(&"é".repeat(254)), Ok(()));
        assert_eq!(check(&"é".repeat(255)), Err(LoginError::TooLong));
        // 254 characters that NFC triples in bytes.
        assert_eq!(check(&"\u{FB2C}".repeat(254)), Err(LoginError::TooLong));
    }
}

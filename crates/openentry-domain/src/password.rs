//! The password policy (ASVS 5.0 6.2.x): long enough, never truncated, bounded before hashing,
//! and not one of the most common passwords (6.2.4).

use std::collections::HashSet;
use std::sync::LazyLock;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 8;
/// Most bytes accepted. Longer input is refused before any hashing, so it cannot be used to
/// burn CPU; 1 KiB is far beyond any passphrase (ASVS asks for at least 64 characters).
pub const MAX_BYTES: usize = 1024;

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error("the password must have at least {MIN_CHARS} characters")]
    TooShort,
    /// More than [`MAX_BYTES`] bytes.
    #[error("the password must not be longer than {MAX_BYTES} bytes")]
    TooLong,
    /// On the list of common passwords.
    #[error(
        "this password is one of the most common passwords and would be guessed quickly; choose another one (a few unrelated words make a good password)"
    )]
    Common,
}

/// The 3,000 most common passwords of at least [`MIN_CHARS`] characters, one per line, lower
/// case: the first entries of that length in zxcvbn's frequency-ranked `passwords` list (MIT
/// licence; see docs/decisions.md). Shorter ones need no list: they are refused anyway.
const COMMON: &str = include_str!("common_passwords.txt");

static COMMON_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| COMMON.lines().collect());

/// Whether a password is on the common-password list (compared case-insensitively).
pub fn is_common(password: &str) -> bool {
    COMMON_SET.contains(password.to_lowercase().as_str())
}

/// Checks a new password. Characters are counted as Unicode scalar values, so `ü` counts once.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    if password.len() > MAX_BYTES {
        return Err(PasswordError::TooLong);
    }
    if password.chars().count() < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if is_common(password) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

/// Whether a password offered at sign-in may be hashed at all.
pub fn fits_for_verification(password: &str) -> bool {
    password.len() <= MAX_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_chars_refused_eight_accepted() {
        assert_eq!(check_new_password("1234567"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("kx8#Qm2z"), Ok(()));
        assert_eq!(check_new_password("üüüüüüüü"), Ok(()));
    }

    #[test]
    fn common_passwords_refused_whatever_their_case() {
        assert_eq!(check_new_password("12345678"), Err(PasswordError::Common));
        assert_eq!(check_new_password("PassWord1"), Err(PasswordError::Common));
        assert_eq!(check_new_password("correct horse battery"), Ok(()));
        assert_eq!(COMMON.lines().count(), 3000);
        assert!(COMMON.lines().all(|l| l.chars().count() >= MIN_CHARS));
    }

    #[test]
    fn long_input_refused_before_hashing() {
        assert_eq!(
            check_new_password(&"a".repeat(MAX_BYTES + 1)),
            Err(PasswordError::TooLong)
        );
        assert!(check_new_password(&"é".repeat(200)).is_ok());
        assert!(!fits_for_verification(&"a".repeat(1 << 20)));
    }
}

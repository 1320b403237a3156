//! One-time codes: how they are made from random bytes and when they stop working.

use crate::clock::Timestamp;

/// Settings of a provider's one-time codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePolicy {
    /// Number of characters (4..=12).
    pub length: usize,
    /// Digits only, or digits and upper-case letters.
    pub digits_only: bool,
    /// Lifetime in seconds.
    pub ttl_secs: i64,
    /// Wrong tries before the code is destroyed.
    pub max_attempts: i64,
    /// Seconds before another code may be sent to the same login.
    pub resend_after_secs: i64,
}

impl Default for CodePolicy {
    fn default() -> Self {
        Self {
            length: 6,
            digits_only: true,
            ttl_secs: 600,
            max_attempts: 5,
            resend_after_secs: 30,
        }
    }
}

// No 0/O or 1/I: codes are read off screens and typed by hand.
const ALPHANUMERIC: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";

impl CodePolicy {
    /// Makes a code from uniformly random bytes (one byte per character, rejection-sampled
    /// so no character is more likely than another). Returns `None` when the bytes run out;
    /// callers pass 4 × `length` bytes, which fails with negligible probability.
    pub fn make_code(&self, random: &[u8]) -> Option<String> {
        let alphabet = if self.digits_only {
            DIGITS
        } else {
            ALPHANUMERIC
        };
        let n = alphabet.len();
        // Largest multiple of n below 256: bytes at or above it would bias the result.
        let limit = 256 - (256 % n);
        let code: String = random
            .iter()
            .map(|&b| usize::from(b))
            .filter(|&b| b < limit)
            .take(self.length)
            .map(|b| char::from(alphabet[b % n]))
            .collect();
        (code.len() == self.length).then_some(code)
    }

    /// When a code issued at `issued` expires.
    pub fn expires_at(&self, issued: Timestamp) -> Timestamp {
        issued.plus_secs(self.ttl_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_configured_shape() {
        let policy = CodePolicy::default();
        let bytes: Vec<u8> = (0..=255).collect();
        let code = policy.make_code(&bytes).unwrap();
        assert_eq!(code, "012345");
        let letters = CodePolicy {
            digits_only: false,
            length: 8,
            ..policy
        };
        let code = letters.make_code(&bytes).unwrap();
        assert_eq!(code.len(), 8);
        assert!(code.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(policy.make_code(&[255; 24]), None);
    }
}

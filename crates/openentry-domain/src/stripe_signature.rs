//! Verification of Stripe's `Stripe-Signature` webhook header.
//!
//! The header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`. Stripe signs the bytes
//! `"{t}.{raw body}"` with HMAC-SHA256 keyed by the endpoint's signing secret (the whole
//! `whsec_…` string, used as is). Only `v1` counts: `v0` and unknown schemes are ignored, so a
//! header carrying nothing but `v0` is refused (downgrade protection). Several `v1` values may
//! be present while a secret is being rotated, and a project may have several Stripe accounts,
//! so any `v1` matching any secret passes. Comparisons are constant-time. Unlike Stripe's
//! libraries, which only refuse old timestamps, a timestamp more than [`TOLERANCE_SECS`] in the
//! future is refused too.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::clock::Timestamp;

/// How far (seconds) a signature's timestamp may lie from now, in either direction.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a signature header was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No `Stripe-Signature` header.
    #[error("the Stripe-Signature header is missing")]
    Missing,
    /// The header is not `t=…,v1=…`.
    #[error("the Stripe-Signature header is malformed: {0}")]
    Malformed(&'static str),
    /// The header has no `v1` signature (only `v0` or unknown schemes).
    #[error("the Stripe-Signature header has no v1 signature")]
    NoV1,
    /// The timestamp is more than the tolerance in the past.
    #[error("the Stripe-Signature timestamp is more than {TOLERANCE_SECS} s old")]
    Stale,
    /// The timestamp is more than the tolerance in the future.
    #[error("the Stripe-Signature timestamp is more than {TOLERANCE_SECS} s in the future")]
    Future,
    /// No `v1` value matches any signing secret.
    #[error("no v1 signature matches the payload and a signing secret")]
    NoMatch,
    /// There is no signing secret to check against.
    #[error("no webhook signing secret is configured")]
    NoSecret,
}

/// A parsed `Stripe-Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader<'a> {
    /// `t`, as written (the signed payload uses these exact digits).
    pub timestamp_text: &'a str,
    /// `t` in Unix seconds.
    pub timestamp: i64,
    /// Every `v1` value, as written.
    pub v1: Vec<&'a str>,
}

/// Parses the header. Parts are `key=value` separated by commas (surrounding blanks are
/// ignored); exactly one `t` of ASCII digits is required; unknown keys (`v0`, future schemes)
/// are skipped.
pub fn parse(header: &str) -> Result<SignatureHeader<'_>, SignatureError> {
    let mut timestamp_text = None;
    let mut v1 = Vec::new();
    for part in header.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (key, value) = part
            .split_once('=')
            .ok_or(SignatureError::Malformed("a part is not key=value"))?;
        match key.trim() {
            "t" if timestamp_text.is_some() => {
                return Err(SignatureError::Malformed("t appears more than once"));
            }
            "t" => timestamp_text = Some(value.trim()),
            "v1" => v1.push(value.trim()),
            _ => {}
        }
    }
    let timestamp_text = timestamp_text.ok_or(SignatureError::Malformed("t is missing"))?;
    // Digits only: `i64::from_str` would also accept a sign.
    if timestamp_text.is_empty()
        || timestamp_text.len() > 15
        || !timestamp_text.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(SignatureError::Malformed("t is not a Unix time in seconds"));
    }
    let timestamp = timestamp_text
        .parse()
        .map_err(|_| SignatureError::Malformed("t is not a Unix time in seconds"))?;
    Ok(SignatureHeader {
        timestamp_text,
        timestamp,
        v1,
    })
}

/// HMAC-SHA256 of `"{t}.{payload}"` keyed by `secret`.
fn mac(secret: &str, timestamp_text: &str, payload: &[u8]) -> Option<[u8; 32]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(timestamp_text.as_bytes());
    mac.update(b".");
    mac.update(payload);
    Some(mac.finalize().into_bytes().into())
}

/// Verifies `header` (the raw `Stripe-Signature` value, `None` when absent) for the raw body
/// `payload` against every secret in `secrets`, at time `now`.
///
/// The signature is checked before the timestamp (as Stripe's libraries do), so a stale or
/// future verdict is only ever given for an authentic header.
pub fn verify(
    header: Option<&str>,
    payload: &[u8],
    secrets: &[&str],
    now: Timestamp,
) -> Result<(), SignatureError> {
    let header = parse(header.ok_or(SignatureError::Missing)?)?;
    if header.v1.is_empty() {
        return Err(SignatureError::NoV1);
    }
    if secrets.is_empty() {
        return Err(SignatureError::NoSecret);
    }
    // A value that is not 64 hex digits can never match; it is skipped, not an error, so one
    // garbled value does not hide a valid one next to it.
    let candidates: Vec<[u8; 32]> = header
        .v1
        .iter()
        .filter_map(|v| hex::decode(v).ok()?.try_into().ok())
        .collect();
    let mut matched = subtle::Choice::from(0);
    for secret in secrets {
        let Some(expected) = mac(secret, header.timestamp_text, payload) else {
            continue;
        };
        for candidate in &candidates {
            matched |= expected.ct_eq(candidate);
        }
    }
    if !bool::from(matched) {
        return Err(SignatureError::NoMatch);
    }
    let now = now.unix_secs();
    if header.timestamp < now.saturating_sub(TOLERANCE_SECS) {
        return Err(SignatureError::Stale);
    }
    if header.timestamp > now.saturating_add(TOLERANCE_SECS) {
        return Err(SignatureError::Future);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"id":"evt_1","object":"event"}"#;
    const SECRET: &str = "whsec_test_secret";
    /// `t` of the vectors below, and the clock of most tests.
    const T: i64 = 1_780_745_901;
    /// HMAC-SHA256(SECRET, "1780745901." + BODY), computed independently with Python's
    /// `hmac.new(secret, payload, hashlib.sha256).hexdigest()`.
    const SIG: &str = "3f4657fd4ce56cffb40b38dbca1049a373f7a2a166b705751ef780f78756a8f8";
    /// The same payload signed with `whsec_other`.
    const SIG_OTHER: &str = "9aea2bb2c58de74d07d189e350ae3e1da76a3da5e9a355a9a47fb13c019e1727";

    fn at(secs: i64) -> Timestamp {
        Timestamp(secs * 1000 + 644)
    }

    fn check(header: &str, now: i64) -> Result<(), SignatureError> {
        verify(Some(header), BODY, &[SECRET], at(now))
    }

    #[test]
    fn an_independently_computed_header_passes() {
        assert_eq!(check(&format!("t={T},v1={SIG}"), T), Ok(()));
        // v0 next to a valid v1 is ignored, blanks around parts too.
        assert_eq!(check(&format!("t={T}, v1={SIG}, v0=00ff"), T), Ok(()));
        // Upper-case hex decodes to the same bytes.
        assert_eq!(
            check(&format!("t={T},v1={}", SIG.to_uppercase()), T),
            Ok(())
        );
    }

    #[test]
    fn a_changed_body_or_a_wrong_secret_fails() {
        let header = format!("t={T},v1={SIG}");
        let mut body = BODY.to_vec();
        body[10] ^= 1;
        assert_eq!(
            verify(Some(&header), &body, &[SECRET], at(T)),
            Err(SignatureError::NoMatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, &["whsec_wrong"], at(T)),
            Err(SignatureError::NoMatch)
        );
        // The signed payload uses the header's `t`: another `t` breaks it.
        assert_eq!(
            check(&format!("t={},v1={SIG}", T + 1), T),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn only_v1_counts() {
        assert_eq!(
            check(&format!("t={T},v0={SIG}"), T),
            Err(SignatureError::NoV1)
        );
        assert_eq!(
            check(&format!("t={T},v2={SIG}"), T),
            Err(SignatureError::NoV1)
        );
    }

    #[test]
    fn missing_and_malformed_headers() {
        assert_eq!(
            verify(None, BODY, &[SECRET], at(T)),
            Err(SignatureError::Missing)
        );
        for bad in [
            String::new(),
            format!("v1={SIG}"),
            format!("t=abc,v1={SIG}"),
            format!("t=-5,v1={SIG}"),
            format!("t=+{T},v1={SIG}"),
            format!("t=,v1={SIG}"),
            format!("t={T}{T},v1={SIG}"),
            format!("t={T},t={T},v1={SIG}"),
            format!("t={T},garbage"),
        ] {
            assert!(
                matches!(check(&bad, T), Err(SignatureError::Malformed(_))),
                "{bad}: {:?}",
                check(&bad, T)
            );
        }
    }

    #[test]
    fn the_tolerance_holds_both_ways() {
        let header = format!("t={T},v1={SIG}");
        assert_eq!(check(&header, T + 300), Ok(()));
        assert_eq!(check(&header, T + 301), Err(SignatureError::Stale));
        assert_eq!(check(&header, T - 300), Ok(()));
        assert_eq!(check(&header, T - 301), Err(SignatureError::Future));
    }

    #[test]
    fn rotation_and_several_accounts() {
        // Two v1 values, one valid (Stripe sends both during a secret rotation).
        let two = format!("t={T},v1={SIG_OTHER},v1={SIG}");
        assert_eq!(check(&two, T), Ok(()));
        let garbled_first = format!("t={T},v1=zz,v1={SIG}");
        assert_eq!(check(&garbled_first, T), Ok(()));
        // One v1 and several accounts' secrets: any may match.
        let header = format!("t={T},v1={SIG_OTHER}");
        assert_eq!(
            verify(Some(&header), BODY, &[SECRET, "whsec_other"], at(T)),
            Ok(())
        );
        assert_eq!(
            verify(Some(&header), BODY, &[], at(T)),
            Err(SignatureError::NoSecret)
        );
    }

    #[test]
    fn parse_keeps_the_digits_as_written() {
        let text = format!("t={T},v1=a,v1=b,v0=c");
        let h = parse(&text).unwrap();
        assert_eq!(h.timestamp, T);
        assert_eq!(h.timestamp_text, T.to_string());
        assert_eq!(h.v1, ["a", "b"]);
    }
}

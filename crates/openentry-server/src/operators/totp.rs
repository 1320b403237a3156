//! The optional second factor: RFC 6238 TOTP (SHA-1, 6 digits, 30 s, one step of skew: what
//! every authenticator app reads from an `otpauth://` URL). Each code is accepted once.

use openentry_domain::clock::Timestamp;
use totp_rs::{Secret, Totp};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn totp(secret_base32: &str) -> ApiResult<Totp> {
    let secret = Secret::try_from_base32(secret_base32)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored TOTP secret: {e:?}")))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("TOTP: {e:?}")))
}

/// A new secret (160 random bits, base32) and its `otpauth://` URL for `login`.
pub(crate) fn new_secret(login: &str) -> ApiResult<(String, String)> {
    let bytes = crate::auth::random_bytes::<20>()?;
    let encoded = Secret::from(bytes).to_base32();
    let label: String = format!("OpenEntry:{login}")
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    let url =
        format!("otpauth://totp/{label}?secret={encoded}&issuer=OpenEntry&digits=6&period=30");
    Ok((encoded, url))
}

/// Whether `code` is the current code of `secret` (one step of skew) and its step was never
/// accepted before for this account.
pub(crate) async fn accept(
    state: &AppState,
    account: i64,
    secret: &str,
    code: &str,
    now: Timestamp,
) -> ApiResult<bool> {
    let unix = u64::try_from(now.unix_secs()).unwrap_or(0);
    let Some(step) = totp(secret)?.check(code.trim(), unix) else {
        return Ok(false);
    };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    Ok(openentry_store::operators::spend_totp_step(&state.db, account, step).await?)
}

//! Standard Webhooks signatures (standardwebhooks.com): `webhook-signature: v1,<base64>` where
//! the signature is HMAC-SHA256 over `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed by the
//! secret's bytes: the base64 after the `whsec_` prefix.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A secret that is not `whsec_<base64>` (or plain base64).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the webhook secret is not whsec_<base64>")]
pub struct BadSecret;

/// The `webhook-signature` header value.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String, BadSecret> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|_| BadSecret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::signature;

    /// The example of the Standard Webhooks reference libraries' tests.
    #[test]
    fn matches_the_reference_example() {
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_secret_that_is_not_base64_is_refused() {
        assert!(signature("whsec_not base64!", "m", 1, "{}").is_err());
    }
}

//! Access tokens (HS256 JWTs) and opaque refresh tokens.
//!
//! The signing key is derived from the install secret, which lives in the database so every
//! node shares it. Verification pins the algorithm (so `alg: none` and key confusion fail),
//! requires `exp`, `iat`, `sub`, `iss`, `aud`, and checks expiry and `nbf` (issued equal to
//! `iat`) against the injected clock
//! rather than the system's, so tests can move time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use openentry_domain::clock::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;

const ISSUER: &str = "openentry";
const AUDIENCE: &str = "openentry-content";
const ACCESS: &str = "access";
/// Tolerated clock skew between nodes, in seconds.
const LEEWAY_SECS: i64 = 5;

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Session id, checked against the database on every request.
    pub sid: i64,
    /// Provider marker.
    pub prv: String,
    /// Issued at (seconds).
    pub iat: i64,
    /// Expires (seconds).
    pub exp: i64,
    /// Not before (seconds). Issued equal to `iat`; tokens of older versions have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Token kind; only `access` is accepted as a Bearer.
    pub typ: String,
}

/// Keys derived from the install secret.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    code_key: [u8; 32],
    etag_key: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(redacted)")
    }
}

/// HMAC-SHA256 of `data` under `key`.
#[allow(clippy::expect_used)] // HMAC is defined for keys of every length: this cannot fail.
fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

impl Keys {
    /// Keys for an install secret.
    pub fn new(install_secret: &[u8]) -> anyhow::Result<Self> {
        let jwt = hmac(install_secret, b"openentry/jwt/v1");
        Ok(Self {
            encoding: EncodingKey::from_secret(&jwt)?,
            decoding: DecodingKey::from_secret(&jwt)?,
            code_key: hmac(install_secret, b"openentry/codes/v1"),
            etag_key: hmac(install_secret, b"openentry/etag/v1"),
        })
    }

    /// Signs an access token.
    pub fn sign(
        &self,
        user_id: i64,
        session_id: i64,
        provider: &str,
        now: Timestamp,
        ttl_secs: i64,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id,
            prv: provider.to_owned(),
            iat: now.unix_secs(),
            exp: now.unix_secs() + ttl_secs,
            nbf: Some(now.unix_secs()),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            typ: ACCESS.to_owned(),
        };
        self.sign_claims(&claims)
    }

    /// Signs the given claims as they are (the server signs only through [`Keys::sign`]; tests
    /// use this to craft tokens).
    pub fn sign_claims(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }

    /// Verifies an access token's signature, kind and lifetime; `None` for any failure.
    pub fn verify(&self, token: &str, now: Timestamp) -> Option<Claims> {
        if token.len() > 4096 {
            return None;
        }
        let mut v = Validation::new(Algorithm::HS256);
        // `exp` and `nbf` are checked below against the injected clock, not the system's.
        v.validate_exp = false;
        v.validate_nbf = false;
        v.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[AUDIENCE]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &v).ok()?;
        let c = data.claims;
        let t = now.unix_secs();
        let started = c.iat <= t + LEEWAY_SECS && c.nbf.is_none_or(|nbf| nbf <= t + LEEWAY_SECS);
        (c.typ == ACCESS && c.exp + LEEWAY_SECS > t && started).then_some(c)
    }

    /// The stored form of a one-time code: keyed, so a database dump alone cannot test
    /// guesses against it.
    pub fn code_hash(&self, user_id: i64, event: &str, code: &str) -> String {
        hex::encode(hmac(
            &self.code_key,
            format!("{user_id}\n{event}\n{code}").as_bytes(),
        ))
    }

    /// The version tag (`ETag`) of a definition item: keyed, so the tag of an item holding a
    /// write-only secret cannot be used to test guesses of that secret; the same on every node
    /// (they share the install secret).
    pub fn etag(&self, canonical: &[u8]) -> String {
        let mac = hmac(&self.etag_key, canonical);
        format!("\"{}\"", hex::encode(&mac[..16]))
    }
}

/// A new refresh token (256 random bits, base64url) and the hash that is stored for it.
pub fn new_refresh_token() -> anyhow::Result<(String, String)> {
    let token = URL_SAFE_NO_PAD.encode(super::random_bytes::<32>()?);
    let hash = refresh_hash(&token);
    Ok((token, hash))
}

/// SHA-256 (hex) of a refresh token: the only form in which it is stored.
pub fn refresh_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether two secrets (tokens, CSRF tokens) are equal, in constant time: both are hashed
/// first, so neither their contents nor their lengths show in the timing.
pub fn same_secret(a: &str, b: &str) -> bool {
    bool::from(app_token_hash(a).ct_eq(&app_token_hash(b)))
}

/// SHA-256 of an app token, for constant-size comparison.
pub fn app_token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    #[test]
    fn round_trip_and_expiry() {
        let keys = Keys::new(b"secret").unwrap();
        let t = keys.sign(7, 3, "email", NOW, 60).unwrap();
        let c = keys.verify(&t, NOW).unwrap();
        assert_eq!((c.sub.as_str(), c.sid), ("7", 3));
        assert!(
            keys.verify(&t, NOW.plus_secs(64)).is_some(),
            "within leeway"
        );
        assert!(keys.verify(&t, NOW.plus_secs(66)).is_none(), "expired");
        assert!(
            Keys::new(b"other").unwrap().verify(&t, NOW).is_none(),
            "wrong key"
        );
    }

    #[test]
    fn not_before_is_checked_against_the_clock() {
        let keys = Keys::new(b"secret").unwrap();
        let mut c = keys
            .verify(&keys.sign(7, 3, "email", NOW, 600).unwrap(), NOW)
            .unwrap();
        assert_eq!(c.nbf, Some(NOW.unix_secs()));
        c.nbf = Some(NOW.unix_secs() + 60);
        let early = keys.sign_claims(&c).unwrap();
        assert!(keys.verify(&early, NOW).is_none());
        assert!(keys.verify(&early, NOW.plus_secs(60)).is_some());
        c.nbf = None;
        assert!(keys.verify(&keys.sign_claims(&c).unwrap(), NOW).is_some());
    }

    #[test]
    fn alg_none_and_tampering_fail() {
        let keys = Keys::new(b"secret").unwrap();
        let t = keys.sign(7, 3, "email", NOW, 60).unwrap();
        let parts: Vec<&str> = t.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            keys.verify(&format!("{none_header}.{}.", parts[1]), NOW)
                .is_none()
        );
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        let forged = URL_SAFE_NO_PAD.encode(payload.replace("\"sub\":\"7\"", "\"sub\":\"8\""));
        assert!(
            keys.verify(&format!("{}.{forged}.{}", parts[0], parts[2]), NOW)
                .is_none()
        );
    }
}

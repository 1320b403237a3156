//! Google's OAuth 2.0 for service accounts (RFC 7523, the JWT-bearer grant): the server signs a
//! short JWT with the service account's RSA key and trades it at the account's `token_uri` for
//! an access token to FCM. Neither the key nor an access token is ever logged or stored: both
//! types print nothing of them.

use std::path::Path;

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use openentry_domain::clock::Timestamp;
use serde::{Deserialize, Serialize};

use crate::relay::webhook::Failure;

/// What the access token allows: sending FCM messages, nothing else.
const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Google's token endpoint, when a key file names none.
const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The DER of the rsaEncryption algorithm identifier's OID (1.2.840.113549.1.1.1).
const RSA_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
];

/// The fields of a service account's JSON key file that matter here.
#[derive(Deserialize)]
struct KeyFile {
    project_id: String,
    client_email: String,
    private_key: String,
    #[serde(default)]
    token_uri: Option<String>,
}

/// A service account of the Firebase project, read from its key file.
pub(in crate::relay) struct ServiceAccount {
    /// The Firebase (Google Cloud) project messages are sent in.
    pub(in crate::relay) project_id: String,
    client_email: String,
    token_uri: String,
    key: EncodingKey,
}

impl std::fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("project_id", &self.project_id)
            .field("client_email", &self.client_email)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

/// An access token to FCM. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub(in crate::relay) struct AccessToken(pub(in crate::relay) String);

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
}

/// `(tag, content, rest)` of the DER element at the start of `der`.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let (bytes, rest) = rest.split_at_checked(n)?;
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest)
    };
    let (content, rest) = rest.split_at_checked(len)?;
    Some((tag, content, rest))
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo` (Google's key files hold PKCS#8; the RSA
/// signer wants PKCS#1): `SEQUENCE { version, SEQUENCE { rsaEncryption, … }, OCTET STRING }`.
fn pkcs1_of_pkcs8(der: &[u8]) -> Option<&[u8]> {
    let (0x30, info, _) = element(der)? else {
        return None;
    };
    let (0x02, _, rest) = element(info)? else {
        return None;
    };
    let (0x30, algorithm, rest) = element(rest)? else {
        return None;
    };
    if !algorithm.starts_with(&RSA_OID) {
        return None;
    }
    let (0x04, key, _) = element(rest)? else {
        return None;
    };
    Some(key)
}

/// The PKCS#1 DER of a PEM RSA private key (`PRIVATE KEY` or `RSA PRIVATE KEY`).
fn rsa_der(pem: &str) -> anyhow::Result<Vec<u8>> {
    let bad = || anyhow::anyhow!("private_key is not a PEM RSA private key");
    let begin = pem.find("-----BEGIN ").ok_or_else(bad)?;
    let rest = &pem[begin + "-----BEGIN ".len()..];
    let label_end = rest.find("-----").ok_or_else(bad)?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    let end = body.find("-----END ").ok_or_else(bad)?;
    let b64: String = body[..end].split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| bad())?;
    match label {
        "RSA PRIVATE KEY" => Ok(der),
        "PRIVATE KEY" => Ok(pkcs1_of_pkcs8(&der).ok_or_else(bad)?.to_vec()),
        _ => Err(bad()),
    }
}

impl ServiceAccount {
    /// Reads a key file; a key that cannot sign is an error now, not at the first push.
    pub(in crate::relay) fn load(path: &Path, now: Timestamp) -> anyhow::Result<Self> {
        let what = || format!("the FCM credentials {}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", what()))?;
        // serde's message may quote the file: never the key, so it is not shown.
        let file: KeyFile = serde_json::from_str(&text).map_err(|_| {
            anyhow::anyhow!(
                "{}: not a service-account key file (project_id, client_email, private_key)",
                what()
            )
        })?;
        let der = rsa_der(&file.private_key).map_err(|e| anyhow::anyhow!("{}: {e}", what()))?;
        let account = Self {
            project_id: file.project_id,
            client_email: file.client_email,
            token_uri: file.token_uri.unwrap_or_else(|| TOKEN_URI.to_owned()),
            key: EncodingKey::from_rsa_der(&der),
        };
        account
            .assertion(now)
            .map_err(|_| anyhow::anyhow!("{}: the private key cannot sign", what()))?;
        Ok(account)
    }

    /// The signed JWT of the grant, valid for an hour from `now`.
    fn assertion(&self, now: Timestamp) -> Result<String, jsonwebtoken::errors::Error> {
        let iat = now.unix_secs();
        let claims = Claims {
            iss: &self.client_email,
            scope: SCOPE,
            aud: &self.token_uri,
            iat,
            exp: iat + 3600,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
    }

    /// A new access token and the seconds it lives.
    pub(in crate::relay) async fn fetch(
        &self,
        client: &reqwest::Client,
        now: Timestamp,
    ) -> Result<(AccessToken, i64), Failure> {
        let jwt = self
            .assertion(now)
            .map_err(|e| Failure::new(None, &format!("could not sign the token request: {e}")))?;
        let answer = client
            .post(&self.token_uri)
            .form(&[("grant_type", GRANT), ("assertion", jwt.as_str())])
            .send()
            .await
            .map_err(|e| Failure::new(None, &format!("token request failed: {}", reason(e))))?;
        let status = answer.status();
        if !status.is_success() {
            // The answer's body (`invalid_grant`, …) is Google's; the status says enough.
            return Err(Failure::new(
                Some(i64::from(status.as_u16())),
                &format!("the token endpoint answered HTTP {}", status.as_u16()),
            ));
        }
        let token: TokenAnswer = answer
            .json()
            .await
            .map_err(|_| Failure::new(None, "the token endpoint's answer has no access_token"))?;
        Ok((
            AccessToken(token.access_token),
            token.expires_in.unwrap_or(3600),
        ))
    }
}

/// Why a request failed, without its URL (the causes' chain: a refused connection, a TLS
/// error).
pub(in crate::relay) fn reason(e: reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".to_owned();
    }
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_der_lengths_are_read() {
        assert_eq!(
            element(&[0x04, 2, 7, 8, 9]),
            Some((0x04, &[7, 8][..], &[9][..]))
        );
        let mut long = vec![0x04, 0x81, 200];
        long.extend([1u8; 200]);
        assert_eq!(element(&long).map(|(_, c, _)| c.len()), Some(200));
        assert_eq!(element(&[0x04, 5, 1]), None);
        assert_eq!(element(&[0x04, 0x85, 1, 1, 1, 1, 1]), None);
    }

    #[test]
    fn pem_that_is_not_an_rsa_private_key_is_refused() {
        assert!(rsa_der("no key").is_err());
        assert!(rsa_der("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_err());
        assert!(rsa_der("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err());
    }

    #[test]
    fn a_bad_key_file_is_refused_at_start_without_showing_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sa.json");
        let key = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----";
        let file = serde_json::json!({
            "project_id": "p", "client_email": "a@p.iam.gserviceaccount.com", "private_key": key,
        });
        std::fs::write(&path, file.to_string()).unwrap();
        let err = ServiceAccount::load(&path, Timestamp(0))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("sa.json") && !err.contains("c2VjcmV0"),
            "{err}"
        );
        std::fs::write(&path, format!("{{\"private_key\": \"{key}\"")).unwrap();
        let err = ServiceAccount::load(&path, Timestamp(0))
            .unwrap_err()
            .to_string();
        assert!(!err.contains("c2VjcmV0"), "{err}");
    }
}

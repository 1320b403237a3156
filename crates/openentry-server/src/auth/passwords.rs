//! Argon2id hashing on a bounded pool.
//!
//! A hash costs ~27 ms of a core at production parameters, so hashing runs on blocking
//! threads, at most `hash_concurrency` at once, and at most `hash_queue` callers may wait for a
//! slot. Beyond that a sign-in flood is shed with 429 at once instead of queueing until every
//! other request starves.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::config::Argon2Params;
use crate::error::ApiError;

/// Hashes and verifies passwords.
#[derive(Debug)]
pub struct Passwords {
    argon: Argon2<'static>,
    params: Argon2Params,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// A real hash of a random password: unknown users are verified against it so that their
    /// answer takes as long as a wrong password's.
    dummy: String,
}

impl Passwords {
    /// A hasher with these parameters and limits.
    pub fn new(params: Argon2Params, concurrency: usize, queue: usize) -> anyhow::Result<Self> {
        let p = Params::new(params.m_kib, params.t, params.p, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 parameters {params:?}: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
        let dummy = hash_with(&argon, &hex::encode(crate::auth::random_bytes::<16>()?))?;
        Ok(Self {
            argon,
            params,
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting: queue,
            dummy,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = match Arc::clone(&self.slots).try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(ApiError::TooManyRequests {
                        message: "Too many sign-in requests at once; retry in a moment".to_owned(),
                        retry_after_secs: 1,
                    });
                }
                let permit = Arc::clone(&self.slots).acquire_owned().await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                permit.map_err(|e| ApiError::Internal(e.into()))?
            }
        };
        let argon = self.argon.clone();
        let out = tokio::task::spawn_blocking(move || {
            let out = work(&argon);
            drop(permit);
            out
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(out)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move |a| hash_with(a, &password))
            .await?
            .map_err(ApiError::Internal)
    }

    /// Checks a password against a stored hash, or against the dummy hash when there is no
    /// user, so both cases cost the same.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let real = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy.clone());
        let ok = self
            .run(move |a| {
                PasswordHash::new(&hash)
                    .is_ok_and(|h| a.verify_password(password.as_bytes(), &h).is_ok())
            })
            .await?;
        Ok(ok && real)
    }

    /// Whether a stored hash was made with other parameters and should be redone.
    pub fn needs_rehash(&self, stored: &str) -> bool {
        let Ok(h) = PasswordHash::new(stored) else {
            return true;
        };
        let get = |k: &str| h.params.get_decimal(k);
        h.algorithm.as_str() != "argon2id"
            || get("m") != Some(self.params.m_kib)
            || get("t") != Some(self.params.t)
            || get("p") != Some(self.params.p)
    }
}

fn hash_with(argon: &Argon2<'_>, password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&crate::auth::random_bytes::<16>()?)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = argon
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_and_flags_old_parameters() {
        let pw = Passwords::new(Argon2Params::TESTING, 2, 4).unwrap();
        let hash = pw.hash("correct horse".to_owned()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{hash}");
        assert!(
            pw.verify("correct horse".to_owned(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(
            !pw.verify("correct hors".to_owned(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert!(!pw.verify("correct horse".to_owned(), None).await.unwrap());
        assert!(!pw.needs_rehash(&hash));
        let stronger = Passwords::new(
            Argon2Params {
                m_kib: 512,
                t: 1,
                p: 1,
            },
            1,
            1,
        )
        .unwrap();
        assert!(stronger.needs_rehash(&hash));
    }

    #[test]
    fn production_parameters_meet_owasp() {
        let p = Argon2Params::PRODUCTION;
        assert!(p.m_kib >= 19_456 && p.t == 2 && p.p == 1);
    }
}

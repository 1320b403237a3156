//! Argon2id hashing on a bounded pool.
//!
//! A hash costs ~27 ms of a core at production parameters, so hashing runs on blocking
//! threads, at most `hash_concurrency` at once, and at most `hash_queue` callers may wait for a
//! slot. Beyond that a sign-in flood is shed with 429 at once instead of queueing until every
//! other request starves.
//!
//! Each job hashes in a working buffer checked out of a small pool (`argon_memory`) rather
//! than in a fresh 19 MiB allocation, so memory stays bounded by the number of slots.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use subtle::ConstantTimeEq as _;
use tokio::sync::Semaphore;

use super::argon_memory::{Lease, MemoryPool};
use crate::config::Argon2Params;
use crate::error::ApiError;

/// How long the hashing buffers (19 MiB each at production parameters) are kept after the
/// last sign-in: long enough to span the gaps of a burst, short enough that an idle server
/// gives the memory back.
const IDLE_RELEASE: Duration = Duration::from_secs(2);

/// Hashes and verifies passwords.
#[derive(Debug)]
pub struct Passwords {
    argon: Argon2<'static>,
    params: Argon2Params,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// One working buffer per hashing slot at most, instead of one allocation per hash.
    memory: Arc<MemoryPool>,
    /// A real hash of a random password: unknown users are verified against it so that their
    /// answer takes as long as a wrong password's.
    dummy: String,
}

impl Passwords {
    /// A hasher with these parameters and limits.
    pub fn new(params: Argon2Params, concurrency: usize, queue: usize) -> anyhow::Result<Self> {
        let p = Params::new(params.m_kib, params.t, params.p, None)
            .map_err(|e| anyhow::anyhow!("invalid argon2 parameters {params:?}: {e}"))?;
        let concurrency = concurrency.max(1);
        let memory = MemoryPool::new(p.block_count(), concurrency, IDLE_RELEASE);
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
        let password = hex::encode(crate::auth::random_bytes::<16>()?);
        // A pool that keeps nothing: the start-up hash gives its 19 MiB back at once, so an
        // idle server that has not signed anyone in stays small.
        let once = MemoryPool::new(argon.params().block_count(), 0, IDLE_RELEASE);
        let dummy = hash_with(&argon, password.as_bytes(), &mut once.lease())?;
        Ok(Self {
            argon,
            params,
            slots: Arc::new(Semaphore::new(concurrency)),
            waiting: AtomicUsize::new(0),
            max_waiting: queue,
            memory,
            dummy,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Lease) -> T + Send + 'static,
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
        let memory = Arc::clone(&self.memory);
        let out = tokio::task::spawn_blocking(move || {
            let mut lease = memory.lease();
            let out = work(&mut lease);
            // The buffer goes back before the slot does, so that the next job finds it.
            drop(lease);
            drop(permit);
            out
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(out)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let argon = self.argon.clone();
        self.run(move |mem| hash_with(&argon, password.as_bytes(), mem))
            .await?
            .map_err(ApiError::Internal)
    }

    /// Checks a password against a stored hash, or against the dummy hash when there is no
    /// user, so both cases cost the same.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let real = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy.clone());
        let ok = self
            .run(move |mem| {
                verify_with(password.as_bytes(), &hash, mem).unwrap_or_else(|e| {
                    // A stored hash we cannot check is a data problem, not a wrong password.
                    tracing::warn!("unusable stored password hash: {e:#}");
                    false
                })
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

/// Hashes `password` with a fresh random salt into a PHC string
/// (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), the same string `PasswordHasher` would give.
fn hash_with(argon: &Argon2<'_>, password: &[u8], mem: &mut Lease) -> anyhow::Result<String> {
    let salt_bytes = crate::auth::random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let params = argon.params();
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let blocks = mem.blocks(params.block_count())?;
    let hash = Output::init_with(len, |out| {
        Ok(argon.hash_password_into_with_memory(password, &salt_bytes, out, blocks)?)
    })
    .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|e| anyhow::anyhow!("argon2: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored`, recomputed with the stored string's
/// own algorithm, version, parameters and salt. `Err` when `stored` cannot be checked.
fn verify_with(password: &[u8], stored: &str, mem: &mut Lease) -> anyhow::Result<bool> {
    let bad = |e: argon2::password_hash::Error| anyhow::anyhow!("{e}");
    let h = PasswordHash::new(stored).map_err(bad)?;
    let algorithm = Algorithm::try_from(h.algorithm).map_err(bad)?;
    let version = h
        .version
        .map_or(Ok(Version::default()), Version::try_from)?;
    // Takes m, t, p (and keyid, data) from the string, and the output length from its hash.
    let params = Params::try_from(&h).map_err(bad)?;
    let (Some(salt), Some(expected)) = (h.salt, h.hash) else {
        anyhow::bail!("no salt or no hash");
    };
    let mut salt_buf = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_buf).map_err(bad)?;
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = [0u8; Output::MAX_LENGTH];
    let out = out
        .get_mut(..expected.len())
        .ok_or_else(|| anyhow::anyhow!("hash longer than {} bytes", Output::MAX_LENGTH))?;
    argon.hash_password_into_with_memory(password, salt, out, mem.blocks(blocks)?)?;
    Ok(bool::from(out.ct_eq(expected.as_bytes())))
}

#[cfg(test)]
#[path = "passwords_tests.rs"]
mod tests;

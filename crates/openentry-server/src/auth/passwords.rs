//! Argon2id hashing on a bounded pool.
//!
//! A hash costs ~16 ms of a core at production parameters, so hashing runs on
//! `hash_concurrency` threads of its own, fed by a queue of at most `hash_queue` jobs. Beyond
//! that a sign-in flood is shed with 429 at once instead of queueing until every other request
//! starves. A hashing thread that finishes takes the next job straight from the queue: with
//! one-shot blocking tasks behind a semaphore, every hand-over went through the async runtime
//! and left the core idle meanwhile (measured: ~80 % of the raw argon2id rate under a flood).
//!
//! Each job hashes in a working buffer checked out of a small pool (`argon_memory`) rather
//! than in a fresh 19 MiB allocation, so memory stays bounded by the number of threads.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use subtle::ConstantTimeEq as _;

use super::argon_memory::{Lease, MemoryPool};
use crate::config::Argon2Params;
use crate::error::ApiError;

/// How long the hashing buffers (19 MiB each at production parameters) are kept after the
/// last sign-in: long enough to span the gaps of a burst, short enough that an idle server
/// gives the memory back.
const IDLE_RELEASE: Duration = Duration::from_secs(2);

/// One hashing job: it runs with a working buffer and sends its own answer.
type Job = Box<dyn FnOnce(&mut Lease) + Send>;

/// Hashes and verifies passwords.
#[derive(Debug)]
pub struct Passwords {
    argon: Argon2<'static>,
    params: Argon2Params,
    /// The queue of the hashing threads (they stop when it is dropped).
    jobs: flume::Sender<Job>,
    /// A real hash of a random password: unknown users are verified against it so that their
    /// answer takes as long as a wrong password's.
    dummy: String,
}

impl Passwords {
    /// Hashing jobs waiting for a thread (for monitoring).
    pub fn queued(&self) -> usize {
        self.jobs.len()
    }

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
        let (jobs, queue_rx) = flume::bounded::<Job>(queue);
        // The pool frees idle buffers from a timer on the runtime, if there is one.
        let runtime = tokio::runtime::Handle::try_current().ok();
        for i in 0..concurrency {
            let (queue_rx, memory, runtime) =
                (queue_rx.clone(), Arc::clone(&memory), runtime.clone());
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    let _runtime = runtime.as_ref().map(tokio::runtime::Handle::enter);
                    for job in &queue_rx {
                        let mut lease = memory.lease();
                        // A panicking job loses its answer (the caller gets a 500), not
                        // the thread.
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut lease)));
                    }
                })?;
        }
        Ok(Self {
            argon,
            params,
            jobs,
            dummy,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Lease) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |lease| {
            // Nobody waits any more (the request was cancelled): skip the hash.
            if !reply.is_closed() {
                let _ = reply.send(work(lease));
            }
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(flume::TrySendError::Full(_)) => {
                return Err(ApiError::TooManyRequests {
                    message: "Too many sign-in requests at once; retry in a moment".to_owned(),
                    retry_after_secs: 1,
                });
            }
            Err(flume::TrySendError::Disconnected(_)) => {
                return Err(ApiError::Internal(anyhow::anyhow!(
                    "the password hashing threads have stopped"
                )));
            }
        }
        answer
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("a password hashing job failed")))
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

//! Argon2 working memory, reused across hashes instead of allocated for each one.
//!
//! At production parameters a hash needs a 19 MiB block. Allocated per hash, glibc serves the
//! first one with mmap, then (on its free) raises its dynamic mmap threshold to 19 MiB, so every
//! later block comes from a per-thread malloc arena and stays there: the server sat at hundreds
//! of MiB after a burst of sign-ins. Instead the hashing jobs check a buffer out of this pool;
//! at most one buffer per hashing slot exists, and buffers left unused for a while are given
//! back to the operating system.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use argon2::Block;

/// Every buffer reserves at least this many blocks (32 MiB and one block, of address space
/// only: pages past the used length are never touched, so they cost no memory). glibc never
/// raises its mmap threshold past 32 MiB, so an allocation this large always gets its own
/// mapping and its free always unmaps it, whatever other allocations did to the threshold.
const MMAP_FLOOR_BLOCKS: usize = 32 * 1024 + 1;

/// Buffers of the configured size, shared by the hashing jobs.
#[derive(Debug)]
pub(crate) struct MemoryPool {
    /// Blocks one hash needs at the configured parameters.
    blocks: usize,
    /// Most buffers kept between jobs (the number of hashing slots).
    max_kept: usize,
    /// How long kept buffers may go unused before they are freed.
    idle_release: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    free: Vec<Vec<Block>>,
    /// Counts check-outs, so the reaper can tell whether the pool was used while it slept.
    checkouts: u64,
    reaper: bool,
}

/// A buffer checked out for one job; it goes back to the pool when dropped.
#[derive(Debug)]
pub(crate) struct Lease {
    pool: Arc<MemoryPool>,
    buf: Vec<Block>,
}

impl MemoryPool {
    /// A pool of buffers of `blocks` blocks, keeping at most `max_kept` of them between jobs
    /// and freeing them after `idle_release` without a job.
    pub(crate) fn new(blocks: usize, max_kept: usize, idle_release: Duration) -> Arc<Self> {
        Arc::new(Self {
            blocks,
            max_kept,
            idle_release,
            state: Mutex::new(State::default()),
        })
    }

    // A panic while the lock is held cannot leave `State` inconsistent (each update is a
    // single push, pop or assignment), so a poisoned lock is used as is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks out a kept buffer, or an empty one that is allocated on first use.
    pub(crate) fn lease(self: &Arc<Self>) -> Lease {
        let mut st = self.lock();
        st.checkouts += 1;
        let buf = st.free.pop().unwrap_or_default();
        drop(st);
        Lease {
            pool: Arc::clone(self),
            buf,
        }
    }

    fn give_back(self: &Arc<Self>, buf: Vec<Block>) {
        let mut st = self.lock();
        // Buffers of another size were made for one stored hash with other parameters: not
        // worth keeping.
        let unwanted = if buf.len() == self.blocks && st.free.len() < self.max_kept {
            st.free.push(buf);
            None
        } else {
            Some(buf)
        };
        // Outside a runtime (never on the server's request path) no reaper can run; the
        // buffers then stay until the next job returned inside one starts it.
        if !st.free.is_empty()
            && !st.reaper
            && let Ok(rt) = tokio::runtime::Handle::try_current()
        {
            st.reaper = true;
            rt.spawn(reap(Arc::downgrade(self), st.checkouts, self.idle_release));
        }
        drop(st);
        drop(unwanted); // unmapped outside the lock
    }
}

/// Frees the kept buffers once a whole `period` passes without a check-out, then ends (the
/// next returned buffer starts a new reaper). Holds the pool weakly so that a dropped server
/// does not keep it alive.
async fn reap(pool: Weak<MemoryPool>, mut seen: u64, period: Duration) {
    loop {
        tokio::time::sleep(period).await;
        let Some(pool) = pool.upgrade() else {
            return;
        };
        let mut st = pool.lock();
        if st.checkouts != seen {
            seen = st.checkouts;
            continue;
        }
        let freed = std::mem::take(&mut st.free);
        st.reaper = false;
        drop(st);
        drop(freed);
        return;
    }
}

impl Lease {
    /// `n` blocks of working memory: a prefix of the pooled buffer, or a new buffer when this
    /// one is empty or too small (a stored hash made with more memory than configured).
    pub(crate) fn blocks(&mut self, n: usize) -> anyhow::Result<&mut [Block]> {
        if self.buf.len() < n {
            self.buf = Vec::new(); // free the old one before allocating its replacement
            self.buf = allocate(n.max(self.pool.blocks))?;
        }
        self.buf
            .get_mut(..n)
            .ok_or_else(|| anyhow::anyhow!("argon2 buffer shorter than {n} blocks"))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.pool.give_back(std::mem::take(&mut self.buf));
    }
}

/// `n` zeroed blocks. Fallible rather than aborting: `n` may come from a stored hash.
fn allocate(n: usize) -> anyhow::Result<Vec<Block>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n.max(MMAP_FLOOR_BLOCKS))
        .map_err(|e| anyhow::anyhow!("cannot allocate {n} KiB for argon2: {e}"))?;
    v.resize(n, Block::default());
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(pool: &MemoryPool) -> usize {
        pool.lock().free.len()
    }

    #[test]
    fn keeps_at_most_max_kept_buffers_of_the_configured_size() {
        let pool = MemoryPool::new(64, 1, Duration::from_secs(60));
        let (mut a, mut b) = (pool.lease(), pool.lease());
        assert_eq!(a.blocks(64).unwrap().len(), 64);
        assert_eq!(
            b.blocks(8).unwrap().len(),
            8,
            "a smaller request uses a prefix"
        );
        drop((a, b));
        assert_eq!(kept(&pool), 1);
        let mut c = pool.lease();
        assert_eq!(c.buf.len(), 64, "the kept buffer is reused");
        assert_eq!(
            c.blocks(128).unwrap().len(),
            128,
            "a bigger request gets its own"
        );
        drop(c);
        assert_eq!(kept(&pool), 0, "an odd-sized buffer is not kept");
    }

    // Paused time: the runtime jumps the clock when it is idle, so no real time passes.
    #[tokio::test(start_paused = true)]
    async fn frees_kept_buffers_after_an_idle_period() {
        let pool = MemoryPool::new(16, 2, Duration::from_millis(50));
        let mut l = pool.lease();
        l.blocks(16).unwrap();
        drop(l);
        assert_eq!(kept(&pool), 1);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(kept(&pool), 0);
        assert!(!pool.lock().reaper);
    }
}

//! The background relay drains: one pass claims at most `concurrency` deliveries, so a relay
//! that ran one pass per interval could never send more than `concurrency` per interval (16 a
//! second by default), far below checkout's rate. Each tick runs passes back to back while
//! they find work, for at most [`BUDGET`], then yields to the next tick (and to shutdown).
//! Manual passes (`POST /api/admin/relay/run`) stay one pass each, so tests can count them.

use std::time::{Duration, Instant};

use super::{PassReport, run_once};
use crate::state::AppState;

/// How long one tick may keep passing before it yields.
const BUDGET: Duration = Duration::from_secs(5);

/// Whether a pass left work behind: it routed new rows (their deliveries may be due now) or
/// claimed a full batch.
fn busy(r: &PassReport, batch: usize) -> bool {
    r.routed > 0 || usize::try_from(r.claimed).unwrap_or(usize::MAX) >= batch
}

/// Passes until one finds nothing to do, an error, shutdown, or the budget ends.
pub(super) async fn tick(state: &AppState) {
    let start = Instant::now();
    let batch = state.config.relay.concurrency.max(1);
    loop {
        match run_once(state).await {
            Ok(r) if busy(&r, batch) && start.elapsed() < BUDGET => {}
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, "relay pass failed");
                return;
            }
        }
        if state.shutdown.is_cancelled() {
            return;
        }
    }
}

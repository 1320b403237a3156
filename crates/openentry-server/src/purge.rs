//! Periodic purging of stale rows (docs/decisions.md, "Anonymous abuse"): what decides that
//! a row is stale, and the background task that runs the purge. The SQL is in
//! `openentry_store::purge`.

use openentry_domain::clock::Timestamp;
use openentry_store::Db;
use openentry_store::purge::{Cutoffs, Purged};

use crate::config::Config;
use crate::project::Project;
use crate::state::AppState;

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2000)
}

/// What is stale at `now`: throttle counters whose window ended (the longest window of any
/// budget or code cooldown ago), expired codes and sessions, idempotency keys past their 24 h,
/// revoked sessions, notifications and finished deliveries past their retention.
pub fn cutoffs(config: &Config, project: &Project, now: Timestamp) -> Cutoffs {
    let longest_window = [
        config.account_throttle.window_secs,
        config.address_throttle.window_secs,
        config.anonymous_budget.window_secs,
        config.form_data_address_budget.window_secs,
        config.form_data_fingerprint_budget.window_secs,
        config.form_data_user_budget.window_secs,
    ]
    .into_iter()
    .chain(
        project
            .providers
            .iter()
            .map(|p| p.def.codes.resend_after_secs),
    )
    .max()
    .unwrap_or(0);
    Cutoffs {
        now,
        throttle_before: now.plus_secs(-longest_window),
        idempotency_before: now.plus_secs(-crate::idempotency::KEEP_SECS),
        revoked_before: now.plus_secs(-secs(config.revoked_session_retention)),
        notifications_before: now.plus_secs(-secs(config.notification_retention)),
        deliveries_before: now.plus_secs(-secs(config.delivery_retention)),
    }
}

/// Purges once; returns what was deleted.
pub async fn run(
    db: &Db,
    config: &Config,
    project: &Project,
    now: Timestamp,
) -> anyhow::Result<Purged> {
    Ok(openentry_store::purge::purge(db, &cutoffs(config, project, now)).await?)
}

/// Purges once with a server's state, at its clock's time.
pub async fn purge_now(state: &AppState) -> anyhow::Result<Purged> {
    run(&state.db, &state.config, &state.project(), state.now()).await
}

/// Purges every `purge_interval`, first one interval after start, until the server stops.
pub(crate) fn spawn_purger(state: &AppState) {
    let every = state.config.purge_interval;
    state.spawn_periodic("purger", every, every, |state| async move {
        match purge_now(&state).await {
            Ok(p) if p.total() > 0 => tracing::info!(
                throttle = p.throttle,
                codes = p.codes,
                idempotency = p.idempotency,
                sessions = p.sessions,
                notifications = p.notifications,
                deliveries = p.deliveries,
                "purged stale rows"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not purge stale rows"),
        }
    });
}

//! What an import writes to the outbox besides the definition: the rule for rows older than
//! the project's events, and the catalog changes product subscribers hear of.

use openentry_domain::clock::Timestamp;
use openentry_domain::project::ProjectDefinition;

use crate::StoreError;
use crate::db::Executor;

/// What an import writes to the outbox, in its transaction. The first events of a project
/// start its relay's history: every outbox row written before (upgrading from a version
/// without events, every event since the first order) is marked skipped, not sent. Then the
/// catalog changes product subscribers hear of (prices that fell, products back in stock).
///
/// `stored`: the stored definition's JSON. One this version cannot read (written by another
/// version) says nothing about what changed: then no event is derived from it.
pub(super) async fn of_change(
    t: &mut Executor<'_>,
    stored: Option<&str>,
    def: &ProjectDefinition,
    now: Timestamp,
) -> Result<(), StoreError> {
    let before = match stored {
        None => ProjectDefinition::default(),
        Some(json) => match serde_json::from_str::<ProjectDefinition>(json) {
            Ok(before) => before,
            Err(_) => return Ok(()),
        },
    };
    let before = &before;
    if before.events.is_empty() && !def.events.is_empty() {
        crate::deliveries::skip_unrouted(t, SKIPPED_BEFORE_EVENTS, now).await?;
    }
    for event in openentry_domain::project::catalog_changes(before, def) {
        crate::outbox::add_on(t, &event, now).await?;
    }
    Ok(())
}

/// Why old outbox rows were skipped (`outbox.skipped`).
pub const SKIPPED_BEFORE_EVENTS: &str = "written before the project had events";

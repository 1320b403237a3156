//! The stored definition and its revision: saved when an import changed something, and held
//! (locked and compared) by an import made from a given revision.

use openentry_domain::clock::Timestamp;
use openentry_domain::project::ProjectDefinition;

use super::{DEFINITION_KEY, ImportReport, REVISION_KEY, to_json};
use crate::StoreError;
use crate::db::{Executor, q};

/// Stores the definition and moves the revision when anything changed.
pub(super) async fn save_definition(
    t: &mut Executor<'_>,
    def: &ProjectDefinition,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let json = to_json(def)?;
    let old: Option<Setting> = t
        .opt(q("SELECT value FROM settings WHERE key = $1").bind(DEFINITION_KEY))
        .await?;
    if old.as_ref().map(|s| s.value.as_str()) != Some(json.as_str()) || report.changed {
        report.changed = true;
        // Catalog events of the change (prices fallen, products back), and the rule for
        // outbox rows older than the project's first events, in the import's transaction.
        super::events::of_change(t, old.as_ref().map(|s| s.value.as_str()), def, now).await?;
        upsert_setting(t, DEFINITION_KEY, json).await?;
        let rev: Option<Setting> = t
            .opt(q("SELECT value FROM settings WHERE key = $1").bind(REVISION_KEY))
            .await?;
        let next = rev.and_then(|r| r.value.parse::<i64>().ok()).unwrap_or(0) + 1;
        upsert_setting(t, REVISION_KEY, next.to_string()).await?;
    }
    Ok(())
}

/// Locks the revision's row and checks it is still `rev` (an import made from `rev`).
pub(super) async fn hold_revision(t: &mut Executor<'_>, rev: i64) -> Result<(), StoreError> {
    let held = t
        .exec(
            q("UPDATE settings SET value = value WHERE key = $1 AND value = $2")
                .bind(REVISION_KEY)
                .bind(rev.to_string()),
        )
        .await?;
    if held == 0 && rev != 0 {
        return Err(StoreError::Conflict(
            "the project changed meanwhile; read it again".to_owned(),
        ));
    }
    Ok(())
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Setting {
    value: String,
}

async fn upsert_setting(t: &mut Executor<'_>, key: &str, value: String) -> Result<(), StoreError> {
    t.exec(
        q("INSERT INTO settings (key, value) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value),
    )
    .await?;
    Ok(())
}

//! The entries a definition holds (`[[forms.seed]]`), written by the import in its transaction:
//! each is keyed by its form and `seed_key`, so importing the same file changes nothing, an
//! edited entry is updated in place (its id, and the replies users wrote to it, stay), and an
//! entry the file no longer holds is deleted with its replies.

use std::collections::HashMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::project::{FormDef, ProjectDefinition, SeedDef};

use crate::StoreError;
use crate::db::{Executor, Id, q};
use crate::project::ImportReport;

/// What a seed entry is stored as, compared with the stored row to see whether it changed.
#[derive(Debug, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
struct SeedRow {
    module_config_id: i64,
    entity_identifier: String,
    parent_id: Option<i64>,
    depth: i64,
    by_operator: bool,
    status: String,
    lang: String,
    form_data: String,
    created_at: i64,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Stored {
    id: i64,
    seed_key: String,
    identifier: String,
}

/// Writes every seed entry of `def` and deletes the stored ones it no longer holds.
pub(crate) async fn import_seeds(
    t: &mut Executor<'_>,
    def: &ProjectDefinition,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let lang = def.project.default_locale();
    for form in def.forms.iter().filter(|f| !f.seed.is_empty()) {
        let form_id: Id = t
            .one(q("SELECT id FROM forms WHERE identifier = $1").bind(&form.identifier))
            .await?;
        // Each key's id and depth, for the replies after it.
        let mut placed: HashMap<&str, (i64, i64)> = HashMap::new();
        for seed in &form.seed {
            let (parent_id, depth) = match seed.reply_to.as_deref().map(|k| placed.get(k)) {
                None => (None, 0),
                Some(Some((id, depth))) => (Some(*id), depth + 1),
                Some(None) => {
                    return Err(StoreError::Invalid(format!(
                        "forms/{}: seed \"{}\" answers an unknown entry",
                        form.identifier, seed.key
                    )));
                }
            };
            let row = seed_row(form, seed, lang, parent_id, depth)?;
            let id = write_seed(t, form_id.id, &form.identifier, seed, &row, now, report).await?;
            placed.insert(&seed.key, (id, depth));
        }
    }
    let stored: Vec<Stored> = t
        .all(q(
            "SELECT f.id, f.seed_key, forms.identifier FROM form_data f
             JOIN forms ON forms.id = f.form_id WHERE f.seed_key IS NOT NULL ORDER BY f.id",
        ))
        .await?;
    for s in stored {
        let kept = def
            .form(&s.identifier)
            .is_some_and(|f| f.seed.iter().any(|e| e.key == s.seed_key));
        if !kept
            && t.exec(q("DELETE FROM form_data WHERE id = $1").bind(s.id))
                .await?
                > 0
        {
            report
                .deleted
                .push(format!("form_data/{}/{}", s.identifier, s.seed_key));
            report.changed = true;
        }
    }
    Ok(())
}

fn seed_row(
    form: &FormDef,
    seed: &SeedDef,
    default_lang: &str,
    parent_id: Option<i64>,
    depth: i64,
) -> Result<SeedRow, StoreError> {
    let invalid = |why: String| {
        StoreError::Invalid(format!(
            "forms/{}: seed \"{}\": {why}",
            form.identifier, seed.key
        ))
    };
    let items = seed.items(form).map_err(|e| invalid(e.message))?;
    let at = seed
        .timestamp()
        .ok_or_else(|| invalid("time is not a date".to_owned()))?;
    Ok(SeedRow {
        module_config_id: seed.module_config,
        entity_identifier: seed.entity.trim().to_owned(),
        parent_id,
        depth,
        by_operator: seed.operator,
        status: seed.status.as_str().to_owned(),
        lang: seed.lang.clone().unwrap_or_else(|| default_lang.to_owned()),
        form_data: serde_json::to_string(&items).map_err(|e| StoreError::Encode(Box::new(e)))?,
        created_at: at.0,
    })
}

/// Inserts or updates one entry; returns its id.
async fn write_seed(
    t: &mut Executor<'_>,
    form_id: i64,
    form: &str,
    seed: &SeedDef,
    row: &SeedRow,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<i64, StoreError> {
    let name = format!("form_data/{form}/{}", seed.key);
    let existing: Option<Id> = t
        .opt(
            q("SELECT id FROM form_data WHERE form_id = $1 AND seed_key = $2")
                .bind(form_id)
                .bind(&seed.key),
        )
        .await?;
    if let Some(Id { id }) = existing {
        let stored: SeedRow = t
            .one(
                q(
                    "SELECT module_config_id, entity_identifier, parent_id, depth, by_operator,
                     status, lang, form_data, created_at FROM form_data WHERE id = $1",
                )
                .bind(id),
            )
            .await?;
        if stored != *row {
            t.exec(
                q(
                    "UPDATE form_data SET module_config_id = $2, entity_identifier = $3,
                     parent_id = $4, depth = $5, by_operator = $6, status = $7, lang = $8,
                     form_data = $9, created_at = $10, updated_at = $11 WHERE id = $1",
                )
                .bind(id)
                .bind(row.module_config_id)
                .bind(&row.entity_identifier)
                .bind(row.parent_id)
                .bind(row.depth)
                .bind(row.by_operator)
                .bind(&row.status)
                .bind(&row.lang)
                .bind(&row.form_data)
                .bind(row.created_at)
                .bind(now.0),
            )
            .await?;
            report.updated.push(name);
            report.changed = true;
        }
        return Ok(id);
    }
    let new: Id = t
        .one(
            q(
                "INSERT INTO form_data (form_id, module_config_id, entity_identifier, parent_id,
                 depth, user_id, by_operator, fingerprint, status, lang, form_data, seed_key,
                 created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, NULL, $6, NULL, $7, $8, $9, $10, $11, $12)
               RETURNING id",
            )
            .bind(form_id)
            .bind(row.module_config_id)
            .bind(&row.entity_identifier)
            .bind(row.parent_id)
            .bind(row.depth)
            .bind(row.by_operator)
            .bind(&row.status)
            .bind(&row.lang)
            .bind(&row.form_data)
            .bind(&seed.key)
            .bind(row.created_at)
            .bind(now.0),
        )
        .await?;
    report.created.push(name);
    report.changed = true;
    Ok(new.id)
}

//! The imported project definition and the entities that need stable integer ids.
//!
//! Import is declarative and atomic: the file is the whole project, so entities it no longer
//! names are deleted (refused, with nothing imported, while users still refer to them), entities
//! whose definition changed get `version + 1`, and the rest are left untouched. Importing the
//! same file twice changes nothing.

use openentry_domain::clock::Timestamp;
use openentry_domain::project::ProjectDefinition;
use serde::Serialize;

use crate::db::{TxInner, q};
use crate::{Db, StoreError};

const DEFINITION_KEY: &str = "project.definition";
const REVISION_KEY: &str = "project.revision";

/// An entity's identity as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntityRow {
    /// Integer id (the SDK's `id`).
    pub id: i64,
    /// Marker.
    pub identifier: String,
    /// Bumped on every change.
    pub version: i64,
    /// Place in lists.
    pub position: i64,
    /// Last change.
    pub updated_at: i64,
}

/// The project as stored.
#[derive(Debug, Clone)]
pub struct StoredProject {
    /// The imported definition.
    pub definition: ProjectDefinition,
    /// Bumped by every import that changed something; nodes reload when it moves.
    pub revision: i64,
    /// Auth providers with their ids.
    pub providers: Vec<EntityRow>,
    /// Forms with their ids.
    pub forms: Vec<EntityRow>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Entities added (`forms/reg`).
    pub created: Vec<String>,
    /// Entities whose definition changed.
    pub updated: Vec<String>,
    /// Entities removed.
    pub deleted: Vec<String>,
    /// Whether the project changed at all.
    pub changed: bool,
}

#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    definition: String,
    position: i64,
}

#[derive(sqlx::FromRow)]
struct Ident {
    identifier: String,
}

#[derive(sqlx::FromRow)]
struct Setting {
    value: String,
}

/// Imports a checked definition in one transaction.
pub async fn import(
    db: &Db,
    def: &ProjectDefinition,
    now: Timestamp,
) -> Result<ImportReport, StoreError> {
    let mut tx = db.begin().await?;
    let t = tx.inner();
    let mut report = ImportReport::default();
    // Forms first: providers name them.
    let forms: Vec<(String, String)> = def
        .forms
        .iter()
        .map(|f| Ok((f.identifier.clone(), serde_json::to_string(f)?)))
        .collect::<Result<_, serde_json::Error>>()?;
    let providers: Vec<(String, String)> = def
        .auth_providers
        .iter()
        .map(|p| Ok((p.identifier.clone(), serde_json::to_string(p)?)))
        .collect::<Result<_, serde_json::Error>>()?;
    sync(t, Table::Forms, &forms, now, &mut report).await?;
    sync(t, Table::Providers, &providers, now, &mut report).await?;
    prune(t, Table::Providers, &providers, &mut report).await?;
    prune(t, Table::Forms, &forms, &mut report).await?;

    let json = serde_json::to_string(def)?;
    let old: Option<Setting> = t
        .opt(q("SELECT value FROM settings WHERE key = $1").bind(DEFINITION_KEY))
        .await?;
    if old.as_ref().map(|s| s.value.as_str()) != Some(json.as_str()) || report.changed {
        report.changed = true;
        upsert_setting(t, DEFINITION_KEY, json).await?;
        let rev: Option<Setting> = t
            .opt(q("SELECT value FROM settings WHERE key = $1").bind(REVISION_KEY))
            .await?;
        let next = rev.and_then(|r| r.value.parse::<i64>().ok()).unwrap_or(0) + 1;
        upsert_setting(t, REVISION_KEY, next.to_string()).await?;
    }
    tx.commit().await?;
    Ok(report)
}

#[derive(Clone, Copy)]
enum Table {
    Forms,
    Providers,
}

impl Table {
    fn label(self) -> &'static str {
        match self {
            Self::Forms => "forms",
            Self::Providers => "auth_providers",
        }
    }
}

// Table names cannot be bound, so each statement exists once per table; the SQL is otherwise
// identical.
async fn sync(
    t: &mut TxInner,
    table: Table,
    items: &[(String, String)],
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    for (position, (ident, json)) in (0_i64..).zip(items) {
        let (select, insert, update) = match table {
            Table::Forms => (
                "SELECT id, definition, position FROM forms WHERE identifier = $1",
                "INSERT INTO forms (identifier, definition, version, position, updated_at) VALUES ($1, $2, 1, $3, $4)",
                "UPDATE forms SET definition = $2, version = version + 1, position = $3, updated_at = $4 WHERE id = $1",
            ),
            Table::Providers => (
                "SELECT id, definition, position FROM auth_providers WHERE identifier = $1",
                "INSERT INTO auth_providers (identifier, definition, version, position, updated_at) VALUES ($1, $2, 1, $3, $4)",
                "UPDATE auth_providers SET definition = $2, version = version + 1, position = $3, updated_at = $4 WHERE id = $1",
            ),
        };
        let name = format!("{}/{ident}", table.label());
        match t.opt::<Stored>(q(select).bind(ident)).await? {
            None => {
                t.exec(q(insert).bind(ident).bind(json).bind(position).bind(now.0))
                    .await?;
                report.created.push(name);
                report.changed = true;
            }
            Some(s) if s.definition != *json || s.position != position => {
                t.exec(q(update).bind(s.id).bind(json).bind(position).bind(now.0))
                    .await?;
                report.updated.push(name);
                report.changed = true;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

async fn prune(
    t: &mut TxInner,
    table: Table,
    keep: &[(String, String)],
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let (list, delete) = match table {
        Table::Forms => (
            "SELECT identifier FROM forms",
            "DELETE FROM forms WHERE identifier = $1",
        ),
        Table::Providers => (
            "SELECT identifier FROM auth_providers",
            "DELETE FROM auth_providers WHERE identifier = $1",
        ),
    };
    for row in t.all::<Ident>(q(list)).await? {
        if keep.iter().any(|(k, _)| *k == row.identifier) {
            continue;
        }
        let name = format!("{}/{}", table.label(), row.identifier);
        t.exec(q(delete).bind(&row.identifier)).await.map_err(|e| match e {
            StoreError::InUse(_) => StoreError::InUse(format!(
                "{name} is not in the definition but still has users; keep it (set active = false to close it)"
            )),
            other => other,
        })?;
        report.deleted.push(name);
        report.changed = true;
    }
    Ok(())
}

async fn upsert_setting(t: &mut TxInner, key: &str, value: String) -> Result<(), StoreError> {
    t.exec(
        q("INSERT INTO settings (key, value) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value),
    )
    .await?;
    Ok(())
}

/// The stored project's revision (cheap: nodes poll it to notice imports made elsewhere).
pub async fn revision(db: &Db) -> Result<i64, StoreError> {
    let v = crate::settings::get(db, REVISION_KEY).await?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Loads the stored project; an install that never imported one gets the empty default.
pub async fn load(db: &Db) -> Result<StoredProject, StoreError> {
    let definition = match crate::settings::get(db, DEFINITION_KEY).await? {
        Some(json) => serde_json::from_str(&json)?,
        None => ProjectDefinition::default(),
    };
    let revision = revision(db).await?;
    let mut c = db.conn().await?;
    let providers = c
        .all(q("SELECT id, identifier, version, position, updated_at FROM auth_providers ORDER BY position, id"))
        .await?;
    let forms = c
        .all(q(
            "SELECT id, identifier, version, position, updated_at FROM forms ORDER BY position, id",
        ))
        .await?;
    Ok(StoredProject {
        definition,
        revision,
        providers,
        forms,
    })
}

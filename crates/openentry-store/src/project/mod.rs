//! The imported project definition and the entities that need stable integer ids.
//!
//! Import is declarative and atomic: the file is the whole project, so entities it no longer
//! names are deleted (refused, with nothing imported, while users still refer to them), entities
//! whose definition changed get `version + 1`, and the rest are left untouched. Importing the
//! same file twice changes nothing.

use openentry_domain::clock::Timestamp;
use openentry_domain::project::ProjectDefinition;
use serde::Serialize;

use crate::db::{Executor, q};
use crate::{Db, StoreError};

mod events;
mod revision;
mod tables;

pub use events::SKIPPED_BEFORE_EVENTS;
use revision::{hold_revision, save_definition};
use tables::{Table, prune, sync};

const DEFINITION_KEY: &str = "project.definition";
const REVISION_KEY: &str = "project.revision";

/// An entity's identity as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
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
    /// Payment accounts with their ids.
    pub payment_accounts: Vec<EntityRow>,
    /// Order storages with their ids.
    pub order_storages: Vec<EntityRow>,
    /// Order statuses (of all storages) with their ids.
    pub order_statuses: Vec<EntityRow>,
    /// Integration collections with their ids.
    pub collections: Vec<EntityRow>,
    /// Content entities with their ids, by kind.
    pub content: ContentRows,
}

/// Stored identities of the content entities, one list per kind.
#[derive(Debug, Clone, Default)]
pub struct ContentRows {
    /// Locales (by code).
    pub locales: Vec<EntityRow>,
    /// Pages (by URL).
    pub pages: Vec<EntityRow>,
    /// Blocks.
    pub blocks: Vec<EntityRow>,
    /// Menus.
    pub menus: Vec<EntityRow>,
    /// Templates.
    pub templates: Vec<EntityRow>,
    /// Template previews.
    pub template_previews: Vec<EntityRow>,
    /// Admins' public profiles.
    pub admins: Vec<EntityRow>,
}

/// Content kinds as stored in `content_entities.kind`.
const CONTENT_KINDS: [&str; 7] = [
    "locales",
    "pages",
    "blocks",
    "menus",
    "templates",
    "template_previews",
    "admins",
];

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

/// `(identifier, JSON, position)` of each entity of one table.
pub(super) type Items = Vec<(String, String, i64)>;

fn items<T: Serialize>(list: &[T], ident: impl Fn(&T) -> &str) -> Result<Items, StoreError> {
    (0_i64..)
        .zip(list)
        .map(|(pos, item)| Ok((ident(item).to_owned(), to_json(item)?, pos)))
        .collect()
}

/// A definition's JSON (a definition always serializes; the error is only passed on).
fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Encode(Box::new(e)))
}

/// Imports a checked definition in one transaction.
pub async fn import(
    db: &Db,
    def: &ProjectDefinition,
    now: Timestamp,
) -> Result<ImportReport, StoreError> {
    import_over(db, def, now, None).await
}

/// Imports a checked definition made from the stored revision `expected` (an edit through the
/// admin API): [`StoreError::Conflict`] when another import moved the revision meanwhile, so
/// two concurrent edits never lose one another. The check locks the revision's row first
/// (PostgreSQL re-reads it after the lock; SQLite has one writer).
pub async fn import_over(
    db: &Db,
    def: &ProjectDefinition,
    now: Timestamp,
    expected: Option<i64>,
) -> Result<ImportReport, StoreError> {
    let mut tx = db.begin().await?;
    let t = &mut tx.executor();
    if let Some(rev) = expected {
        hold_revision(t, rev).await?;
    }
    let mut report = ImportReport::default();
    let mut statuses = Vec::new();
    for storage in &def.order_storages {
        for (pos, st) in (0_i64..).zip(&storage.statuses) {
            statuses.push((
                st.identifier.clone(),
                to_json(&(storage.identifier.as_str(), st))?,
                pos,
            ));
        }
    }
    let tables = [
        (Table::Forms, items(&def.forms, |f| &f.identifier)?),
        (
            Table::Providers,
            items(&def.auth_providers, |p| &p.identifier)?,
        ),
        (
            Table::PaymentAccounts,
            items(&def.payment_accounts, |a| &a.identifier)?,
        ),
        (
            Table::OrderStorages,
            items(&def.order_storages, |s| &s.identifier)?,
        ),
        (Table::OrderStatuses, statuses),
        // After forms: pruned (in reverse) before them.
        (
            Table::Collections,
            items(&def.collections, |c| &c.identifier)?,
        ),
        (Table::Content("locales"), locale_items(def)?),
        (
            Table::Content("templates"),
            items(&def.templates, |t| &t.identifier)?,
        ),
        (
            Table::Content("template_previews"),
            items(&def.template_previews, |t| &t.identifier)?,
        ),
        (Table::Content("pages"), items(&def.pages, |p| &p.url)?),
        (
            Table::Content("blocks"),
            items(&def.blocks, |b| &b.identifier)?,
        ),
        (
            Table::Content("menus"),
            items(&def.menus, |m| &m.identifier)?,
        ),
        (
            Table::Content("admins"),
            items(&def.admins, |a| &a.identifier)?,
        ),
    ];
    for (table, list) in &tables {
        sync(t, *table, list, now, &mut report).await?;
    }
    // Between the two: seed entries need their forms' ids, and entries of a form that is
    // going away must go before it.
    crate::form_data::import_seeds(t, def, now, &mut report).await?;
    crate::coupon_codes::sync(t, def, now, &mut report).await?;
    // Remove in reverse dependency order: statuses and storages before accounts and forms.
    for (table, list) in tables.iter().rev() {
        prune(t, *table, list, &mut report).await?;
    }
    save_definition(t, def, now, &mut report).await?;
    tx.commit().await?;
    Ok(report)
}

/// Every locale of `project.locales` (with its details when the file gives them), so each has
/// an id even when the file only lists codes.
fn locale_items(def: &ProjectDefinition) -> Result<Items, StoreError> {
    (0_i64..)
        .zip(&def.project.locales)
        .map(|(pos, code)| {
            let details = def.locales.iter().find(|l| &l.code == code);
            Ok((code.clone(), to_json(&(code, details))?, pos))
        })
        .collect()
}

/// The stored project's revision (cheap: nodes poll it to notice imports made elsewhere).
pub async fn revision(db: &Db) -> Result<i64, StoreError> {
    let v = crate::settings::get(db, REVISION_KEY).await?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Loads the stored project; an install that never imported one gets the empty default.
pub async fn load(db: &Db) -> Result<StoredProject, StoreError> {
    let definition = match crate::settings::get(db, DEFINITION_KEY).await? {
        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
            column: format!("settings.value ({DEFINITION_KEY})"),
            reason: e.to_string(),
        })?,
        None => ProjectDefinition::default(),
    };
    let revision = revision(db).await?;
    let mut c = db.executor();
    macro_rules! rows {
        ($table:literal) => {
            c.all::<EntityRow>(q(concat!(
                "SELECT id, identifier, version, position, updated_at FROM ",
                $table,
                " ORDER BY position, id"
            )))
            .await?
        };
    }
    Ok(StoredProject {
        definition,
        revision,
        providers: rows!("auth_providers"),
        forms: rows!("forms"),
        payment_accounts: rows!("payment_accounts"),
        order_storages: rows!("order_storages"),
        order_statuses: rows!("order_statuses"),
        collections: rows!("collections"),
        content: load_content(&mut c).await?,
    })
}

async fn load_content(c: &mut Executor<'_>) -> Result<ContentRows, StoreError> {
    let mut out = ContentRows::default();
    for kind in CONTENT_KINDS {
        let rows = c
            .all::<EntityRow>(
                q(
                    "SELECT id, identifier, version, position, updated_at FROM content_entities
                   WHERE kind = $1 ORDER BY position, id",
                )
                .bind(kind),
            )
            .await?;
        let slot = match kind {
            "locales" => &mut out.locales,
            "pages" => &mut out.pages,
            "blocks" => &mut out.blocks,
            "menus" => &mut out.menus,
            "templates" => &mut out.templates,
            "admins" => &mut out.admins,
            _ => &mut out.template_previews,
        };
        *slot = rows;
    }
    Ok(out)
}

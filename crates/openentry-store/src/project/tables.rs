//! The entity tables an import keeps in step with the definition: one set of statements per
//! table (table names cannot be bound), and the content kinds sharing `content_entities`.

use openentry_domain::clock::Timestamp;

use super::{ImportReport, Items};
use crate::StoreError;
use crate::db::{Executor, q};

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Stored {
    id: i64,
    definition: String,
    position: i64,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Ident {
    identifier: String,
}

#[derive(Clone, Copy)]
pub(super) enum Table {
    Forms,
    Providers,
    PaymentAccounts,
    OrderStorages,
    OrderStatuses,
    Collections,
    /// A kind of `content_entities`: its statements bind the kind as their last parameter.
    Content(&'static str),
}

/// The statements of one entity table. Table names cannot be bound, so each statement exists
/// once per table; the SQL is otherwise identical.
struct Statements {
    label: &'static str,
    select: &'static str,
    insert: &'static str,
    update: &'static str,
    list: &'static str,
    delete: &'static str,
}

macro_rules! statements {
    ($table:literal) => {
        Statements {
            label: $table,
            select: concat!("SELECT id, definition, position FROM ", $table, " WHERE identifier = $1"),
            insert: concat!("INSERT INTO ", $table, " (identifier, definition, version, position, updated_at) VALUES ($1, $2, 1, $3, $4)"),
            update: concat!("UPDATE ", $table, " SET definition = $2, version = version + 1, position = $3, updated_at = $4 WHERE id = $1"),
            list: concat!("SELECT identifier FROM ", $table),
            delete: concat!("DELETE FROM ", $table, " WHERE identifier = $1"),
        }
    };
}

impl Table {
    fn sql(self) -> Statements {
        match self {
            Self::Forms => statements!("forms"),
            Self::Providers => statements!("auth_providers"),
            Self::PaymentAccounts => statements!("payment_accounts"),
            Self::OrderStorages => statements!("order_storages"),
            Self::OrderStatuses => statements!("order_statuses"),
            Self::Collections => statements!("collections"),
            Self::Content(kind) => Statements {
                label: kind,
                select: "SELECT id, definition, position FROM content_entities WHERE identifier = $1 AND kind = $2",
                insert: "INSERT INTO content_entities (identifier, definition, version, position, updated_at, kind, id) VALUES ($1, $2, 1, $3, $4, $5, (SELECT COALESCE(MAX(id), 0) + 1 FROM content_entities WHERE kind = $5))",
                update: "UPDATE content_entities SET definition = $2, version = version + 1, position = $3, updated_at = $4 WHERE id = $1 AND kind = $5",
                list: "SELECT identifier FROM content_entities WHERE kind = $1",
                delete: "DELETE FROM content_entities WHERE identifier = $1 AND kind = $2",
            },
        }
    }

    /// The kind to bind after a statement's own parameters (content kinds only).
    fn kind(self) -> Option<&'static str> {
        match self {
            Self::Content(kind) => Some(kind),
            _ => None,
        }
    }
}

pub(super) async fn sync(
    t: &mut Executor<'_>,
    table: Table,
    items: &Items,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let sql = table.sql();
    for (ident, json, position) in items {
        let name = format!("{}/{ident}", sql.label);
        let select = q(sql.select).bind(ident);
        let select = match table.kind() {
            Some(k) => select.bind(k),
            None => select,
        };
        match t.opt::<Stored>(select).await? {
            None => {
                let insert = q(sql.insert)
                    .bind(ident)
                    .bind(json)
                    .bind(*position)
                    .bind(now.0);
                let insert = match table.kind() {
                    Some(k) => insert.bind(k),
                    None => insert,
                };
                t.exec(insert).await?;
                report.created.push(name);
                report.changed = true;
            }
            Some(s) if s.definition != *json || s.position != *position => {
                let update = q(sql.update)
                    .bind(s.id)
                    .bind(json)
                    .bind(*position)
                    .bind(now.0);
                let update = match table.kind() {
                    Some(k) => update.bind(k),
                    None => update,
                };
                t.exec(update).await?;
                report.updated.push(name);
                report.changed = true;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub(super) async fn prune(
    t: &mut Executor<'_>,
    table: Table,
    keep: &Items,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let sql = table.sql();
    let list = match table.kind() {
        Some(k) => q(sql.list).bind(k),
        None => q(sql.list),
    };
    for row in t.all::<Ident>(list).await? {
        if keep.iter().any(|(k, _, _)| *k == row.identifier) {
            continue;
        }
        let name = format!("{}/{}", sql.label, row.identifier);
        let delete = q(sql.delete).bind(&row.identifier);
        let delete = match table.kind() {
            Some(k) => delete.bind(k),
            None => delete,
        };
        t.exec(delete).await.map_err(|e| match e {
            StoreError::InUse(_) => StoreError::InUse(format!(
                "{name} is not in the definition but is still in use (by users, orders, form submissions or collection rows); keep it"
            )),
            other => other,
        })?;
        report.deleted.push(name);
        report.changed = true;
    }
    Ok(())
}

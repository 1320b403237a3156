//! The audit log: who changed what through the management API, when, with the thing before
//! and after. Rows are only ever added.

use openentry_domain::clock::Timestamp;
use openentry_types::paging::Paging;

use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct AuditRecord {
    /// Id (the log's order).
    pub id: i64,
    /// When (ms).
    pub at: i64,
    /// Who (`admin:<login>`, `token:<name>`).
    pub actor: String,
    /// `create`, `update`, `delete` or a resource's verb.
    pub action: String,
    /// The resource's name.
    pub resource: String,
    /// What, in the resource's terms.
    pub target: String,
    /// JSON before the change.
    pub before_json: Option<String>,
    /// JSON after the change.
    pub after_json: Option<String>,
}

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    /// Who.
    pub actor: &'a str,
    /// What was done.
    pub action: &'a str,
    /// The resource's name.
    pub resource: &'a str,
    /// What, in the resource's terms.
    pub target: &'a str,
    /// JSON before.
    pub before_json: Option<&'a str>,
    /// JSON after.
    pub after_json: Option<&'a str>,
}

/// Adds a row (inside the change's own transaction where the caller has one).
pub async fn add(mut e: impl Exec, a: &NewAudit<'_>, now: Timestamp) -> Result<(), StoreError> {
    e.executor()
        .exec(
            q("INSERT INTO audit_log (at, actor, action, resource, target, before_json, after_json)
               VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(now.0)
            .bind(a.actor)
            .bind(a.action)
            .bind(a.resource)
            .bind(a.target)
            .bind(a.before_json.map(str::to_owned))
            .bind(a.after_json.map(str::to_owned)),
        )
        .await?;
    Ok(())
}

/// Filters of the log; `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this resource.
    pub resource: Option<String>,
    /// Only this target.
    pub target: Option<String>,
}

/// A page of the log, newest first.
pub async fn list(
    mut e: impl Exec,
    f: &AuditFilter,
    page: Paging,
) -> Result<Vec<AuditRecord>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT id, at, actor, action, resource, target, before_json, after_json
               FROM audit_log
               WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR resource = $2)
                 AND ($3 IS NULL OR target = $3)
               ORDER BY id DESC LIMIT CAST($4 AS BIGINT) OFFSET CAST($5 AS BIGINT)",
            )
            .bind(f.actor.clone())
            .bind(f.resource.clone())
            .bind(f.target.clone())
            .bind(i64::from(page.limit))
            .bind(i64::from(page.offset)),
        )
        .await
}

/// How many rows match `f` (for the console's paging).
pub async fn count(mut e: impl Exec, f: &AuditFilter) -> Result<i64, StoreError> {
    let c: Count = e
        .executor()
        .one(
            q("SELECT COUNT(*) AS n FROM audit_log
               WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR resource = $2)
                 AND ($3 IS NULL OR target = $3)")
            .bind(f.actor.clone())
            .bind(f.resource.clone())
            .bind(f.target.clone()),
        )
        .await?;
    Ok(c.n)
}

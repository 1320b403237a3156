//! Coupon codes generated from masks (docs/decisions.md, "Discounts, second part"): made at
//! import in the import's transaction, kept across imports, looked up by code.

use std::collections::HashSet;

use openentry_domain::clock::Timestamp;
use openentry_domain::discounts::codes::{BYTES_PER_HOLE, fill, holes};
use openentry_domain::project::ProjectDefinition;

use crate::db::{Executor, q};
use crate::project::ImportReport;
use crate::{Exec, StoreError};

/// A generated code.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct CodeRecord {
    /// Row id.
    pub id: i64,
    /// The code (upper case).
    pub code: String,
    /// Its discount's identifier.
    pub discount: String,
    /// The mask that made it.
    pub mask: String,
    /// Serves several orders.
    pub reusable: bool,
}

/// The generated code `code` (upper case), if any.
pub async fn get(mut e: impl Exec, code: &str) -> Result<Option<CodeRecord>, StoreError> {
    e.executor()
        .opt(
            q("SELECT id, code, discount, mask, reusable FROM coupon_codes WHERE code = $1")
                .bind(code),
        )
        .await
}

/// The generated codes of a discount, oldest first.
pub async fn of_discount(mut e: impl Exec, discount: &str) -> Result<Vec<CodeRecord>, StoreError> {
    e.executor()
        .all(
            q("SELECT id, code, discount, mask, reusable FROM coupon_codes
               WHERE discount = $1 ORDER BY id")
            .bind(discount),
        )
        .await
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Pair {
    discount: String,
    mask: String,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct IdRow {
    id: i64,
}

/// Brings the generated codes in step with the definition's masks: the missing codes of each
/// mask are drawn at random (never a manual code, never one that exists), extra ones (a smaller
/// count) and those of masks no longer written are deleted, reusability follows the file.
pub(crate) async fn sync(
    t: &mut Executor<'_>,
    def: &ProjectDefinition,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let manual: HashSet<String> = def
        .discounts
        .iter()
        .flat_map(|d| d.coupons.iter().filter_map(|c| c.code.as_deref()))
        .map(str::to_ascii_uppercase)
        .collect();
    // A manual code wins over a generated one (the mask makes another in its place).
    for code in &manual {
        if t.exec(q("DELETE FROM coupon_codes WHERE code = $1").bind(code))
            .await?
            > 0
        {
            report.changed = true;
        }
    }
    let mut wanted = Vec::new();
    for d in &def.discounts {
        for c in &d.coupons {
            let (Some(mask), Some(count)) = (c.mask.as_deref(), c.count) else {
                continue;
            };
            wanted.push((d.identifier.as_str(), mask));
            let m = Mask {
                discount: &d.identifier,
                mask,
                count: usize::try_from(count).unwrap_or(usize::MAX),
                reusable: c.is_reusable(),
            };
            sync_mask(t, &m, &manual, now, report).await?;
        }
    }
    let pairs: Vec<Pair> = t
        .all(q(
            "SELECT DISTINCT discount, mask FROM coupon_codes ORDER BY discount, mask",
        ))
        .await?;
    for p in pairs {
        if wanted.iter().any(|(d, m)| *d == p.discount && *m == p.mask) {
            continue;
        }
        t.exec(
            q("DELETE FROM coupon_codes WHERE discount = $1 AND mask = $2")
                .bind(&p.discount)
                .bind(&p.mask),
        )
        .await?;
        report
            .deleted
            .push(format!("coupon_codes/{}/{}", p.discount, p.mask));
        report.changed = true;
    }
    Ok(())
}

/// One mask of the definition.
struct Mask<'a> {
    discount: &'a str,
    mask: &'a str,
    count: usize,
    reusable: bool,
}

/// Brings one mask's codes to its count and reusability.
async fn sync_mask(
    t: &mut Executor<'_>,
    m: &Mask<'_>,
    manual: &HashSet<String>,
    now: Timestamp,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let name = format!("coupon_codes/{}/{}", m.discount, m.mask);
    let flipped = t
        .exec(
            q("UPDATE coupon_codes SET reusable = $3
               WHERE discount = $1 AND mask = $2 AND reusable <> $3")
            .bind(m.discount)
            .bind(m.mask)
            .bind(m.reusable),
        )
        .await?;
    let ids: Vec<IdRow> = t
        .all(
            q("SELECT id FROM coupon_codes WHERE discount = $1 AND mask = $2 ORDER BY id")
                .bind(m.discount)
                .bind(m.mask),
        )
        .await?;
    for extra in ids.iter().skip(m.count) {
        t.exec(q("DELETE FROM coupon_codes WHERE id = $1").bind(extra.id))
            .await?;
    }
    if flipped > 0 || ids.len() > m.count {
        report.updated.push(name.clone());
        report.changed = true;
    }
    if ids.len() < m.count && generate(t, m, m.count - ids.len(), manual, now).await? > 0 {
        report.created.push(name);
        report.changed = true;
    }
    Ok(())
}

/// Draws `n` new codes of `mask`. `project check` keeps counts at most half the mask's space,
/// so a draw is new with probability ≥ ½; the bound on attempts only stops a pathological
/// definition (many masks sharing one small space).
async fn generate(
    t: &mut Executor<'_>,
    m: &Mask<'_>,
    n: usize,
    manual: &HashSet<String>,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let (discount, mask, reusable) = (m.discount, m.mask, m.reusable);
    let mut random = vec![0_u8; BYTES_PER_HOLE * holes(mask)];
    let (mut made, mut attempts) = (0, 0);
    while made < n {
        attempts += 1;
        if attempts > n * 20 + 100 {
            return Err(StoreError::Conflict(format!(
                "mask \"{mask}\" of discount \"{discount}\": could not make {n} new unique codes"
            )));
        }
        getrandom::fill(&mut random).map_err(|e| StoreError::Encode(Box::new(e)))?;
        let Some(code) = fill(mask, &random) else {
            continue;
        };
        if manual.contains(&code) {
            continue;
        }
        let inserted = t
            .exec(
                q(
                    "INSERT INTO coupon_codes (code, discount, mask, reusable, created_at)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING",
                )
                .bind(&code)
                .bind(discount)
                .bind(mask)
                .bind(reusable)
                .bind(now.0),
            )
            .await?;
        if inserted == 0 {
            continue;
        }
        made += 1;
    }
    Ok(made)
}

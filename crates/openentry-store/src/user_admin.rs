//! What operators read and change of users (`/api/admin/users`): the list with a login
//! search, and blocking.

use openentry_domain::clock::Timestamp;
use openentry_types::paging::Paging;

use crate::db::{Count, q};
use crate::{Exec, StoreError};

/// A user as the operators' list shows them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct UserSummary {
    /// Id.
    pub id: i64,
    /// Login as entered.
    pub identifier: String,
    /// Provider id.
    pub provider_id: i64,
    /// Activated.
    pub is_active: bool,
    /// When an operator blocked the user (`None`: not blocked).
    pub blocked_at: Option<i64>,
    /// Created.
    pub created_at: i64,
}

/// The `WHERE` of both list statements: live users whose normalized login contains `$1`
/// (a `LIKE` pattern escaped with `!`), or all of them when `$1` is NULL.
macro_rules! matching {
    () => {
        " FROM users WHERE archived_at IS NULL AND ($1 IS NULL OR login_key LIKE $1 ESCAPE '!')"
    };
}

/// `%needle%` with `LIKE`'s wildcards taken literally.
fn contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '!') {
            p.push('!');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A page of live users, newest first, whose normalized login contains `search` (already
/// normalized), and how many match in all.
pub async fn list(
    mut e: impl Exec,
    search: Option<&str>,
    page: Paging,
) -> Result<(Vec<UserSummary>, i64), StoreError> {
    let pattern = search.map(contains_pattern);
    let mut c = e.executor();
    let rows = c
        .all(
            q(concat!(
                "SELECT id, identifier, provider_id, is_active, blocked_at, created_at",
                matching!(),
                " ORDER BY id DESC LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)"
            ))
            .bind(pattern.clone())
            .page(page),
        )
        .await?;
    let total: Count = c
        .one(q(concat!("SELECT COUNT(*) AS n", matching!())).bind(pattern))
        .await?;
    Ok((rows, total.n))
}

/// Blocks a live user from `now` (`true`) or lifts the block (`false`); `false` when there is
/// no such live user. Blocking an already blocked user keeps the first time.
pub async fn set_blocked(
    mut e: impl Exec,
    id: i64,
    blocked: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = e
        .executor()
        .exec(
            q(
                "UPDATE users SET blocked_at = CASE WHEN $2 THEN COALESCE(blocked_at, $3) END
               WHERE id = $1 AND archived_at IS NULL",
            )
            .bind(id)
            .bind(blocked)
            .bind(now.0),
        )
        .await?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(super::contains_pattern("a_b%c!"), "%a!_b!%c!!%");
    }
}

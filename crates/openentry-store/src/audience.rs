//! Who hears about an event besides the user it is about: the users of a user group (every
//! live, active, unblocked user of the providers that put users in it), read in pages by id so
//! a large group never sits in memory at once.

use crate::db::q;
use crate::users::UserRecord;
use crate::{Exec, StoreError};

/// Up to `limit` live, active, unblocked users of `provider_id` with an id above `after_id`, by
/// id.
pub async fn provider_users(
    mut e: impl Exec,
    provider_id: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<UserRecord>, StoreError> {
    e.executor()
        .all(
            q(
                "SELECT id, provider_id, identifier, password_hash, is_active, form_identifier,
                 form_data, notification_data, state, locale, version, created_at, updated_at,
                 blocked_at
               FROM users WHERE provider_id = $1 AND id > $2 AND is_active AND archived_at IS NULL
                 AND blocked_at IS NULL
               ORDER BY id LIMIT CAST($3 AS BIGINT)",
            )
            .bind(provider_id)
            .bind(after_id)
            .bind(limit),
        )
        .await
}

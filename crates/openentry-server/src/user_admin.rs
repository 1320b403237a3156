//! What operators do with users (`/api/admin/users`): the list with a login search, one user
//! with their form data and bonus balance, blocking, a password-reset code, the bonus ledger.
//! An operator never sees nor sets a password (docs/decisions.md, "Users' data under
//! /api/admin").

use openentry_domain::clock::Timestamp;
use openentry_domain::login;
use openentry_store::user_admin::UserSummary;
use openentry_store::users::UserRecord;
use openentry_types::admin_data::{
    AdminUser, AdminUserDetail, AdminUsers, BonusEntry, BonusLedger, ResetSent,
};
use openentry_types::paging::Paging;
use serde_json::Number;

use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use crate::state::AppState;

/// The event the reset code is issued for: the app's `changePassword` names it.
pub(crate) const RESET_EVENT: &str = "reset_password";

fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("User {id} does not exist"))
}

fn provider_name(project: &Project, provider_id: i64) -> String {
    project
        .providers
        .by_id(provider_id)
        .map(|p| p.def.identifier.clone())
        .unwrap_or_default()
}

fn summary(project: &Project, u: UserSummary) -> AdminUser {
    AdminUser {
        id: u.id,
        identifier: u.identifier,
        provider: provider_name(project, u.provider_id),
        is_active: u.is_active,
        blocked: u.blocked_at.is_some(),
        blocked_at: u.blocked_at.map(|t| Timestamp(t).to_rfc3339()),
        created_at: Timestamp(u.created_at).to_rfc3339(),
    }
}

/// Hundredths of a point as a number (`1050` → `10.5`).
fn points(hundredths: i64) -> ApiResult<Number> {
    openentry_domain::money::format_short(hundredths, 2)
        .parse::<Number>()
        .map_err(|e| ApiError::Internal(e.into()))
}

/// A page of live users, newest first, whose login contains `search` (case-insensitively).
pub(crate) async fn list(
    state: &AppState,
    search: Option<&str>,
    page: Paging,
) -> ApiResult<AdminUsers> {
    let needle = search.map(login::normalize).filter(|s| !s.is_empty());
    if needle.as_ref().is_some_and(|s| s.len() > 256) {
        return Err(ApiError::BadRequest(
            "q is at most 256 bytes (a part of a login)".to_owned(),
        ));
    }
    let (rows, total) =
        openentry_store::user_admin::list(&state.db, needle.as_deref(), page).await?;
    let project = state.project();
    let items = rows.into_iter().map(|u| summary(&project, u)).collect();
    Ok(AdminUsers { items, total })
}

async fn record(state: &AppState, id: i64) -> ApiResult<UserRecord> {
    openentry_store::users::get(&state.db, id)
        .await?
        .ok_or_else(|| not_found(id))
}

fn listed(project: &Project, u: &UserRecord) -> AdminUser {
    let s = UserSummary {
        id: u.id,
        identifier: u.identifier.clone(),
        provider_id: u.provider_id,
        is_active: u.is_active,
        blocked_at: u.blocked_at,
        created_at: u.created_at,
    };
    summary(project, s)
}

/// One live user with their form data and bonus balance.
pub(crate) async fn get(state: &AppState, id: i64) -> ApiResult<AdminUserDetail> {
    let u = record(state, id).await?;
    let balance = crate::orders::bonus::balance(state, state.db.conn().await?, id).await?;
    let project = state.project();
    Ok(AdminUserDetail {
        user: listed(&project, &u),
        form_identifier: u.form_identifier,
        form_data: u.form_data,
        notification_data: serde_json::to_value(&u.notification_data)
            .map_err(|e| ApiError::Internal(e.into()))?,
        locale: u.locale,
        bonus_balance: points(balance)?,
    })
}

/// Blocks or unblocks a user; returns them before and after. Blocking ends every session in
/// the same transaction and tells the sockets to recheck (access tokens already fail: the
/// per-request session check refuses a blocked user).
pub(crate) async fn set_blocked(
    state: &AppState,
    id: i64,
    blocked: bool,
) -> ApiResult<(AdminUser, AdminUser)> {
    let project = state.project();
    let before = listed(&project, &record(state, id).await?);
    let now = state.now();
    let mut tx = state.db.begin().await?;
    if !openentry_store::user_admin::set_blocked(&mut tx, id, blocked, now).await? {
        return Err(not_found(id));
    }
    if blocked {
        openentry_store::signins::revoke_all(&mut tx, id, "blocked", now).await?;
    }
    tx.commit().await?;
    if blocked {
        crate::ws::revoked(state, id).await;
    }
    let after = listed(&project, &record(state, id).await?);
    Ok((before, after))
}

/// Sends the user a one-time code for [`RESET_EVENT`] through the code flow: with it the user
/// sets a new password with `changePassword`. The code goes to the user only.
pub(crate) async fn reset(state: &AppState, id: i64) -> ApiResult<ResetSent> {
    let u = record(state, id).await?;
    let project = state.project();
    let provider = project
        .providers
        .by_id(u.provider_id)
        .ok_or_else(|| ApiError::Conflict(format!("User {id}'s auth provider is gone")))?;
    let to = crate::auth::codes::recipient(&u);
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let m =
        crate::auth::codes::issue(state, &mut tx, provider, u.id, &to, RESET_EVENT, now).await?;
    tx.commit().await?;
    state.notifier.deliver(&m);
    Ok(ResetSent {
        event_identifier: RESET_EVENT.to_owned(),
        sent_to: to,
    })
}

/// A user's bonus ledger, oldest first, after writing off what expired, and the balance.
pub(crate) async fn bonus(state: &AppState, id: i64) -> ApiResult<BonusLedger> {
    record(state, id).await?;
    let balance = crate::orders::bonus::balance(state, state.db.conn().await?, id).await?;
    let entries = openentry_store::bonus::history(&state.db, id)
        .await?
        .into_iter()
        .map(|e| {
            Ok(BonusEntry {
                id: e.id,
                amount: points(e.amount)?,
                kind: e.kind,
                discount: e.discount,
                order_id: e.order_id,
                comment: e.comment,
                is_admin: e.by_admin,
                created_at: Timestamp(e.created_at).to_rfc3339(),
                expires_at: e.expires_at.map(|t| Timestamp(t).to_rfc3339()),
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(BonusLedger {
        balance: points(balance)?,
        entries,
    })
}

//! What the management routes do with accounts: the operator's own profile, password and
//! second factor, and an owner's changes to other accounts.

use openentry_domain::operators::Role;
use openentry_domain::password;
use openentry_store::operators as store;
use openentry_types::operators::{
    MeView, NewOperatorBody, OperatorChange, OperatorView, PasswordChange, TotpConfirm,
    TotpEnrolment,
};

use super::{Operator, accounts, sessions, totp};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The account behind a console session; API tokens have none.
pub(crate) fn own_account(op: &Operator) -> ApiResult<i64> {
    op.account.ok_or_else(|| {
        ApiError::BadRequest(
            "An API token has no account of its own: sign in as an operator for this".to_owned(),
        )
    })
}

async fn load(state: &AppState, id: i64) -> ApiResult<store::OperatorRecord> {
    store::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No operator with id {id}")))
}

/// Every account, by id.
pub(crate) async fn list(state: &AppState) -> ApiResult<Vec<OperatorView>> {
    store::list_all(&state.db)
        .await?
        .iter()
        .map(accounts::view)
        .collect()
}

/// Who the credential acts as.
pub(crate) async fn me(state: &AppState, op: &Operator) -> ApiResult<MeView> {
    let account = match op.account {
        Some(id) => Some(accounts::view(&load(state, id).await?)?),
        None => None,
    };
    Ok(MeView {
        actor: op.actor.clone(),
        role: op.role,
        account,
    })
}

/// Changes the operator's own password (the current one is checked) and ends every session
/// of the account, this one included.
pub(crate) async fn change_own_password(
    state: &AppState,
    op: &Operator,
    body: PasswordChange,
) -> ApiResult<()> {
    let id = own_account(op)?;
    let account = load(state, id).await?;
    let ok = password::fits_for_verification(&body.current)
        && state
            .passwords
            .verify(body.current, Some(account.password_hash))
            .await?;
    if !ok {
        return Err(ApiError::Forbidden(
            "The current password is wrong".to_owned(),
        ));
    }
    set_password(state, id, body.new).await
}

async fn set_password(state: &AppState, id: i64, new: String) -> ApiResult<()> {
    password::check_new_password(&new)
        .map_err(|e| ApiError::BadRequest(format!("The password is not accepted: {e}")))?;
    let hash = state.passwords.hash(new).await?;
    store::set_password(&state.db, id, &hash, state.now()).await?;
    sessions::sign_out_everywhere(state, id).await?;
    Ok(())
}

/// A fresh secret to enrol; nothing is stored until it is confirmed with a code.
pub(crate) async fn enrol_totp(state: &AppState, op: &Operator) -> ApiResult<TotpEnrolment> {
    let account = load(state, own_account(op)?).await?;
    let (secret, url) = totp::new_secret(&account.login)?;
    Ok(TotpEnrolment { secret, url })
}

/// Turns the second factor on once the app shows the right code for the enrolled secret.
pub(crate) async fn confirm_totp(
    state: &AppState,
    op: &Operator,
    body: &TotpConfirm,
) -> ApiResult<()> {
    let id = own_account(op)?;
    let secret = body.secret.trim().to_ascii_uppercase();
    if totp_rs::Secret::try_from_base32(&secret).is_err() || secret.len() < 26 {
        return Err(ApiError::BadRequest(
            "The secret must be the base32 text from POST /api/admin/me/totp".to_owned(),
        ));
    }
    store::set_totp(&state.db, id, Some(&secret), state.now()).await?;
    if !totp::accept(state, id, &secret, &body.code, state.now()).await? {
        store::set_totp(&state.db, id, None, state.now()).await?;
        return Err(ApiError::BadRequest(
            "The code does not match the secret: check the authenticator app's clock".to_owned(),
        ));
    }
    Ok(())
}

/// An owner creates an account.
pub(crate) async fn create(
    state: &AppState,
    op: &Operator,
    body: NewOperatorBody,
) -> ApiResult<OperatorView> {
    accounts::check_grant(op, body.role)?;
    accounts::create(
        &state.db,
        &state.passwords,
        &body.login,
        body.password,
        body.role,
        state.now(),
    )
    .await
}

/// An owner changes an account; returns (before, after).
pub(crate) async fn change(
    state: &AppState,
    op: &Operator,
    id: i64,
    body: OperatorChange,
) -> ApiResult<(OperatorView, OperatorView)> {
    if let Some(new) = &body.password {
        // Checked before anything changes, so a refused password changes nothing.
        password::check_new_password(new)
            .map_err(|e| ApiError::BadRequest(format!("The password is not accepted: {e}")))?;
    }
    let account = load(state, id).await?;
    let before = accounts::view(&account)?;
    let role = body.role.unwrap_or(before.role);
    let blocked = body.blocked.unwrap_or(before.blocked);
    accounts::check_grant(op, role)?;
    if before.role == Role::Owner && (role != Role::Owner || blocked) {
        accounts::keep_an_owner(&state.db, &account).await?;
    }
    store::set_access(&state.db, id, role.as_str(), blocked, state.now()).await?;
    if blocked && !before.blocked {
        sessions::sign_out_everywhere(state, id).await?;
    }
    if let Some(new) = body.password {
        set_password(state, id, new).await?;
    }
    if body.totp == Some(false) {
        store::set_totp(&state.db, id, None, state.now()).await?;
    } else if body.totp == Some(true) && account.totp_secret.is_none() {
        return Err(ApiError::BadRequest(
            "A second factor is turned on by its operator (POST then PUT /api/admin/me/totp)"
                .to_owned(),
        ));
    }
    Ok((before, accounts::view(&load(state, id).await?)?))
}

/// An owner deletes an account (never the last owner).
pub(crate) async fn delete(state: &AppState, id: i64) -> ApiResult<OperatorView> {
    let account = load(state, id).await?;
    accounts::keep_an_owner(&state.db, &account).await?;
    store::delete(&state.db, id).await?;
    accounts::view(&account)
}

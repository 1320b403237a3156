//! Admin accounts: creation (by the CLI for the first owner, then by owners), the view the API
//! shows, and changes of role, blocking and password, with the rules that keep a project from
//! locking itself out.

use openentry_domain::clock::Timestamp;
use openentry_domain::operators::{Role, may_grant};
use openentry_domain::{login, password};
use openentry_store::operators::{self as store, NewOperator, OperatorRecord};
use openentry_store::{Db, StoreError};
use openentry_types::operators::OperatorView;

use super::Operator;
use crate::auth::passwords::Passwords;
use crate::error::{ApiError, ApiResult};

/// The longest login an operator may have.
const MAX_LOGIN: usize = 64;

/// Creates an account with a checked login and password; the first account of a project is
/// created by `openentry admin create`, later ones by an owner.
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    login_text: &str,
    new_password: String,
    role: Role,
    now: Timestamp,
) -> ApiResult<OperatorView> {
    let login_text = login_text.trim();
    if login_text.is_empty()
        || login_text.chars().count() > MAX_LOGIN
        || login_text.chars().any(char::is_control)
    {
        return Err(ApiError::BadRequest(format!(
            "The login must be 1 to {MAX_LOGIN} characters without control characters"
        )));
    }
    password::check_new_password(&new_password)
        .map_err(|e| ApiError::BadRequest(format!("The password is not accepted: {e}")))?;
    let hash = passwords.hash(new_password).await?;
    let key = login::normalize(login_text);
    let row = NewOperator {
        login: login_text,
        login_key: &key,
        password_hash: &hash,
        role: role.as_str(),
    };
    let id = store::insert(db, &row, now).await.map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::Conflict(format!(
            "An operator with the login {login_text} exists already"
        )),
        other => other.into(),
    })?;
    let record = store::get(db, id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("operator {id} vanished")))?;
    view(&record)
}

/// What the API shows of an account.
pub(crate) fn view(r: &OperatorRecord) -> ApiResult<OperatorView> {
    Ok(OperatorView {
        id: r.id,
        login: r.login.clone(),
        role: role_of(&r.role)?,
        totp: r.totp_secret.is_some(),
        blocked: r.blocked,
        created_at: Timestamp(r.created_at).to_rfc3339(),
    })
}

/// A stored role name; an unknown one is a broken row, not a client error.
pub(crate) fn role_of(name: &str) -> ApiResult<Role> {
    name.parse()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored operator role: {e}")))
}

/// Refuses handing out `target` unless the actor may.
pub(crate) fn check_grant(actor: &Operator, target: Role) -> ApiResult<()> {
    if may_grant(actor.role, target) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "The role {} may not give the role {target}",
            actor.role
        )))
    }
}

/// Refuses a change that would leave no unblocked owner: demoting, blocking or deleting the
/// last one.
pub(crate) async fn keep_an_owner(db: &Db, account: &OperatorRecord) -> ApiResult<()> {
    if account.role == Role::Owner.as_str()
        && !account.blocked
        && store::count_other_owners(db, account.id).await? == 0
    {
        return Err(ApiError::Conflict(
            "This is the last owner: make another operator owner first".to_owned(),
        ));
    }
    Ok(())
}

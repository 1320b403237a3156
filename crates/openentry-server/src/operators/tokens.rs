//! API tokens: created by owners with a role, shown once, stored as their SHA-256, revocable.

use openentry_domain::clock::Timestamp;
use openentry_store::StoreError;
use openentry_store::operators::tokens::{self as store, TokenRecord};
use openentry_types::audit::{CreatedToken, NewTokenBody, TokenView};

use super::{Operator, accounts};
use crate::auth::tokens::{new_refresh_token, refresh_hash};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Every API token starts so, which tells a leaked one apart in logs and secret scanners.
const PREFIX: &str = "oe_";

/// Creates a token with the actor's permission to hand out its role.
pub(crate) async fn create(
    state: &AppState,
    actor: &Operator,
    body: &NewTokenBody,
) -> ApiResult<CreatedToken> {
    accounts::check_grant(actor, body.role)?;
    let name = body.name.trim();
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::BadRequest(
            "A token's name is 1 to 64 visible ASCII characters".to_owned(),
        ));
    }
    let (secret, _) = new_refresh_token()?;
    let token = format!("{PREFIX}{secret}");
    let now = state.now();
    let id = store::insert(
        &state.db,
        name,
        &refresh_hash(&token),
        body.role.as_str(),
        &actor.actor,
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict(_) => ApiError::Conflict(format!("A token named {name} exists")),
        other => other.into(),
    })?;
    let view = TokenView {
        id,
        name: name.to_owned(),
        role: body.role,
        created_by: actor.actor.clone(),
        created_at: now.to_rfc3339(),
        last_used_at: None,
        revoked_at: None,
    };
    Ok(CreatedToken { view, token })
}

/// Every token, newest first, never a secret.
pub(crate) async fn list(state: &AppState) -> ApiResult<Vec<TokenView>> {
    store::list_all(&state.db).await?.iter().map(view).collect()
}

/// Revokes a live token (404 when there is none with this id).
pub(crate) async fn revoke(state: &AppState, id: i64) -> ApiResult<()> {
    if store::revoke(&state.db, id, state.now()).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "No live API token with id {id}"
        )))
    }
}

/// What the API shows of a token.
pub(crate) fn view(r: &TokenRecord) -> ApiResult<TokenView> {
    Ok(TokenView {
        id: r.id,
        name: r.name.clone(),
        role: accounts::role_of(&r.role)?,
        created_by: r.created_by.clone(),
        created_at: Timestamp(r.created_at).to_rfc3339(),
        last_used_at: r.last_used_at.map(|t| Timestamp(t).to_rfc3339()),
        revoked_at: r.revoked_at.map(|t| Timestamp(t).to_rfc3339()),
    })
}

/// The operator a Bearer API token acts as, if it is a live one.
pub(crate) async fn authenticate(state: &AppState, given: &str) -> ApiResult<Option<Operator>> {
    if !given.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(record) = store::get_live(&state.db, &refresh_hash(given)).await? else {
        return Ok(None);
    };
    let now = state.now();
    if record.last_used_at.is_none_or(|t| now.0 - t >= 60_000) {
        store::touch(&state.db, record.id, now).await?;
    }
    Ok(Some(Operator {
        account: None,
        actor: format!("token:{}", record.name),
        role: accounts::role_of(&record.role)?,
    }))
}

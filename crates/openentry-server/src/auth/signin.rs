//! `auth`, `refresh`, `logout`, `logoutAll` and the session list.

use openentry_domain::clock::Timestamp;
use openentry_domain::{login, password};
use openentry_store::signins::{NewSignin, Rotation};
use openentry_types::auth::{ActiveSession, AuthRequest, AuthResponse, DeviceInfo, RefreshRequest};

use super::limits::{self, Budget, BudgetKind};
use super::provider::{find_provider, login_form, open_provider};
use super::signup::{Credentials, credentials};
use super::tokens::{new_refresh_token, refresh_hash};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Client, CurrentUser};
use crate::project::Provider;
use crate::state::AppState;

/// The one answer for a wrong password and an unknown login. 403, not 401: a 401 would make the
/// SDK try a token refresh first and then repeat the sign-in (docs/wire.md §2).
fn wrong_credentials() -> ApiError {
    ApiError::Forbidden("Wrong login or password".to_owned())
}

/// The answer to a blocked user's right password (docs/decisions.md, "Users' data under
/// /api/admin").
fn blocked() -> ApiError {
    ApiError::Forbidden("This account is blocked; contact the shop".to_owned())
}

fn throttled(retry_after_secs: i64) -> ApiError {
    ApiError::TooManyRequests {
        message: format!("Too many failed sign-in attempts; try again in {retry_after_secs} s"),
        retry_after_secs,
    }
}

/// Signs a user in with login and password.
///
/// The attempt is reserved in the address's anonymous budget and in the account's and the
/// address's failure budgets before the password is hashed (`limits::reserve_all`, one
/// transaction); a success gives the failures back.
pub(crate) async fn auth(
    state: &AppState,
    marker: &str,
    req: AuthRequest,
    client: Client,
) -> ApiResult<AuthResponse> {
    let project = state.project();
    let provider = open_provider(&project, marker)?;
    let (_, lf, pf) = login_form(&project, provider, marker)?;
    let creds = credentials(&req.auth_data, &lf.marker, &pf.marker)?;
    let login_key = login::normalize(limits::checked_login(&creds.login, "The login")?);
    let account_key = format!("acct:{}:{login_key}", provider.id);
    let address = client.ip.map(openentry_domain::net::budget_key);
    let address_key = address.as_ref().map(|a| format!("ip:{a}"));
    let now = state.now();
    let budgets = signin_budgets(state, &client, &account_key, address_key.as_deref());
    if let Err((kind, retry)) = limits::reserve_all(state, &budgets, now).await? {
        tracing::warn!(throttle = kind.as_str(), provider = marker, login = %login_key, address = ?address, retry_after_secs = retry, "throttle tripped: sign-in refused");
        return Err(if kind == BudgetKind::Anonymous {
            limits::too_many_anonymous(retry)
        } else {
            throttled(retry)
        });
    }
    let failure_keys: Vec<&str> = std::iter::once(account_key.as_str())
        .chain(address_key.as_deref())
        .collect();
    let user = openentry_store::users::get_by_login(&state.db, provider.id, &login_key).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let ok = match verify_password(state, &creds, hash).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not evaluated (e.g. the hashing queue is full): the attempt does not count.
            openentry_store::throttle::forgive(&state.db, &[], &failure_keys).await?;
            return Err(e);
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        // The failure stays counted: it was reserved above.
        tracing::info!(provider = marker, login = %login_key, address = ?address, "sign-in failed: wrong login or password");
        return Err(wrong_credentials());
    };
    // A success clears the account's failures and gives the address its attempt back.
    openentry_store::throttle::forgive(&state.db, &[&account_key], &failure_keys[1..]).await?;
    if user.blocked_at.is_some() {
        // Told only to whoever knows the password: the shop, not the form, must answer why.
        tracing::info!(
            provider = marker,
            user_id = user.id,
            "sign-in refused: the account is blocked"
        );
        return Err(blocked());
    }
    if !user.is_active {
        return Err(ApiError::Forbidden(
            "This account is not activated yet: confirm it with the code that was sent to you"
                .to_owned(),
        ));
    }
    if state.passwords.needs_rehash(&user.password_hash) {
        let hash = state.passwords.hash(creds.password).await?;
        openentry_store::users::rehash_password(&state.db, user.id, &hash, now).await?;
    }
    start_session(
        state,
        provider,
        user.id,
        &user.identifier,
        &client.device,
        now,
    )
    .await
}

/// The budgets a sign-in reserves, all in one reservation (one flush): the address's anonymous
/// writes, the account's and the address's failures. Throttled answers are the same whether or
/// not the account exists.
pub(crate) fn signin_budgets(
    state: &AppState,
    client: &Client,
    account_key: &str,
    address_key: Option<&str>,
) -> Vec<Budget> {
    let t = &state.config;
    let mut budgets: Vec<Budget> = limits::anonymous_budget(state, client)
        .into_iter()
        .collect();
    budgets.push(Budget {
        kind: BudgetKind::Account,
        key: account_key.to_owned(),
        policy: t.account_throttle,
        give_back: true,
    });
    if let Some(k) = address_key {
        budgets.push(Budget {
            kind: BudgetKind::Address,
            key: k.to_owned(),
            policy: t.address_throttle,
            give_back: true,
        });
    }
    budgets
}

/// Whether `creds.password` matches `hash` (`None`: no such user, which costs the same hashing
/// time). A password too long to verify is wrong without hashing.
async fn verify_password(
    state: &AppState,
    creds: &Credentials,
    hash: Option<String>,
) -> ApiResult<bool> {
    if password::fits_for_verification(&creds.password) {
        state.passwords.verify(creds.password.clone(), hash).await
    } else {
        Ok(false)
    }
}

async fn start_session(
    state: &AppState,
    provider: &Provider,
    user_id: i64,
    identifier: &str,
    device: &DeviceInfo,
    now: Timestamp,
) -> ApiResult<AuthResponse> {
    let (refresh, hash) = new_refresh_token()?;
    let device = serde_json::to_string(device).map_err(|e| ApiError::Internal(e.into()))?;
    let session = NewSignin {
        user_id,
        device: &device,
        expires_at: now.plus_secs(provider.def.refresh_token_ttl_secs),
        refresh_hash: &hash,
    };
    let session_id = openentry_store::signins::insert(&state.db, &session, now).await?;
    let access = state.keys.sign(
        user_id,
        session_id,
        &provider.def.identifier,
        now,
        provider.def.access_token_ttl_secs,
    )?;
    Ok(AuthResponse {
        user_identifier: identifier.to_owned(),
        auth_provider_identifier: provider.def.identifier.clone(),
        access_token: access,
        refresh_token: refresh,
    })
}

fn invalid_refresh() -> ApiError {
    ApiError::Unauthorized(
        "The refresh token is not valid (expired, used or revoked); sign in again".to_owned(),
    )
}

/// Rotates a refresh token. The marker must name a provider, but the session need not be of
/// it: the SDK refreshes at its configured `providerMarker` whatever provider signed in.
pub(crate) async fn refresh(
    state: &AppState,
    marker: &str,
    req: RefreshRequest,
) -> ApiResult<AuthResponse> {
    let project = state.project();
    find_provider(&project, marker)?;
    let token = req
        .refresh_token
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .ok_or_else(invalid_refresh)?;
    let now = state.now();
    let (next, next_hash) = new_refresh_token()?;
    let live =
        match openentry_store::signins::rotate(&state.db, &refresh_hash(&token), &next_hash, now)
            .await?
        {
            Rotation::Rotated(live) => live,
            Rotation::Reused => {
                tracing::warn!("a spent refresh token was presented again; its session is revoked");
                return Err(invalid_refresh());
            }
            Rotation::Invalid => return Err(invalid_refresh()),
        };
    let user = openentry_store::users::get(&state.db, live.user_id)
        .await?
        .ok_or_else(invalid_refresh)?;
    let provider = project
        .providers
        .by_id(user.provider_id)
        .ok_or_else(invalid_refresh)?;
    let access = state.keys.sign(
        user.id,
        live.session_id,
        &provider.def.identifier,
        now,
        provider.def.access_token_ttl_secs,
    )?;
    Ok(AuthResponse {
        user_identifier: user.identifier,
        auth_provider_identifier: provider.def.identifier.clone(),
        access_token: access,
        refresh_token: next,
    })
}

/// Ends the caller's session (and the session of the given refresh token, if it is theirs).
pub(crate) async fn logout(
    state: &AppState,
    user: &CurrentUser,
    req: RefreshRequest,
) -> ApiResult<bool> {
    let now = state.now();
    if let Some(token) = req
        .refresh_token
        .filter(|t| !t.is_empty() && t.len() <= 256)
        && let Some(sid) =
            openentry_store::signins::get_by_token(&state.db, &refresh_hash(&token)).await?
    {
        openentry_store::signins::revoke(&state.db, user.user_id, sid, "logout", now).await?;
    }
    openentry_store::signins::revoke(&state.db, user.user_id, user.session_id, "logout", now)
        .await?;
    crate::ws::revoked(state, user.user_id).await;
    Ok(true)
}

/// Ends every session of the caller.
pub(crate) async fn logout_all(state: &AppState, user: &CurrentUser) -> ApiResult<bool> {
    let mut tx = state.db.begin().await?;
    openentry_store::signins::revoke_all(&mut tx, user.user_id, "logout-all", state.now()).await?;
    tx.commit().await?;
    crate::ws::revoked(state, user.user_id).await;
    Ok(true)
}

/// The caller's live sessions.
pub(crate) async fn sessions(
    state: &AppState,
    user: &CurrentUser,
) -> ApiResult<Vec<ActiveSession>> {
    let rows = openentry_store::signins::list_live(&state.db, user.user_id, state.now()).await?;
    Ok(rows
        .into_iter()
        .map(|r| ActiveSession {
            id: r.id,
            device_info: r.device,
            created_date: Timestamp(r.created_at).to_rfc3339(),
            is_current: r.id == user.session_id,
        })
        .collect())
}

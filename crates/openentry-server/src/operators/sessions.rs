//! Console sessions: sign-in with password (and TOTP when set) under the same throttles as
//! users, a random cookie value stored only as its hash, a CSRF token per session, idle and
//! absolute ends, sign-out and sign-out everywhere.

use http::{HeaderMap, HeaderValue};
use openentry_domain::clock::Timestamp;
use openentry_domain::{login, password};
use openentry_store::operators::sessions::{self as store, LiveSession, NewSession};
use openentry_types::operators::SignInBody;

use super::{Operator, accounts, totp};
use crate::auth::limits;
use crate::auth::signin::signin_budgets;
use crate::auth::tokens::{new_refresh_token, refresh_hash};
use crate::error::{ApiError, ApiResult};
use crate::extract::Client;
use crate::state::AppState;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "openentry_admin";

/// A session just opened.
#[derive(Debug)]
pub(crate) struct Opened {
    /// Who signed in.
    pub(crate) operator: Operator,
    /// The `Set-Cookie` header carrying the session.
    pub(crate) set_cookie: HeaderValue,
    /// The session's CSRF token.
    pub(crate) csrf: String,
    /// The absolute end.
    pub(crate) expires_at: Timestamp,
    /// The account's view.
    pub(crate) view: openentry_types::operators::OperatorView,
}

/// The session a request carries.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    /// Who.
    pub(crate) operator: Operator,
    /// The session's id.
    pub(crate) session_id: i64,
    /// The session's CSRF token.
    pub(crate) csrf: String,
}

fn wrong_credentials() -> ApiError {
    ApiError::Forbidden("Wrong login, password or second-factor code".to_owned())
}

/// Signs an operator in. Unknown logins cost the same hashing time as known ones, and every
/// refusal (unknown login, wrong password, blocked account, missing or wrong code) has one
/// answer, so none tells whether the login exists.
pub(crate) async fn sign_in(
    state: &AppState,
    client: &Client,
    body: SignInBody,
) -> ApiResult<Opened> {
    let key = login::normalize(limits::checked_login(&body.login, "The login")?);
    let account_key = format!("op:{key}");
    let address_key = client
        .ip
        .map(|ip| format!("ip:{}", openentry_domain::net::budget_key(ip)));
    let now = state.now();
    let budgets = signin_budgets(state, client, &account_key, address_key.as_deref());
    if let Err((kind, retry)) = limits::reserve_all(state, &budgets, now).await? {
        tracing::warn!(throttle = kind.as_str(), login = %key, "throttle tripped: operator sign-in refused");
        return Err(ApiError::TooManyRequests {
            message: format!("Too many failed sign-in attempts; try again in {retry} s"),
            retry_after_secs: retry,
        });
    }
    let failures: Vec<&str> = std::iter::once(account_key.as_str())
        .chain(address_key.as_deref())
        .collect();
    let account = openentry_store::operators::get_by_login(&state.db, &key).await?;
    let hash = account.as_ref().map(|a| a.password_hash.clone());
    let ok = if password::fits_for_verification(&body.password) {
        match state.passwords.verify(body.password.clone(), hash).await {
            Ok(ok) => ok,
            Err(e) => {
                openentry_store::throttle::forgive(&state.db, &[], &failures).await?;
                return Err(e);
            }
        }
    } else {
        false
    };
    let Some(account) = account.filter(|a| ok && !a.blocked) else {
        tracing::info!(login = %key, "operator sign-in failed");
        return Err(wrong_credentials());
    };
    if let Some(secret) = &account.totp_secret {
        let code = body.totp.as_deref().unwrap_or_default();
        if !totp::accept(state, account.id, secret, code, now).await? {
            tracing::info!(login = %key, "operator sign-in failed: second factor");
            return Err(wrong_credentials());
        }
    }
    openentry_store::throttle::forgive(&state.db, &[&account_key], &failures[1..]).await?;
    open(state, &account, now).await
}

async fn open(
    state: &AppState,
    account: &openentry_store::operators::OperatorRecord,
    now: Timestamp,
) -> ApiResult<Opened> {
    let (value, hash) = new_refresh_token()?;
    let (csrf, _) = new_refresh_token()?;
    let settings = &state.config.operators;
    let expires_at = now.plus_secs(secs(settings.absolute));
    let row = NewSession {
        operator_id: account.id,
        token_hash: &hash,
        csrf_token: &csrf,
        expires_at,
    };
    store::insert(&state.db, &row, now).await?;
    let view = accounts::view(account)?;
    Ok(Opened {
        operator: Operator::account(account.id, &account.login, view.role),
        set_cookie: cookie(
            &value,
            Some(secs(settings.absolute)),
            settings.secure_cookie,
        )?,
        csrf,
        expires_at,
        view,
    })
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The `Set-Cookie` value: HttpOnly, SameSite=Strict, the whole site's path (the console at
/// `/admin` and the API at `/api/admin` share it), Secure behind TLS; no `max_age` clears it.
fn cookie(value: &str, max_age: Option<i64>, secure: bool) -> ApiResult<HeaderValue> {
    let mut text = format!(
        "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        max_age.unwrap_or(0)
    );
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).map_err(|e| ApiError::Internal(e.into()))
}

/// The live session behind the request's cookie, if any; a use restarts its idle clock
/// (written at most once a minute).
pub(crate) async fn current(state: &AppState, headers: &HeaderMap) -> ApiResult<Option<Current>> {
    let Some(value) = cookie_value(headers) else {
        return Ok(None);
    };
    let now = state.now();
    let idle_since = now.plus_secs(-secs(state.config.operators.idle));
    let Some(live) = store::get_live(&state.db, &refresh_hash(value), now, idle_since).await?
    else {
        return Ok(None);
    };
    if now.0 - live.last_seen_at >= 60_000 {
        store::touch(&state.db, live.session_id, now).await?;
    }
    current_of(&live).map(Some)
}

fn current_of(live: &LiveSession) -> ApiResult<Current> {
    Ok(Current {
        operator: Operator::account(
            live.operator_id,
            &live.login,
            accounts::role_of(&live.role)?,
        ),
        session_id: live.session_id,
        csrf: live.csrf_token.clone(),
    })
}

/// The session cookie's value, if the request has one.
fn cookie_value(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// Ends the request's session; the answer's `Set-Cookie` clears the cookie.
pub(crate) async fn sign_out(state: &AppState, current: &Current) -> ApiResult<HeaderValue> {
    store::revoke(&state.db, current.session_id, state.now()).await?;
    cookie("", None, state.config.operators.secure_cookie)
}

/// Ends every session of the account ("sign out everywhere").
pub(crate) async fn sign_out_everywhere(state: &AppState, account: i64) -> ApiResult<u64> {
    Ok(store::revoke_all(&state.db, account, state.now()).await?)
}

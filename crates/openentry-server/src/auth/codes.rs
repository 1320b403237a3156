//! One-time codes: `generateCode`, `checkCode`, `activateUser`, `changePassword`.
//!
//! Codes are random, stored as keyed hashes, expire, die after `max_attempts` wrong tries and
//! are single-use: `activateUser` and `changePassword` spend them, while `checkCode` only
//! verifies (apps call it before showing the new-password form). Answers never reveal whether a
//! login exists: an unknown login gets `true` from `generateCode` and `false` from `checkCode`.

use openentry_domain::clock::Timestamp;
use openentry_domain::codes::CodePolicy;
use openentry_domain::throttle::ThrottlePolicy;
use openentry_domain::{login, password};
use openentry_store::Tx;
use openentry_store::codes::CodeRecord;
use openentry_store::users::UserRecord;
use openentry_types::auth::{
    ActivateRequest, ChangePasswordRequest, CheckCodeRequest, GenerateCodeRequest,
};
use openentry_types::events::{DomainEvent, UserEvent};
use subtle::ConstantTimeEq;

use super::limits::{self, MAX_TOKEN_CHARS, checked_login};
use super::provider::open_provider;
use crate::error::{ApiError, ApiResult};
use crate::notify::{self, Message};
use crate::project::Provider;
use crate::state::AppState;

fn bad_code() -> ApiError {
    ApiError::BadRequest("The code is not valid or has expired; request a new one".to_owned())
}

fn check_event(event: &str) -> ApiResult<()> {
    let ok = !event.is_empty()
        && event.len() <= MAX_TOKEN_CHARS
        && event
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::BadRequest(
            "eventIdentifier must be 1-64 letters, digits, `_` or `-`".to_owned(),
        ))
    }
}

/// Makes a code, stores its hash and queues its message, in the caller's transaction.
pub(crate) async fn issue(
    state: &AppState,
    tx: &mut Tx,
    provider: &Provider,
    user_id: i64,
    recipient: &str,
    event: &str,
    now: Timestamp,
) -> ApiResult<Message> {
    let policy = CodePolicy::from(provider.def.codes);
    let random = super::random_bytes::<64>()?;
    let code = policy
        .make_code(&random)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("ran out of random bytes for a code")))?;
    let hash = state.keys.code_hash(user_id, event, &code);
    openentry_store::codes::issue(&mut *tx, user_id, event, &hash, now, policy.expires_at(now))
        .await?;
    let minutes = (policy.ttl_secs + 59) / 60;
    let message = Message {
        channel: "email",
        recipient: recipient.to_owned(),
        subject: format!("Your {} code", provider.def.identifier),
        body: format!("Your code is {code}. It is valid for {minutes} minutes. Event: {event}."),
        kind: format!("code:{event}"),
    };
    notify::enqueue(tx, &message, now).await?;
    let mail = crate::relay::codes::CodeMail {
        user_id,
        provider: &provider.def.identifier,
        purpose: event,
        code: &code,
        minutes,
        address: recipient,
        subject: &message.subject,
        text: &message.body,
    };
    crate::relay::codes::queue(state, tx, &mail, now)
        .await
        .map_err(ApiError::Internal)?;
    Ok(message)
}

async fn user(
    state: &AppState,
    provider: &Provider,
    login_value: &str,
) -> ApiResult<Option<UserRecord>> {
    let login_value = checked_login(login_value, "userIdentifier")?;
    Ok(
        openentry_store::users::get_by_login(
            &state.db,
            provider.id,
            &login::normalize(login_value),
        )
        .await?,
    )
}

pub(crate) fn recipient(u: &UserRecord) -> String {
    Some(&u.notification_data.email)
        .filter(|e| !e.is_empty())
        .unwrap_or(&u.identifier)
        .clone()
}

/// Claims the login's send slot, refusing with 429 while the resend cooldown runs. It counts
/// per login, existing or not, so it reveals nothing. The slot is claimed atomically in the
/// database, so racing requests on any number of nodes send one code per window.
pub(crate) async fn cooldown(
    state: &AppState,
    provider: &Provider,
    login_value: &str,
    now: Timestamp,
) -> ApiResult<()> {
    let policy = ThrottlePolicy {
        max_failures: 1,
        window_secs: provider.def.codes.resend_after_secs,
    };
    if policy.window_secs == 0 {
        return Ok(());
    }
    let key = format!("code:{}:{}", provider.id, login::normalize(login_value));
    let budget = limits::Budget {
        kind: limits::BudgetKind::CodeResend,
        key,
        policy,
        give_back: false,
    };
    if let Err((_, retry_after_secs)) = limits::reserve_all(state, &[budget], now).await? {
        tracing::info!(throttle = "code-resend", provider = %provider.def.identifier, retry_after_secs, "throttle tripped: code resend refused");
        return Err(ApiError::TooManyRequests {
            message: format!(
                "A code was sent moments ago; request another in {retry_after_secs} s"
            ),
            retry_after_secs,
        });
    }
    Ok(())
}

/// Sends a code to the login's notification address.
pub(crate) async fn generate(
    state: &AppState,
    marker: &str,
    req: GenerateCodeRequest,
) -> ApiResult<bool> {
    let project = state.project();
    let provider = open_provider(&project, marker)?;
    let login_value = checked_login(&req.user_identifier, "userIdentifier")?;
    check_event(&req.event_identifier)?;
    let now = state.now();
    cooldown(state, provider, login_value, now).await?;
    if let Some(u) = user(state, provider, &req.user_identifier).await? {
        let mut tx = state.db.begin().await?;
        let m = issue(
            state,
            &mut tx,
            provider,
            u.id,
            &recipient(&u),
            &req.event_identifier,
            now,
        )
        .await?;
        tx.commit().await?;
        state.notifier.deliver(&m);
    }
    Ok(true)
}

/// The live code matching `code`. The try is reserved in the database before the code is
/// compared, so at most `max_attempts` guesses are ever compared, however many race; a right
/// code gives its try back, a wrong one that used the last try kills the code.
async fn matching_code(
    state: &AppState,
    provider: &Provider,
    u: &UserRecord,
    event: Option<&str>,
    code: &str,
) -> ApiResult<Option<CodeRecord>> {
    let now = state.now();
    let code = code.trim();
    if code.is_empty() || code.chars().nth(MAX_TOKEN_CHARS).is_some() {
        return Ok(None);
    }
    let Some(live) = openentry_store::codes::get_live(&state.db, u.id, event, now).await? else {
        return Ok(None);
    };
    let max = provider.def.codes.max_attempts;
    if openentry_store::codes::reserve_attempt(&state.db, live.id, max, now)
        .await?
        .is_none()
    {
        tracing::info!(provider = %provider.def.identifier, user_id = u.id, "one-time code refused: no tries left");
        return Ok(None);
    }
    let expected = state.keys.code_hash(u.id, &live.event, code);
    if bool::from(expected.as_bytes().ct_eq(live.code_hash.as_bytes())) {
        openentry_store::codes::give_back_attempt(&state.db, live.id).await?;
        Ok(Some(live))
    } else {
        openentry_store::codes::close_if_exhausted(&state.db, live.id, max, now).await?;
        tracing::info!(provider = %provider.def.identifier, user_id = u.id, "one-time code refused: wrong code");
        Ok(None)
    }
}

/// Whether the code is right (does not spend it).
pub(crate) async fn check(
    state: &AppState,
    marker: &str,
    req: CheckCodeRequest,
) -> ApiResult<bool> {
    let project = state.project();
    let provider = open_provider(&project, marker)?;
    check_event(&req.event_identifier)?;
    let Some(u) = user(state, provider, &req.user_identifier).await? else {
        return Ok(false);
    };
    Ok(
        matching_code(state, provider, &u, Some(&req.event_identifier), &req.code)
            .await?
            .is_some(),
    )
}

/// Activates an account with its newest live code (whatever event it was sent for).
pub(crate) async fn activate(
    state: &AppState,
    marker: &str,
    req: ActivateRequest,
) -> ApiResult<bool> {
    let project = state.project();
    let provider = open_provider(&project, marker)?;
    let u = user(state, provider, &req.user_identifier)
        .await?
        .ok_or_else(bad_code)?;
    let code = matching_code(state, provider, &u, None, &req.code)
        .await?
        .ok_or_else(bad_code)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    if !openentry_store::codes::spend(&mut tx, code.id, now).await? {
        return Err(bad_code());
    }
    openentry_store::users::activate(&mut tx, u.id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Sets a new password with a code; every session of the user ends.
pub(crate) async fn change_password(
    state: &AppState,
    marker: &str,
    req: ChangePasswordRequest,
) -> ApiResult<bool> {
    let project = state.project();
    let provider = open_provider(&project, marker)?;
    check_event(&req.event_identifier)?;
    if !matches!(req.kind, Some(1 | 2)) {
        return Err(ApiError::BadRequest(
            "type must be 1 (change) or 2 (recovery)".to_owned(),
        ));
    }
    if req.password1 != req.password2 {
        return Err(ApiError::BadRequest(
            "password1 and password2 differ".to_owned(),
        ));
    }
    password::check_new_password(&req.password1).map_err(|e| limits::bad_request(&e))?;
    let u = user(state, provider, &req.user_identifier)
        .await?
        .ok_or_else(bad_code)?;
    let code = matching_code(state, provider, &u, Some(&req.event_identifier), &req.code)
        .await?
        .ok_or_else(bad_code)?;
    let hash = state.passwords.hash(req.password1).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    if !openentry_store::codes::spend(&mut tx, code.id, now).await? {
        return Err(bad_code());
    }
    openentry_store::users::set_password_hash(&mut tx, u.id, &hash, now).await?;
    openentry_store::signins::revoke_all(&mut tx, u.id, "password changed", now).await?;
    let changed = DomainEvent::PasswordChanged(UserEvent {
        user_id: u.id,
        provider: provider.def.identifier.clone(),
    });
    openentry_store::outbox::add(&mut tx, &changed, now).await?;
    tx.commit().await?;
    crate::ws::revoked(state, u.id).await;
    Ok(true)
}

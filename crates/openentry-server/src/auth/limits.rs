//! Limits of the anonymous auth routes: the per-address budget of anonymous writes, throttle
//! reservations, and the shape of logins and other identifiers, checked before anything is
//! looked up or stored (docs/decisions.md, "Anonymous abuse").

use openentry_domain::clock::Timestamp;
use openentry_domain::login;
use openentry_domain::throttle::{ThrottlePolicy, Verdict};
use openentry_store::throttle::Reservation;
use openentry_types::auth::NotificationData;
use openentry_types::form_data::FormDataItem;

use crate::error::{ApiError, ApiResult, sentence};
use crate::extract::Client;
use crate::state::AppState;
use crate::validate::shown;

/// Longest form marker, event identifier or one-time code echoed or compared.
pub(crate) const MAX_TOKEN_CHARS: usize = 64;

/// Which budget refused a request: named in the log and choosing the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BudgetKind {
    /// The address's anonymous writes.
    Anonymous,
    /// An account's failed sign-ins.
    Account,
    /// An address's failed sign-ins.
    Address,
    /// An account's code resends.
    CodeResend,
    /// An address's anonymous form submissions.
    FormAddress,
    /// A device's anonymous form submissions.
    FormDevice,
    /// A user's form submissions.
    FormUser,
}

impl BudgetKind {
    /// The name in the log.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Account => "account",
            Self::Address => "address",
            Self::CodeResend => "code-resend",
            Self::FormAddress => "form-address",
            Self::FormDevice => "form-device",
            Self::FormUser => "form-user",
        }
    }
}

/// One budget a request is subject to, for [`reserve_all`].
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    /// Which budget.
    pub(crate) kind: BudgetKind,
    /// Its key in the throttle table.
    pub(crate) key: String,
    /// Its limit.
    pub(crate) policy: ThrottlePolicy,
    /// Whether the reservation is given back when another budget refuses the request (a
    /// failure budget: the attempt was never evaluated). Request budgets keep it.
    pub(crate) give_back: bool,
}

/// Reserves one attempt in every budget at once (one transaction, so one flush however many
/// budgets) and decides on each; `Err((kind, retry_after_secs))` names the first spent one.
pub(crate) async fn reserve_all(
    state: &AppState,
    budgets: &[Budget],
    now: Timestamp,
) -> ApiResult<Result<(), (BudgetKind, i64)>> {
    let keys: Vec<Reservation<'_>> = budgets
        .iter()
        .map(|b| Reservation {
            key: &b.key,
            stale_before: b.policy.stale_before(now),
        })
        .collect();
    let counters = openentry_store::throttle::record_all(&state.db, &keys, now).await?;
    let refused = budgets
        .iter()
        .zip(&counters)
        .find_map(|(b, c)| match b.policy.admits(*c, now) {
            Verdict::Allowed => None,
            Verdict::Blocked { retry_after_secs } => Some((b.kind, retry_after_secs)),
        });
    let Some(refused) = refused else {
        return Ok(Ok(()));
    };
    let back: Vec<&str> = budgets
        .iter()
        .filter(|b| b.give_back && b.kind != refused.0)
        .map(|b| b.key.as_str())
        .collect();
    openentry_store::throttle::forgive(&state.db, &[], &back).await?;
    Ok(Err(refused))
}

/// The per-address budget of anonymous writes for `client`, when it has one.
pub(crate) fn anonymous_budget(state: &AppState, client: &Client) -> Option<Budget> {
    let policy = state.config.anonymous_budget;
    let ip = client.ip.filter(|_| policy.max_failures > 0)?;
    Some(Budget {
        kind: BudgetKind::Anonymous,
        key: format!("anon:{}", openentry_domain::net::budget_key(ip)),
        policy,
        give_back: false,
    })
}

/// The refusal of a spent anonymous budget.
pub(crate) fn too_many_anonymous(retry_after_secs: i64) -> ApiError {
    ApiError::TooManyRequests {
        message: format!("Too many requests from your address; try again in {retry_after_secs} s"),
        retry_after_secs,
    }
}

/// Counts one anonymous write of the caller's address (IPv6: its /64) and refuses with 429
/// once the address has spent its budget.
pub(crate) async fn anonymous_write(
    state: &AppState,
    client: &Client,
    route: &'static str,
) -> ApiResult<()> {
    let Some(budget) = anonymous_budget(state, client) else {
        return Ok(());
    };
    let address = budget.key.clone();
    if let Err((_, retry_after_secs)) = reserve_all(state, &[budget], state.now()).await? {
        tracing::warn!(
            throttle = "anonymous",
            route,
            address = %address,
            retry_after_secs,
            "throttle tripped: too many anonymous requests from one address"
        );
        return Err(too_many_anonymous(retry_after_secs));
    }
    Ok(())
}

/// A login or user identifier in the shape every lookup and key needs: at most 254
/// characters, no control characters. `field` names it in the 400.
pub(crate) fn checked_login<'a>(value: &'a str, field: &str) -> ApiResult<&'a str> {
    login::check(value)
        .map(|()| value.trim())
        .map_err(|e| ApiError::BadRequest(format!("{field}: {e}")))
}

/// A refusal message from a domain error's text.
pub(crate) fn bad_request(e: &impl std::fmt::Display) -> ApiError {
    ApiError::BadRequest(sentence(&e.to_string()))
}

/// Most bytes of a user's form data, as stored (JSON).
pub(crate) const MAX_FORM_DATA_BYTES: usize = 64 * 1024;
/// Most push tokens in `notificationData.phonePush`, and most bytes of one.
const MAX_PHONE_PUSH: usize = 10;
const MAX_PUSH_TOKEN_BYTES: usize = 4096;
/// Most characters of `notificationData.phoneSms` (E.164 has at most 15 digits).
const MAX_PHONE_SMS_CHARS: usize = 32;

/// Refuses form data larger than [`MAX_FORM_DATA_BYTES`] (each value is bounded by the form
/// checks, but a marker may repeat).
pub(crate) fn check_form_size(items: &[FormDataItem]) -> ApiResult<()> {
    let bytes = serde_json::to_vec(items).map_or(usize::MAX, |v| v.len());
    if bytes > MAX_FORM_DATA_BYTES {
        return Err(ApiError::BadRequest(format!(
            "formData must be smaller than {} KiB",
            MAX_FORM_DATA_BYTES / 1024
        )));
    }
    Ok(())
}

/// Trims and checks `notificationData`: an e-mail address (or nothing), a short phone number,
/// a few push tokens of bounded size.
pub(crate) fn notification_data(mut data: NotificationData) -> ApiResult<NotificationData> {
    data.email = data.email.trim().to_owned();
    data.phone_sms = data
        .phone_sms
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if !data.email.is_empty() && !login::is_email(&data.email) {
        return Err(ApiError::BadRequest(format!(
            "notificationData.email \"{}\" is not an e-mail address",
            shown(&data.email)
        )));
    }
    if data.phone_sms.as_ref().is_some_and(|p| {
        p.chars().nth(MAX_PHONE_SMS_CHARS).is_some() || p.chars().any(char::is_control)
    }) {
        return Err(ApiError::BadRequest(format!(
            "notificationData.phoneSms must be a phone number of at most {MAX_PHONE_SMS_CHARS} characters"
        )));
    }
    if data.phone_push.len() > MAX_PHONE_PUSH
        || data
            .phone_push
            .iter()
            .any(|t| t.len() > MAX_PUSH_TOKEN_BYTES || t.chars().any(char::is_control))
    {
        return Err(ApiError::BadRequest(format!(
            "notificationData.phonePush may hold at most {MAX_PHONE_PUSH} tokens of at most {MAX_PUSH_TOKEN_BYTES} bytes"
        )));
    }
    Ok(data)
}

//! Payments: accounts, sessions (offline accounts and Stripe), their lifecycle, provider
//! webhooks, and how a session's end moves its order.

pub(crate) mod accounts;
pub(crate) mod admin;
mod alerts;
pub(crate) mod lifecycle;
mod provider_job;
pub(crate) mod sessions;
pub(crate) mod stripe;
mod stripe_event;
pub(crate) mod webhook;
pub(crate) mod wire;

use crate::error::ApiError;

/// The one answer for a missing session and another user's session.
pub(crate) fn session_not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("Payment session {id} does not exist"))
}

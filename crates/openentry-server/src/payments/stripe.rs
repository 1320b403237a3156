//! Stripe's HTTP API: Checkout Sessions (`session`) and PaymentIntents (`intent`).
//!
//! Amounts go to Stripe in minor units, with metadata linking back to the order and the
//! session, and an idempotency key derived from the session id, so a retried call never
//! creates a second Checkout Session or PaymentIntent. The API base URL is configurable so
//! tests can point it at a local stand-in.

use openentry_domain::payments::SessionType;
use openentry_domain::project::{PaymentAccountDef, StripeDef};
use openentry_store::payments::PaymentSessionRecord;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What Stripe created.
#[derive(Debug, Clone)]
pub(crate) struct Created {
    /// `cs_…` or `pi_…`.
    pub(crate) reference: String,
    /// Checkout URL (sessions).
    pub(crate) url: Option<String>,
    /// Client secret (intents).
    pub(crate) client_secret: Option<String>,
}

#[derive(Deserialize)]
struct Answer {
    id: String,
    url: Option<String>,
    client_secret: Option<String>,
}

#[derive(Deserialize)]
struct ErrorAnswer {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    message: Option<String>,
}

/// The account's Stripe settings and secret key, or a message saying what is missing.
pub(crate) fn settings<'a>(
    state: &AppState,
    account: &'a PaymentAccountDef,
) -> ApiResult<(&'a StripeDef, String)> {
    let not_configured = |what: &str| {
        ApiError::Unavailable(format!(
            "Payment account \"{}\" is not configured: {what}",
            account.identifier
        ))
    };
    let stripe = account
        .stripe
        .as_ref()
        .ok_or_else(|| not_configured("it has no Stripe settings"))?;
    let key = state.config.secret(&stripe.secret_key_env).ok_or_else(|| {
        not_configured(&format!(
            "set {} to its Stripe secret key",
            stripe.secret_key_env
        ))
    })?;
    Ok((stripe, key))
}

/// Creates the provider object of a new session.
pub(crate) async fn open(
    state: &AppState,
    account: &PaymentAccountDef,
    session: &PaymentSessionRecord,
    timeout_minutes: i64,
    automatic_tax: bool,
) -> ApiResult<Created> {
    let (stripe, key) = settings(state, account)?;
    let (path, form) = request(stripe, session, timeout_minutes, automatic_tax);
    let url = format!(
        "{}{path}",
        state.config.stripe_api_base.trim_end_matches('/')
    );
    post(state, &url, &key, session.id, &form).await
}

/// The path and form that create the provider object of `session`: a PaymentIntent, or a
/// Checkout Session with our ids in the metadata of both it and its PaymentIntent.
fn request(
    stripe: &StripeDef,
    session: &PaymentSessionRecord,
    timeout_minutes: i64,
    automatic_tax: bool,
) -> (&'static str, Vec<(&'static str, String)>) {
    let order = session.order_id.to_string();
    let amount = session.amount_minor.to_string();
    let currency = session.currency.to_lowercase();
    let sid = session.id.to_string();
    let mut form: Vec<(&'static str, String)> = vec![
        ("metadata[order_id]", order.clone()),
        ("metadata[session_id]", sid.clone()),
    ];
    let path = if session.kind == SessionType::Intent {
        form.extend([
            ("amount", amount),
            ("currency", currency),
            ("automatic_payment_methods[enabled]", "true".to_owned()),
        ]);
        "/v1/payment_intents"
    } else {
        form.extend([
            ("mode", "payment".to_owned()),
            ("client_reference_id", order.clone()),
            ("line_items[0][quantity]", "1".to_owned()),
            ("line_items[0][price_data][currency]", currency),
            ("line_items[0][price_data][unit_amount]", amount),
            (
                "line_items[0][price_data][product_data][name]",
                format!("Order {order}"),
            ),
            (
                "success_url",
                stripe.success_url.replace("{ORDER_ID}", &order),
            ),
            (
                "cancel_url",
                stripe.cancel_url.replace("{ORDER_ID}", &order),
            ),
            ("payment_intent_data[metadata][order_id]", order.clone()),
            ("payment_intent_data[metadata][session_id]", sid.clone()),
            ("automatic_tax[enabled]", automatic_tax.to_string()),
        ]);
        // Stripe accepts Checkout expiry between 30 minutes and 24 hours; shorter timeouts
        // are enforced by our own expiry alone.
        if (30..=24 * 60).contains(&timeout_minutes) {
            form.push((
                "expires_at",
                (session.created_at / 1000 + timeout_minutes * 60).to_string(),
            ));
        }
        "/v1/checkout/sessions"
    };
    (path, form)
}

/// Sends the request to create a provider object; reads its answer.
async fn post(
    state: &AppState,
    url: &str,
    key: &str,
    sid: i64,
    form: &[(&str, String)],
) -> ApiResult<Created> {
    let response = state
        .http
        .post(url)
        .bearer_auth(key)
        .header("Idempotency-Key", format!("openentry-session-{sid}"))
        .form(form)
        .send()
        .await
        .map_err(|e| ApiError::Upstream(format!("Stripe could not be reached: {e}")))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| ApiError::Upstream(format!("Stripe's answer was cut off: {e}")))?;
    if !status.is_success() {
        let message = serde_json::from_slice::<ErrorAnswer>(&body)
            .ok()
            .and_then(|e| e.error.message)
            .unwrap_or_default();
        return Err(ApiError::Upstream(format!(
            "Stripe refused the payment ({status}): {message}"
        )));
    }
    let answer: Answer = serde_json::from_slice(&body)
        .map_err(|e| ApiError::Upstream(format!("Stripe answered something unexpected: {e}")))?;
    Ok(Created {
        reference: answer.id,
        url: answer.url,
        client_secret: answer.client_secret,
    })
}

/// Closes a session's provider object so it can no longer be paid: a Checkout Session is
/// expired, a PaymentIntent canceled. Best effort: if the customer pays anyway (or Stripe is
/// unreachable), completion is judged against the order as it is then, and a payment that
/// no longer covers the order becomes an operator alert, never a paid order.
pub(crate) async fn close(state: &AppState, account: &PaymentAccountDef, reference: &str) {
    let path = if reference.starts_with("cs_") {
        format!("/v1/checkout/sessions/{reference}/expire")
    } else if reference.starts_with("pi_") {
        format!("/v1/payment_intents/{reference}/cancel")
    } else {
        return;
    };
    let Ok((_, key)) = settings(state, account) else {
        return;
    };
    let url = format!(
        "{}{path}",
        state.config.stripe_api_base.trim_end_matches('/')
    );
    match state.http.post(&url).bearer_auth(key).send().await {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => {
            tracing::warn!(%reference, status = %r.status(), "Stripe did not close a replaced payment session");
        }
        Err(e) => {
            tracing::warn!(%reference, error = %e, "Stripe could not be reached to close a replaced payment session");
        }
    }
}

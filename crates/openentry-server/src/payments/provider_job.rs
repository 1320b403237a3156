//! Opening a session at the payment provider, in a task the request does not own (issue 10,
//! finding 10): the task stores the payment page and answers the idempotency key even if the
//! client went away or the request timed out meanwhile.

use openentry_domain::payments::SessionStatus;
use openentry_domain::project::PaymentAccountDef;
use openentry_store::idempotency;
use openentry_store::payments::{PaymentSessionRecord, ProviderRef};

use super::lifecycle::{self, Cause};
use super::{session_not_found, stripe, wire};
use crate::error::ApiResult;
use crate::idempotency::{self as idem, Stored};
use crate::state::AppState;

/// Opening a session at the provider, detached from the request that asked for it.
pub(crate) struct ProviderJob {
    pub(crate) state: AppState,
    pub(crate) account: PaymentAccountDef,
    pub(crate) session: PaymentSessionRecord,
    pub(crate) user_id: i64,
    pub(crate) key: Option<String>,
    pub(crate) automatic_tax: bool,
}

impl ProviderJob {
    pub(crate) async fn run(self) -> ApiResult<Stored> {
        let Self {
            state,
            account,
            session,
            user_id,
            key,
            automatic_tax,
        } = self;
        let timeout = account.session_timeout_minutes;
        let created = match stripe::open(&state, &account, &session, timeout, automatic_tax).await {
            Ok(c) => c,
            Err(e) => {
                let mut tx = state.db.begin().await?;
                lifecycle::transition(
                    &state,
                    &mut tx,
                    &session,
                    SessionStatus::Canceled,
                    Cause::SYSTEM,
                    state.now(),
                )
                .await?;
                if let Some(k) = &key {
                    idempotency::forget(&mut tx, user_id, k).await?;
                }
                tx.commit().await?;
                return Err(e);
            }
        };
        let provider = ProviderRef {
            reference: &created.reference,
            payment_url: created.url.as_deref(),
            client_secret: created.client_secret.as_deref(),
        };
        let mut tx = state.db.begin().await?;
        openentry_store::payments::set_provider(&mut tx, session.id, &provider, state.now())
            .await?;
        let stored = openentry_store::payments::get(&mut tx, session.id)
            .await?
            .ok_or_else(|| session_not_found(session.id))?;
        let answer = Stored::created(&wire::session(&state.project(), &stored)?)?;
        idem::complete(&mut tx, user_id, key.as_deref(), &answer).await?;
        tx.commit().await?;
        if stored.status != SessionStatus::Waiting {
            // Canceled while Stripe was opening it (the order changed): close it there too.
            stripe::close(&state, &account, &created.reference).await;
        }
        Ok(answer)
    }
}

//! Sessions and accounts as the SDK sees them.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::payments::SessionStatus;
use openentry_domain::project::AccountKind;
use openentry_store::payments::PaymentSessionRecord;
use openentry_types::payments::{PaymentAccount, PaymentSession};
use serde_json::Value;

use crate::error::ApiResult;
use crate::money::{number, stored};
use crate::project::Project;
use crate::wire::localize;

/// A session. Wire quirk: offline accounts answer `amount: null` (the seed's answer); Stripe
/// sessions carry the amount charged.
pub(crate) fn session(project: &Project, s: &PaymentSessionRecord) -> ApiResult<PaymentSession> {
    let offline = project
        .payment_accounts
        .by_id(s.account_id)
        .is_none_or(|a| a.def.kind == AccountKind::Custom);
    let amount = if offline {
        None
    } else {
        Some(number(stored(s.amount_minor, &s.currency)?)?)
    };
    Ok(PaymentSession {
        id: s.id,
        created_date: Timestamp(s.created_at).to_rfc3339(),
        updated_date: Timestamp(s.updated_at).to_rfc3339(),
        kind: s.kind.as_str().to_owned(),
        status: s.status.as_str().to_owned(),
        payment_account_id: s.account_id,
        order_id: s.order_id,
        amount,
        payment_url: s.payment_url.clone(),
        client_secret: s
            .client_secret
            .clone()
            .filter(|_| s.status == SessionStatus::Waiting),
    })
}

/// An account: public settings only, never keys or signing secrets.
pub(crate) fn account(project: &Project, id: i64) -> Option<PaymentAccount> {
    let a = project.payment_accounts.by_id(id)?;
    let used = project
        .order_storages
        .iter()
        .any(|s| s.def.payment_accounts.contains(&a.def.identifier));
    let mut settings = BTreeMap::from([(
        "sessionTimeout".to_owned(),
        Value::from(a.def.session_timeout_minutes),
    )]);
    if let Some(stripe) = &a.def.stripe {
        settings.insert(
            "successUrl".to_owned(),
            Value::from(stripe.success_url.clone()),
        );
        settings.insert(
            "cancelUrl".to_owned(),
            Value::from(stripe.cancel_url.clone()),
        );
    }
    Some(PaymentAccount {
        id: a.id,
        identifier: a.def.identifier.clone(),
        is_visible: a.def.visible,
        is_used: used,
        test_mode: a.def.test_mode,
        kind: a.def.kind.as_str().to_owned(),
        settings,
        localize_infos: localize(&a.def.title, project, &a.def.identifier),
        updated_date: Timestamp(a.updated_at).to_rfc3339(),
    })
}

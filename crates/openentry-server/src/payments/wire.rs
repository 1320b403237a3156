//! Sessions and accounts as the SDK sees them.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::money;
use openentry_store::payments::PaymentSessionRecord;
use openentry_types::payments::{PaymentAccount, PaymentSession};
use serde_json::Value;

use crate::orders::cart::number;
use crate::project::Project;
use crate::wire::localize;

/// A session. Wire quirk: offline accounts answer `amount: null` (the seed's answer); Stripe
/// sessions carry the amount charged.
pub(crate) fn session(project: &Project, s: &PaymentSessionRecord) -> PaymentSession {
    let offline = project
        .payment_account_by_id(s.account_id)
        .is_none_or(|a| a.def.kind == "custom");
    let amount = (!offline)
        .then(|| {
            money::exponent(&s.currency)
                .ok()
                .map(|e| number(s.amount_minor, e))
        })
        .flatten();
    PaymentSession {
        id: s.id,
        created_date: Timestamp(s.created_at).to_rfc3339(),
        updated_date: Timestamp(s.updated_at).to_rfc3339(),
        kind: s.kind.clone(),
        status: s.status.clone(),
        payment_account_id: s.account_id,
        order_id: s.order_id,
        amount,
        payment_url: s.payment_url.clone(),
        client_secret: s.client_secret.clone().filter(|_| s.status == "waiting"),
    }
}

/// An account: public settings only, never keys or signing secrets.
pub(crate) fn account(project: &Project, id: i64) -> Option<PaymentAccount> {
    let a = project.payment_account_by_id(id)?;
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
        kind: a.def.kind.clone(),
        settings,
        localize_infos: localize(&a.def.title, project, &a.def.identifier),
        updated_date: Timestamp(a.updated_at).to_rfc3339(),
    })
}

//! Who an event's e-mail goes to, and the deliveries that follow: the user the event is about
//! (`user`), the operators (`operators`: the `[[admins]]` profiles whose `email` attribute is
//! an address) and the users of a group (`group`). One delivery per address (an operator who is
//! also the customer gets one mail), each message rendered in the recipient's locale (the
//! user's, else the project's default) when the row is routed.

use std::collections::HashSet;

use openentry_domain::project::{EventDef, Recipient};
use openentry_store::deliveries::{NewDelivery, delivery_id};
use openentry_store::outbox::Event;
use openentry_store::users::UserRecord;

use super::context::{Facts, address_of};
use super::email::MailPayload;
use crate::state::AppState;

/// Users of a group read per query.
const PAGE: i64 = 500;

/// One recipient of an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Addressee {
    /// The address.
    pub(super) address: String,
    /// The locale its message is rendered in.
    pub(super) locale: String,
    /// The user it is, when it is one (the delivery log is read per user); operators are not.
    pub(super) user_id: Option<i64>,
}

/// The locale of a user's messages: theirs when the project serves it, else the default.
pub(super) fn locale_of(state: &AppState, u: &UserRecord) -> String {
    let project = state.project();
    if project.def.project.locales.contains(&u.locale) {
        u.locale.clone()
    } else {
        project.default_locale().to_owned()
    }
}

fn user_addressee(state: &AppState, u: &UserRecord) -> Option<Addressee> {
    Some(Addressee {
        address: address_of(u)?,
        locale: locale_of(state, u),
        user_id: Some(u.id),
    })
}

/// The operators' addresses: each admin profile's `email` value, when it is an address.
fn operators(state: &AppState) -> Vec<Addressee> {
    let project = state.project();
    let default = project.default_locale().to_owned();
    project
        .admins
        .iter()
        .filter_map(|a| {
            let value = a.def.values.get("email").or_else(|| {
                a.def
                    .localized_values
                    .values()
                    .find_map(|values| values.get("email"))
            })?;
            let address = value.as_text()?.trim().to_owned();
            openentry_domain::login::is_email(&address).then(|| Addressee {
                address,
                locale: default.clone(),
                user_id: None,
            })
        })
        .collect()
}

/// The users of `group`: every provider that puts users in it, page by page (e-mail
/// addresses them, push their devices).
pub(super) async fn group_users(state: &AppState, group: &str) -> anyhow::Result<Vec<UserRecord>> {
    let project = state.project();
    let mut out = Vec::new();
    for provider in project
        .providers
        .iter()
        .filter(|p| p.def.user_group == group)
    {
        let mut after = 0;
        loop {
            let page =
                openentry_store::audience::provider_users(&state.db, provider.id, after, PAGE)
                    .await?;
            let full = i64::try_from(page.len()).unwrap_or(0) == PAGE;
            let last = page.last().map(|u| u.id);
            out.extend(page);
            match last {
                Some(last) if full => after = last,
                _ => break,
            }
        }
    }
    Ok(out)
}

/// Everyone `e` goes to by e-mail, each address once; `skip_user` leaves out the user the
/// event is about (their one-time code mail was written with the code).
pub(super) async fn addressees(
    state: &AppState,
    e: &EventDef,
    facts: &Facts,
    skip_user: bool,
) -> anyhow::Result<Vec<Addressee>> {
    let mut all = Vec::new();
    for r in &e.recipients {
        match r {
            Recipient::User if !skip_user => {
                all.extend(facts.user.as_ref().and_then(|u| user_addressee(state, u)));
            }
            Recipient::Operators => all.extend(operators(state)),
            Recipient::Group => {
                if let Some(g) = &e.group {
                    let users = group_users(state, g).await?;
                    all.extend(users.iter().filter_map(|u| user_addressee(state, u)));
                }
            }
            // Subscribers are the catalog events' (their own routing); `user` when skipped.
            Recipient::User | Recipient::Subscribers => {}
        }
    }
    let mut seen = HashSet::new();
    all.retain(|a| seen.insert(a.address.to_lowercase()));
    Ok(all)
}

/// The e-mail deliveries of event `e` for outbox row `row`.
pub(super) async fn email_deliveries(
    state: &AppState,
    e: &EventDef,
    row: &Event,
    facts: &Facts,
) -> anyhow::Result<Vec<NewDelivery>> {
    let skip_user = e.condition == openentry_domain::project::Condition::CodeRequest;
    let project = state.project();
    let default = project.default_locale().to_owned();
    let mut out = Vec::new();
    for a in addressees(state, e, facts, skip_user).await? {
        let Some(message) = e.message(&a.locale, &default) else {
            continue;
        };
        let context = facts.context(state, &e.identifier, &a.locale);
        let rendered = match openentry_domain::notices::render_message(message, &context) {
            Ok(r) => r,
            Err(err) => {
                tracing::warn!(event = %e.identifier, error = %err, "an e-mail could not be rendered");
                continue;
            }
        };
        let target = a.address.to_lowercase();
        out.push(NewDelivery {
            id: delivery_id(row.id, &e.identifier, "email", &target),
            event: e.identifier.clone(),
            channel: "email".to_owned(),
            target,
            payload: MailPayload::new(&a, rendered).to_json(),
            user_id: a.user_id,
        });
    }
    Ok(out)
}

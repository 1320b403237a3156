//! Conversions from stored records and definitions to wire types.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_domain::project::Localized;
use openentry_store::users::UserRecord;
use openentry_types::auth::{AuthProvider, SignUpResponse};
use openentry_types::localized::{LocalizeInfos, Title};
use openentry_types::users::User;
use serde_json::Value;

use crate::project::{Project, Provider};

/// `{"en_US": {"title": …}}` from a definition's localized titles; a project locale without a
/// title gets the one fallback ([`Project::text_in`]), and `fallback` (an identifier) when there
/// is no title at all, so the SDK always finds its language.
pub(crate) fn localize(title: &Localized, project: &Project, fallback: &str) -> LocalizeInfos {
    let mut out: LocalizeInfos = title
        .iter()
        .map(|(k, v)| (k.clone(), Title { title: v.clone() }))
        .collect();
    for locale in &project.def.project.locales {
        out.entry(locale.clone()).or_insert_with(|| Title {
            title: project
                .text_in(title, locale)
                .unwrap_or(fallback)
                .to_owned(),
        });
    }
    out
}

/// A provider as the SDK sees it. Its `config` holds public settings only, as strings
/// (the platform's format); nothing secret is ever here.
pub(crate) fn provider(p: &Provider, project: &Project) -> AuthProvider {
    let d = &p.def;
    let s = |v: i64| Value::String(v.to_string());
    let config = BTreeMap::from([
        ("accessTokenTtlSec".to_owned(), s(d.access_token_ttl_secs)),
        (
            "refreshTokenTtlMc".to_owned(),
            s(d.refresh_token_ttl_secs.saturating_mul(1000)),
        ),
        ("systemCodeTlsSec".to_owned(), s(d.codes.ttl_secs)),
        (
            "systemCodeLength".to_owned(),
            s(i64::try_from(d.codes.length).unwrap_or(6)),
        ),
        (
            "systemCodeOnlyNumbers".to_owned(),
            Value::String(d.codes.digits_only.to_string()),
        ),
        ("deleteNoneActiveUsersAfterDays".to_owned(), Value::Null),
        ("oauthAuthUrl".to_owned(), Value::Null),
    ]);
    AuthProvider {
        id: p.id,
        identifier: d.identifier.clone(),
        kind: d.kind.as_str().to_owned(),
        form_identifier: Some(d.form.clone()),
        user_group_identifier: d.user_group.clone(),
        is_active: d.active,
        is_check_code: d.check_code,
        version: p.version,
        localize_infos: localize(&d.title, project, &d.identifier),
        config,
    }
}

/// The sign-up answer.
pub(crate) fn signed_up(u: &UserRecord) -> SignUpResponse {
    SignUpResponse {
        id: u.id,
        updated_date: Timestamp(u.updated_at).to_rfc3339(),
        version: u.version,
        identifier: u.identifier.clone(),
        is_active: u.is_active,
        form_data: u.form_data.clone(),
        notification_data: u.notification_data.clone(),
        locale: u.locale.clone(),
        created_date: Timestamp(u.created_at).to_rfc3339(),
        is_deleted: false,
    }
}

/// The `/users/me` answer.
pub(crate) fn user(u: &UserRecord, provider: &Provider) -> User {
    User {
        id: u.id,
        identifier: u.identifier.clone(),
        auth_provider_identifier: provider.def.identifier.clone(),
        form_data: u.form_data.clone(),
        form_identifier: u.form_identifier.clone(),
        // Wire quirk: a string. Orders do not exist yet, so nothing is counted.
        total: "0".to_owned(),
        groups: vec![provider.def.user_group.clone()],
        state: u.state.clone(),
        notification_data: u.notification_data.clone(),
    }
}

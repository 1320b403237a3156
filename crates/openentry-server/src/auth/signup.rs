//! `signUp`: a new user of a provider, checked against the provider's form.

use openentry_domain::form_data::without_spam;
use openentry_domain::project::{FieldDef, FieldKind};
use openentry_domain::{login, password};
use openentry_store::StoreError;
use openentry_store::users::NewUser;
use openentry_types::auth::{NotificationData, SignUpRequest, SignUpResponse};
use openentry_types::events::{DomainEvent, UserEvent};
use openentry_types::form_data::{FormDataItem, read_form_data};
use serde_json::{Value, json};

use super::codes;
use super::limits::{self, checked_login};
use super::provider::{login_form, open_provider};
use crate::error::{ApiError, ApiResult};
use crate::forms;
use crate::project::Provider;
use crate::state::AppState;
use crate::validate::shown;

/// Login and password taken from `authData`.
pub(crate) struct Credentials {
    pub(crate) login: String,
    pub(crate) password: String,
}

/// Reads login and password from `authData` by the markers of the form's login and password
/// fields. Entries with other markers are refused rather than silently dropped.
pub(crate) fn credentials(
    items: &[openentry_types::auth::AuthDataItem],
    login_marker: &str,
    password_marker: &str,
) -> ApiResult<Credentials> {
    let mut login = None;
    let mut password = None;
    for item in items {
        if item.marker == login_marker {
            login = Some(item.value.trim().to_owned());
        } else if item.marker == password_marker {
            password = Some(item.value.clone());
        } else {
            return Err(ApiError::BadRequest(format!(
                "authData may only hold \"{login_marker}\" and \"{password_marker}\", not \"{}\"",
                shown(&item.marker)
            )));
        }
    }
    match (
        login.filter(|l| !l.is_empty()),
        password.filter(|p| !p.is_empty()),
    ) {
        (Some(login), Some(password)) => Ok(Credentials { login, password }),
        _ => Err(ApiError::BadRequest(format!(
            "authData must contain the login (\"{login_marker}\") and the password (\"{password_marker}\")"
        ))),
    }
}

/// Creates a user.
pub(crate) async fn sign_up(
    state: &AppState,
    marker: &str,
    req: SignUpRequest,
) -> ApiResult<SignUpResponse> {
    let project = state.project();
    let provider = open_provider(&project, marker)?;
    let (form, login_field, password_field) = login_form(&project, provider, marker)?;
    if let Some(fid) = req.form_identifier.as_deref().filter(|f| !f.is_empty())
        && fid != form.def.identifier
    {
        return Err(ApiError::BadRequest(format!(
            "Provider \"{marker}\" signs up with form \"{}\", not \"{}\"",
            form.def.identifier,
            shown(fid)
        )));
    }
    let creds = credentials(&req.auth_data, &login_field.marker, &password_field.marker)?;
    check_new_credentials(&creds, login_field)?;

    let lang = crate::catalog::lang(&project, req.lang_code.as_deref())?.to_owned();
    let items = match &req.form_data {
        Some(v) => read_form_data(v, &lang).map_err(|e| ApiError::BadRequest(e.0))?,
        None => Vec::new(),
    };
    let items = forms::take_credentials(
        items,
        &forms::Credentials {
            login_marker: &login_field.marker,
            login: &creds.login,
            password_marker: &password_field.marker,
            password: Some(&creds.password),
        },
    )?;
    let captcha = crate::spam::token(&form.def, &items)?;
    let items = without_spam(&form.def, items);
    let skip = [login_field.marker.as_str(), password_field.marker.as_str()];
    let items = forms::check_items(&form.def, items, &skip)?;
    forms::check_required(&form.def, &items, &skip)?;
    limits::check_form_size(&items)?;
    let notification = notification_data(req.notification_data, &form.def, &creds.login, &items)?;

    let mut stored_items = vec![FormDataItem {
        marker: login_field.marker.clone(),
        kind: "string".to_owned(),
        value: Value::String(creds.login.clone()),
    }];
    stored_items.extend(items);
    crate::spam::verify(state, &form.def, captcha, None, false).await?;
    let hash = state.passwords.hash(creds.password).await?;
    let now = state.now();
    let new = NewUser {
        provider_id: provider.id,
        identifier: creds.login.clone(),
        login_key: login::normalize(&creds.login),
        password_hash: hash,
        is_active: !provider.def.check_code,
        form_identifier: form.def.identifier.clone(),
        form_data: json!({ lang.clone(): stored_items }).to_string(),
        notification_data: serde_json::to_string(&notification)
            .map_err(|e| ApiError::Internal(e.into()))?,
        locale: lang,
    };
    let id = insert_user(state, provider, &new, &notification.email, now).await?;
    let user = openentry_store::users::get(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("user {id} vanished")))?;
    Ok(crate::wire::signed_up(&user))
}

/// Refuses a login or password a new user may not have: a login that is too long, or not an
/// e-mail address where the login field asks for one, or a weak password.
fn check_new_credentials(creds: &Credentials, login_field: &FieldDef) -> ApiResult<()> {
    checked_login(&creds.login, "The login")?;
    if (login_field.email || login_field.kind == FieldKind::Email) && !login::is_email(&creds.login)
    {
        return Err(ApiError::BadRequest(format!(
            "\"{}\" is not an e-mail address",
            shown(&creds.login)
        )));
    }
    password::check_new_password(&creds.password).map_err(|e| limits::bad_request(&e))
}

/// Inserts the user and, for a provider that checks codes, sends the first code (to
/// `recipient`) with it; returns the user's id.
async fn insert_user(
    state: &AppState,
    provider: &Provider,
    new: &NewUser,
    recipient: &str,
    now: openentry_domain::clock::Timestamp,
) -> ApiResult<i64> {
    let mut tx = state.db.begin().await?;
    let id = openentry_store::users::insert(&mut tx, new, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::Conflict(format!(
                "A user with the login \"{}\" already exists",
                new.identifier
            )),
            other => other.into(),
        })?;
    let signed_up = DomainEvent::SignedUp(UserEvent {
        user_id: id,
        provider: provider.def.identifier.clone(),
    });
    openentry_store::outbox::add(&mut tx, &signed_up, now).await?;
    // Providers that check codes send the first one with the sign-up, in the same transaction.
    let message = if provider.def.check_code {
        Some(codes::issue(state, &mut tx, provider, id, recipient, "reg", now).await?)
    } else {
        None
    };
    tx.commit().await?;
    if provider.def.check_code {
        // The sign-up's code counts as a send: no immediate second code. The user exists
        // now, so a running cooldown (someone asked for a code for this login before it
        // existed) must not turn the sign-up into an error.
        let _ = codes::cooldown(state, provider, &new.identifier, now).await;
    }
    if let Some(m) = message {
        state.notifier.deliver(&m);
    }
    Ok(id)
}

/// Where notifications go: the address the client gave, else the form's notification-email
/// field (the login, when that is the field).
fn notification_data(
    given: Option<NotificationData>,
    form: &openentry_domain::project::FormDef,
    login_value: &str,
    items: &[FormDataItem],
) -> ApiResult<NotificationData> {
    let mut data = given.unwrap_or_default();
    data.email = String::from(data.email.trim());
    if data.email.is_empty()
        && let Some(field) = form.fields.iter().find(|f| f.notification_email)
    {
        data.email = if field.login {
            login_value.to_owned()
        } else {
            items
                .iter()
                .find(|i| i.marker == field.marker)
                .and_then(|i| i.value.as_str())
                .unwrap_or_default()
                .to_owned()
        };
    }
    limits::notification_data(data)
}

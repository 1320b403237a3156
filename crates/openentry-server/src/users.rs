//! `/users/me`: the signed-in user's own account.

use openentry_types::form_data::{FormDataItem, read_form_data};
use openentry_types::users::{UpdateUserRequest, User};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::forms;
use crate::project::Project;
use crate::state::AppState;

async fn load(state: &AppState, me: &CurrentUser) -> ApiResult<openentry_store::users::UserRecord> {
    openentry_store::users::get(&state.db, me.user_id)
        .await?
        .ok_or_else(ApiError::unauthorized)
}

/// The caller.
pub(crate) async fn get(state: &AppState, me: &CurrentUser) -> ApiResult<User> {
    let u = load(state, me).await?;
    let project = state.project();
    let provider = project
        .providers
        .by_id(u.provider_id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("user {} has no provider", u.id)))?;
    Ok(crate::wire::user(&u, provider))
}

/// Updates form data (merged by marker), notification data and state.
pub(crate) async fn update(
    state: &AppState,
    me: &CurrentUser,
    req: UpdateUserRequest,
) -> ApiResult<bool> {
    let u = load(state, me).await?;
    // Wire quirk: OneEntry's shop template sends `authData: [{marker: "password_reg", value: ""}]`
    // with every profile save; only a credential that is actually given is refused.
    if req
        .auth_data
        .as_ref()
        .is_some_and(|a| a.iter().any(|i| !i.value.is_empty()))
    {
        return Err(ApiError::BadRequest(
            "The login and password cannot be changed here; use changePassword with a one-time code".to_owned(),
        ));
    }
    if let Some(fid) = req.form_identifier.as_deref().filter(|f| !f.is_empty())
        && fid != u.form_identifier
    {
        return Err(ApiError::BadRequest(format!(
            "The user's form is \"{}\", not \"{}\"",
            u.form_identifier,
            crate::validate::shown(fid)
        )));
    }
    let project = state.project();
    let form_data = match &req.form_data {
        Some(v) => merged_form_data(&project, &u, v, req.lang_code.as_deref())?,
        None => u.form_data.to_string(),
    };
    let notification_data = match req.notification_data {
        Some(n) => serde_json::to_string(&crate::auth::limits::notification_data(n)?)
            .map_err(|e| ApiError::Internal(e.into()))?,
        None => {
            serde_json::to_string(&u.notification_data).map_err(|e| ApiError::Internal(e.into()))?
        }
    };
    let state_json = match req.state {
        Some(Value::Object(m)) => Value::Object(m).to_string(),
        Some(Value::Null) | None => u.state.to_string(),
        Some(_) => {
            return Err(ApiError::BadRequest(
                "state must be a JSON object".to_owned(),
            ));
        }
    };
    if state_json.len() > 64 * 1024 {
        return Err(ApiError::BadRequest(
            "state must be smaller than 64 KiB".to_owned(),
        ));
    }
    let update = openentry_store::users::ProfileUpdate {
        form_data,
        notification_data,
        state: state_json,
    };
    openentry_store::users::set_profile(&state.db, u.id, &update, state.now()).await?;
    Ok(true)
}

fn merged_form_data(
    project: &Project,
    u: &openentry_store::users::UserRecord,
    given: &Value,
    lang: Option<&str>,
) -> ApiResult<String> {
    // An absent langCode keeps the user's locale; a given one must be a project locale.
    let lang = match lang.map(str::trim).filter(|l| !l.is_empty()) {
        None => u.locale.clone(),
        Some(l) => crate::catalog::lang(project, Some(l))?.to_owned(),
    };
    let form = project.forms.by_marker(&u.form_identifier).ok_or_else(|| {
        ApiError::Conflict(format!("Form \"{}\" no longer exists", u.form_identifier))
    })?;
    let items = read_form_data(given, &lang).map_err(|e| ApiError::BadRequest(e.0))?;
    let password = form
        .def
        .password_field()
        .map(|f| f.marker.as_str())
        .unwrap_or_default();
    let login_marker = form
        .def
        .login_field()
        .map(|f| f.marker.as_str())
        .unwrap_or_default();
    let items = forms::take_credentials(
        items,
        &forms::Credentials {
            login_marker,
            login: &u.identifier,
            password_marker: password,
            password: None,
        },
    )?;
    // A captcha token a storefront sends again with a profile is not checked here (the user is
    // signed in) and never stored.
    let items = openentry_domain::form_data::without_spam(&form.def, items);
    let items = forms::check_items(&form.def, items, &[password, login_marker])?;
    // Stored form data passed these checks when it was written: a shape error is corruption.
    let mut current: Vec<FormDataItem> = read_form_data(&u.form_data, &u.locale).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!("user {}: stored form data: {}", u.id, e.0))
    })?;
    for item in items {
        match current.iter_mut().find(|c| c.marker == item.marker) {
            Some(c) => *c = item,
            None => current.push(item),
        }
    }
    forms::check_required(&form.def, &current, &[password])?;
    crate::auth::limits::check_form_size(&current)?;
    Ok(json!({ lang: current }).to_string())
}

/// Archives the caller's account and ends all their sessions.
pub(crate) async fn archive(state: &AppState, me: &CurrentUser) -> ApiResult<bool> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    openentry_store::users::archive(&mut tx, me.user_id, now).await?;
    openentry_store::signins::revoke_all(&mut tx, me.user_id, "account archived", now).await?;
    tx.commit().await?;
    crate::ws::revoked(state, me.user_id).await;
    Ok(true)
}

/// Deletes the caller's account with everything that belongs to it.
pub(crate) async fn delete(state: &AppState, me: &CurrentUser) -> ApiResult<bool> {
    let mut tx = state.db.begin().await?;
    let files = openentry_store::files::list_keys_of_user(&mut tx, me.user_id).await?;
    openentry_store::files::delete_of_user(&mut tx, me.user_id).await?;
    openentry_store::users::delete(&mut tx, me.user_id).await?;
    tx.commit().await?;
    crate::ws::revoked(state, me.user_id).await;
    // Their uploads go with them: the rows went in the transaction, the objects after it.
    crate::files::remove_objects(state, &files).await;
    Ok(true)
}

/// Registers a push token.
pub(crate) async fn add_fcm(state: &AppState, me: &CurrentUser, token: &str) -> ApiResult<bool> {
    if token.is_empty() || token.len() > 4096 || token.chars().any(char::is_control) {
        return Err(ApiError::BadRequest(
            "The push token must be 1-4096 bytes without control characters".to_owned(),
        ));
    }
    let keep = i64::try_from(state.config.max_fcm_tokens.max(1)).unwrap_or(i64::MAX);
    openentry_store::users::add_fcm_token(&state.db, me.user_id, token, keep, state.now()).await?;
    Ok(true)
}

/// Removes a push token.
pub(crate) async fn delete_fcm(state: &AppState, me: &CurrentUser, token: &str) -> ApiResult<bool> {
    // A token that could never have been added is not looked up (NUL bytes, for one, are
    // refused by PostgreSQL).
    let storable = token.len() <= 4096 && !token.chars().any(char::is_control);
    if storable && openentry_store::users::delete_fcm_token(&state.db, me.user_id, token).await? {
        Ok(true)
    } else {
        Err(ApiError::NotFound(
            "The user has no such push token".to_owned(),
        ))
    }
}

//! `postFormsData`: a submission checked against its form, throttled, and stored.

use openentry_domain::events::{DomainEvent, FormSubmitted};
use openentry_domain::form_data::{
    Viewer, check_submission, initial_status, module_config, parent_ref, reply_depth, token,
    visibility,
};
use openentry_domain::project::FormRead;
use openentry_store::form_data::NewSubmission;
use openentry_types::form_data::{
    PostFormDataRequest, PostedEntry, PostedFormData, SubmissionStatus, read_form_data,
};
use serde_json::Value;

use super::{bad, data_form};
use crate::auth::limits::{self, Budget, BudgetKind};
use crate::error::{ApiError, ApiResult};
use crate::extract::Client;
use crate::project::{Form, Project};
use crate::state::AppState;

/// Stores a submission and answers it with the form's message.
pub(crate) async fn post(
    state: &AppState,
    viewer: Viewer,
    client: &Client,
    body: PostFormDataRequest,
) -> ApiResult<PostedFormData> {
    if body.form_identifier.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "formIdentifier is required".to_owned(),
        ));
    }
    let project = state.project();
    let form = data_form(&project, &body.form_identifier)?;
    // Counted before anything is checked: a bot sending garbage spends its budget too.
    throttle(state, viewer, client).await?;
    let lang = language(&project, &body)?;
    let items = read_form_data(&body.form_data, lang).map_err(|e| ApiError::BadRequest(e.0))?;
    let operator = viewer == Viewer::Operator;
    // Operators are not asked for a captcha; their token, if any, is dropped like any other.
    let captcha = match operator {
        true => None,
        false => crate::spam::token(&form.def, &items)?,
    };
    let items = check_submission(&form.def, items).map_err(bad)?;
    limits::check_form_size(&items)?;
    crate::files::check_form_files(state, &form.def, &items).await?;
    let entity = token(&body.module_entity_identifier, "moduleEntityIdentifier").map_err(bad)?;
    let module = module_config(&body.form_module_config_id).map_err(bad)?;
    let parent = parent_ref(&body.parent_id, &body.replay_to).map_err(bad)?;
    let place = match parent {
        None => Place {
            parent_id: None,
            depth: 0,
            entity,
            module,
        },
        Some(id) => reply_place(state, form, viewer, id, entity).await?,
    };
    crate::spam::verify(state, &form.def, captcha, client.ip, operator).await?;
    let status = initial_status(&form.def, viewer);
    let fingerprint = match viewer {
        Viewer::Anonymous => client.fingerprint.as_deref(),
        _ => None,
    };
    let new = NewSubmission {
        form_id: form.id,
        module_config_id: place.module,
        entity_identifier: &place.entity,
        parent_id: place.parent_id,
        depth: place.depth,
        user_id: match viewer {
            Viewer::User(id) => Some(id),
            _ => None,
        },
        by_operator: viewer == Viewer::Operator,
        fingerprint,
        status,
        lang,
        form_data: &items,
    };
    let now = state.now();
    let id = store(state, form, &new, now).await?;
    let user_identifier = match viewer {
        Viewer::User(id) => openentry_store::users::get(&state.db, id)
            .await?
            .map(|u| u.identifier),
        _ => None,
    };
    Ok(PostedFormData {
        action_message: action_message(&project, form, lang, status),
        form_data: PostedEntry {
            id,
            form_identifier: form.def.identifier.clone(),
            time: now.to_rfc3339(),
            entity_identifier: place.entity,
            fingerprint: client.fingerprint.clone().unwrap_or_default(),
            is_user_admin: viewer == Viewer::Operator,
            form_module_id: place.module,
            user_identifier,
            parent_id: place.parent_id,
            form_data: items,
        },
    })
}

/// Stores a submission and its `form.submitted` event, which commit together (the relay reads
/// the outbox); returns its id.
async fn store(
    state: &AppState,
    form: &Form,
    new: &NewSubmission<'_>,
    now: openentry_domain::clock::Timestamp,
) -> ApiResult<i64> {
    let mut tx = state.db.begin().await?;
    let id = openentry_store::form_data::insert(&mut tx, new, now).await?;
    let event = FormSubmitted {
        form_data_id: id,
        form: form.def.identifier.clone(),
        user_id: new.user_id,
    };
    openentry_store::outbox::add(&mut tx, &DomainEvent::FormSubmitted(event), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Where a submission goes: its parent, depth, entity and module configuration.
struct Place {
    parent_id: Option<i64>,
    depth: i64,
    entity: String,
    module: i64,
}

/// A reply goes where the submission it answers is; that submission must be one of the same
/// form the sender may read (else it is as missing as an unknown id).
async fn reply_place(
    state: &AppState,
    form: &Form,
    viewer: Viewer,
    parent_id: i64,
    entity: String,
) -> ApiResult<Place> {
    let seen = visibility(form.def.read, viewer);
    let parent = openentry_store::form_data::get(&state.db, parent_id)
        .await?
        .filter(|p| p.form_id == form.id && seen.allows(p.status, p.user_id))
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "The submission this one answers ({parent_id}, from replayTo or parentId) was not found"
            ))
        })?;
    if !entity.is_empty() && entity != parent.entity_identifier {
        return Err(ApiError::BadRequest(
            "A reply is about the entity of the submission it answers; moduleEntityIdentifier differs".to_owned(),
        ));
    }
    Ok(Place {
        parent_id: Some(parent.id),
        depth: reply_depth(parent.depth).map_err(bad)?,
        entity: parent.entity_identifier,
        module: parent.module_config_id,
    })
}

/// The language of `formData`: the key the SDK wraps it in, else `langCode`, else the default
/// locale; always one of the project's locales.
fn language<'a>(project: &'a Project, body: &PostFormDataRequest) -> ApiResult<&'a str> {
    let wrapped = match &body.form_data {
        Value::Object(m) if m.len() == 1 && !m.contains_key("marker") => m.keys().next(),
        _ => None,
    };
    crate::catalog::lang(
        project,
        wrapped.or(body.lang_code.as_ref()).map(String::as_str),
    )
}

/// The form's message for the sender, else a default that says whether it waits for approval.
fn action_message(project: &Project, form: &Form, lang: &str, status: SubmissionStatus) -> String {
    if let Some(text) = project.text_in(&form.def.action_message, lang) {
        return text.to_owned();
    }
    if status == SubmissionStatus::New && form.def.read == FormRead::PublicApproved {
        "Thank you! It will be published once it is approved.".to_owned()
    } else {
        "Thank you! It has been received.".to_owned()
    }
}

/// Spends one submission of the sender's budgets: anonymous senders per address and per device
/// fingerprint, users per account; operators have none. 429 with `Retry-After` when spent.
pub(crate) async fn throttle(state: &AppState, viewer: Viewer, client: &Client) -> ApiResult<()> {
    let c = &state.config;
    let mut budgets = Vec::new();
    let mut add = |kind, key: String, policy: openentry_domain::throttle::ThrottlePolicy| {
        if policy.max_failures > 0 {
            budgets.push(Budget {
                kind,
                key,
                policy,
                give_back: false,
            });
        }
    };
    match viewer {
        Viewer::Operator => {}
        Viewer::User(id) => add(
            BudgetKind::FormUser,
            format!("form:user:{id}"),
            c.form_data_user_budget,
        ),
        Viewer::Anonymous => {
            if let Some(ip) = client.ip {
                let key = format!("form:addr:{}", openentry_domain::net::budget_key(ip));
                add(BudgetKind::FormAddress, key, c.form_data_address_budget);
            }
            if let Some(f) = &client.fingerprint {
                add(
                    BudgetKind::FormDevice,
                    format!("form:device:{f}"),
                    c.form_data_fingerprint_budget,
                );
            }
        }
    }
    if budgets.is_empty() {
        return Ok(());
    }
    if let Err((kind, retry_after_secs)) = limits::reserve_all(state, &budgets, state.now()).await?
    {
        tracing::warn!(
            throttle = kind.as_str(),
            retry_after_secs,
            "throttle tripped: too many form submissions"
        );
        return Err(ApiError::TooManyRequests {
            message: format!("Too many submissions; try again in {retry_after_secs} s"),
            retry_after_secs,
        });
    }
    Ok(())
}

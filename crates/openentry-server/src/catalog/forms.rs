//! Forms as the SDK sees them (docs/wire.md §6.7): the project's forms with their stored ids,
//! versions and positions. Only field definitions go out; nothing secret is in them.

use openentry_domain::project::{FieldDef, FieldKind, FormDef, FormKind};
use openentry_types::forms::{Form, FormAttribute, FormList, FormValidators, RequiredValidator};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::project::{self, Project};
use crate::wire::localize;
use openentry_types::paging::Paging;

/// Query keys of `getAllForms` (`langCode` is ignored: localized maps are sent whole).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FormQuery {
    /// Items to skip.
    pub(crate) offset: Option<usize>,
    /// Items to return (default 30, at most 1000).
    pub(crate) limit: Option<usize>,
}

fn attribute(project: &Project, form: &FormDef, i: usize, f: &FieldDef) -> FormAttribute {
    let sign_up = form.kind == FormKind::SignUp;
    FormAttribute {
        marker: f.marker.clone(),
        kind: f.kind.as_str().to_owned(),
        position: i64::try_from(i + 1).unwrap_or(i64::MAX),
        is_visible: true,
        localize_infos: localize(&f.title, project, &f.marker),
        initial_value: Value::Null,
        list_titles: Vec::new(),
        validators: FormValidators {
            required_validator: RequiredValidator { strict: f.required },
            email_inspection_validator: (f.email || f.kind == FieldKind::Email).then_some(true),
        },
        settings: serde_json::Map::new(),
        additional_fields: Vec::new(),
        is_login: f.login,
        // Every field of a sign-up form is filled in at sign-up.
        is_sign_up: sign_up,
        is_password: f.password,
        is_sign_up_required: sign_up && f.required,
        is_notification_email: f.notification_email,
        is_notification_phone_push: false,
        is_notification_phone_sms: false,
    }
}

fn form(project: &Project, f: &project::Form) -> Form {
    let d = &f.def;
    Form {
        id: f.id,
        identifier: d.identifier.clone(),
        localize_infos: localize(&d.title, project, &d.identifier),
        version: f.version,
        position: f.position,
        processing_type: "async".to_owned(),
        kind: Some(d.kind.as_str().to_owned()),
        attribute_set_id: None,
        template_id: None,
        attributes: d
            .fields
            .iter()
            .enumerate()
            .map(|(i, field)| attribute(project, d, i, field))
            .collect(),
    }
}

/// `getAllForms`: `{total, items}` by position.
pub(crate) fn forms(project: &Project, q: &FormQuery) -> FormList {
    let mut all: Vec<&project::Form> = project.forms.iter().collect();
    all.sort_by_key(|f| (f.position, f.id));
    let total = all.len();
    let items = Paging::from_unsigned_query(q.offset, q.limit)
        .slice(all)
        .into_iter()
        .map(|f| form(project, f))
        .collect();
    FormList { total, items }
}

/// `getFormByMarker`.
pub(crate) fn form_by_marker(project: &Project, marker: &str) -> ApiResult<Form> {
    project
        .forms
        .by_marker(marker)
        .map(|f| form(project, f))
        .ok_or_else(|| ApiError::NotFound(format!("Form \"{marker}\" not found")))
}

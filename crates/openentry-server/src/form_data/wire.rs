//! Stored submissions → wire answers.

use openentry_domain::clock::Timestamp;
use openentry_domain::form_data::Visibility;
use openentry_store::form_data::SubmissionRecord;
use openentry_types::form_data::{FormDataEntry, UpdatedFormData};

use crate::project::Project;

fn form_identifier(project: &Project, form_id: i64) -> String {
    project
        .forms
        .by_id(form_id)
        .map(|f| f.def.identifier.clone())
        .unwrap_or_default()
}

/// One submission as `getFormsDataByMarker` lists it. Who sent it (login, fingerprint) is shown
/// only to the sender and operators; the address is never stored.
pub(super) fn entry(project: &Project, r: SubmissionRecord, seen: &Visibility) -> FormDataEntry {
    let reveal = seen.reveals_sender(r.user_id);
    FormDataEntry {
        id: r.id,
        parent_id: r.parent_id,
        form_identifier: form_identifier(project, r.form_id),
        depth: r.depth,
        ip: None,
        fingerprint: r.fingerprint.filter(|_| reveal),
        status: r.status,
        user_identifier: r.user_identifier.filter(|_| reveal),
        form_data: r.form_data,
        attribute_set_identifier: None,
        time: Timestamp(r.created_at).to_rfc3339(),
        entity_identifier: r.entity_identifier,
        is_user_admin: r.by_operator,
        form_module_config_id: r.module_config_id,
    }
}

/// The sender's submission after a change.
pub(super) fn updated(project: &Project, r: SubmissionRecord) -> UpdatedFormData {
    UpdatedFormData {
        id: r.id,
        form_identifier: form_identifier(project, r.form_id),
        time: Timestamp(r.created_at).to_rfc3339(),
        form_data: r.form_data,
        user_identifier: r.user_identifier.unwrap_or_default(),
        entity_identifier: r.entity_identifier,
        parent_id: r.parent_id,
        fingerprint: r.fingerprint,
        is_user_admin: r.by_operator,
        form_module_id: r.module_config_id,
    }
}

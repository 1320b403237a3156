//! Collections and stored rows → wire answers.

use std::collections::BTreeMap;

use openentry_domain::clock::Timestamp;
use openentry_store::collections::RowRecord;
use openentry_types::collections::{Collection as WireCollection, CollectionRow};

use super::Collection;
use crate::project::Project;
use crate::wire::localize;

/// A collection as `getICollections` lists it.
pub(super) fn collection(project: &Project, c: &Collection) -> WireCollection {
    let form = project.forms.by_marker(&c.def.form);
    let columns = form.map(|f| {
        f.def
            .fields
            .iter()
            .map(|x| x.marker.as_str())
            .collect::<Vec<_>>()
            .join(",")
    });
    WireCollection {
        id: c.id,
        identifier: Some(c.def.identifier.clone()),
        form_id: form.map(|f| f.id),
        localize_infos: localize(&c.def.title, project, &c.def.identifier),
        attribute_set_id: None,
        selected_attribute_markers: columns.filter(|m| !m.is_empty()),
    }
}

/// A row with its values under `lang`, the language the caller asked for (the SDK unwraps
/// the entry of that language, docs/wire.md §5), whichever language they fell back to.
pub(super) fn row(r: RowRecord, lang: &str) -> CollectionRow {
    CollectionRow {
        id: r.id,
        created_date: Timestamp(r.created_at).to_rfc3339(),
        updated_date: Timestamp(r.updated_at).to_rfc3339(),
        collection_id: Some(r.collection_id),
        form_data: BTreeMap::from([(lang.to_owned(), r.form_data)]),
        entity_type: r.entity_type,
        entity_id: r.entity_id,
        attribute_set_identifier: None,
    }
}

//! Locales and general types (docs/wire.md §6.12).

use openentry_domain::project::GeneralType;
use openentry_types::content::{GeneralTypeEntity, Locale};

use super::attributes::media_link;
use crate::project::Project;

/// `getLocales`: the active locales of `project.locales`, in its order.
pub(crate) fn active(project: &Project) -> Vec<Locale> {
    project
        .locales
        .iter()
        .filter(|l| l.def.active)
        .map(|l| {
            let d = &l.def;
            // A locale described without names is named by its code.
            let or_code = |s: &str| {
                if s.is_empty() {
                    d.code.clone()
                } else {
                    s.to_owned()
                }
            };
            let short_code = d.short_code.clone().unwrap_or_else(|| {
                d.code
                    .split(['_', '-'])
                    .next()
                    .unwrap_or(&d.code)
                    .to_owned()
            });
            Locale {
                id: l.id,
                short_code,
                code: d.code.clone(),
                name: or_code(&d.name),
                native_name: or_code(if d.native_name.is_empty() {
                    &d.name
                } else {
                    &d.native_name
                }),
                is_active: true,
                image: d.image.as_deref().map(|key| media_link(project, key)),
                position: l.position,
            }
        })
        .collect()
}

/// `getAllTypes`: every general type the SDK knows, with its stable id.
pub(crate) fn general_types() -> Vec<GeneralTypeEntity> {
    GeneralType::ALL
        .iter()
        .map(|t| GeneralTypeEntity {
            id: t.id(),
            kind: t.as_str().to_owned(),
        })
        .collect()
}

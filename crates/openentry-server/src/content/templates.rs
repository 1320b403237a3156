//! Templates and template previews (docs/wire.md §6.15).

use std::collections::BTreeMap;

use openentry_domain::project::{
    GeneralType, LocalizedValues, ProportionDef, TemplateDef, TemplatePreviewDef,
};
use openentry_types::templates::{
    Proportion, ProportionVariants, Proportions, Square, Template, TemplatePreview,
};

use super::attributes::{self, ImageShape};
use crate::error::{ApiError, ApiResult};
use crate::project::{Entity, Project};

fn template(project: &Project, e: &Entity<TemplateDef>, lang: &str) -> ApiResult<Template> {
    let d = &e.def;
    Ok(Template {
        id: e.id,
        attribute_set_identifier: d.attribute_set.clone(),
        title: project
            .text_in(&d.title, lang)
            .unwrap_or(&d.identifier)
            .to_owned(),
        general_type_id: d.kind.id(),
        identifier: d.identifier.clone(),
        version: e.version,
        general_type_name: d.kind.as_str().to_owned(),
        attribute_values: attributes::render(
            project,
            d.attribute_set.as_deref(),
            &d.values,
            &d.localized_values,
            lang,
            ImageShape::Array,
        )?,
        position: e.position,
    })
}

/// `getAllTemplates`: the templates grouped by the name of their general type; types without
/// templates are left out.
pub(crate) fn all(project: &Project, lang: &str) -> ApiResult<BTreeMap<String, Vec<Template>>> {
    let mut out: BTreeMap<String, Vec<Template>> = BTreeMap::new();
    for t in &project.templates {
        out.entry(t.def.kind.as_str().to_owned())
            .or_default()
            .push(template(project, t, lang)?);
    }
    Ok(out)
}

/// `getTemplateByType`: the templates of one general type (an unknown type is a 400).
pub(crate) fn by_type(project: &Project, kind: &str, lang: &str) -> ApiResult<Vec<Template>> {
    let kind: GeneralType = kind.parse().map_err(|_| {
        ApiError::BadRequest(format!(
            "Unknown template type \"{kind}\"; the types are: {}",
            GeneralType::names()
        ))
    })?;
    project
        .templates
        .iter()
        .filter(|t| t.def.kind == kind)
        .map(|t| template(project, t, lang))
        .collect()
}

/// `getTemplateByMarker`.
pub(crate) fn by_marker(project: &Project, marker: &str, lang: &str) -> ApiResult<Template> {
    let t = project
        .templates
        .by_marker(marker)
        .ok_or_else(|| ApiError::NotFound(format!("Template \"{marker}\" not found")))?;
    template(project, t, lang)
}

fn proportion(p: &ProportionDef) -> Proportion {
    Proportion {
        width: p.width,
        height: p.height,
        alignment_type: p.alignment.clone(),
    }
}

fn preview(
    project: &Project,
    e: &Entity<TemplatePreviewDef>,
    lang: &str,
) -> ApiResult<TemplatePreview> {
    let d = &e.def;
    Ok(TemplatePreview {
        id: e.id,
        title: project
            .text_in(&d.title, lang)
            .unwrap_or(&d.identifier)
            .to_owned(),
        proportions: Proportions {
            default: ProportionVariants {
                horizontal: d.horizontal.as_ref().map(proportion),
                vertical: d.vertical.as_ref().map(proportion),
                square: Square {
                    side: d.square,
                    alignment_type: d.square_alignment.clone(),
                },
            },
        },
        identifier: d.identifier.clone(),
        version: e.version,
        attribute_values: attributes::render(
            project,
            d.attribute_set.as_deref(),
            &d.values,
            &LocalizedValues::new(),
            lang,
            ImageShape::Array,
        )?,
        position: e.position,
        is_used: false,
        attribute_set_identifier: d.attribute_set.clone(),
    })
}

/// `getTemplatePreviews`.
pub(crate) fn previews(project: &Project, lang: &str) -> ApiResult<Vec<TemplatePreview>> {
    project
        .template_previews
        .iter()
        .map(|t| preview(project, t, lang))
        .collect()
}

/// `getTemplatePreviewByMarker`.
pub(crate) fn preview_by_marker(
    project: &Project,
    marker: &str,
    lang: &str,
) -> ApiResult<TemplatePreview> {
    let t = project
        .template_previews
        .by_marker(marker)
        .ok_or_else(|| ApiError::NotFound(format!("Template preview \"{marker}\" not found")))?;
    preview(project, t, lang)
}

//! The catalog, read-only, straight from the in-memory project definition: products with
//! filters, sorting and paging (docs/wire.md §6.5), product statuses (§6.6), attribute sets
//! (§6.11) and forms (§6.7).
//!
//! Hidden products (`visible = false`) are never listed and answer 404 by id.
//!
//! Pages: the definition has no page entities, only the `pages` URLs of products. A page's id
//! is the 1-based index of its URL in first-seen order over ALL products (hidden ones
//! included, so ids do not move when a product is hidden), e.g. in the demo `catalog` = 1,
//! `bags` = 2. Changing the order of products or pages in the definition renumbers pages.

mod decimal;
mod filter;
mod forms;
mod products;
mod sets;
mod sort;
mod wire;

use openentry_domain::project::{self, ProductDef, ProjectDefinition};

pub(crate) use filter::{AttributeCondition, ProductQuery};
pub(crate) use forms::{FormQuery, form_by_marker, forms};
pub(crate) use products::{Catalog, Scope};
pub(crate) use sets::{
    SetQuery, attribute, attribute_set, attribute_sets, attributes, status_by_marker, statuses,
    validate_marker,
};

use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use filter::given;

/// The language a request asks for, or the project's default.
pub(crate) fn lang_or_default<'a>(lang: Option<&str>, project: &'a Project) -> ApiResult<&'a str> {
    self::lang(project, given(lang))
}

/// The one check of `langCode`, wherever it arrives (query or body): one of the project's
/// locales, or the default locale when absent or empty; anything else is a 400 that lists the
/// allowed locales.
pub(crate) fn lang<'a>(project: &'a Project, given: Option<&str>) -> ApiResult<&'a str> {
    openentry_domain::locale::pick(&project.def.project.locales, given)
        .map_err(|e| ApiError::BadRequest(format!("The {e}")))
}

/// A product's title in `lang` (falling back to the SKU, then the id).
pub(crate) fn title_in(def: &ProjectDefinition, p: &ProductDef, lang: &str) -> String {
    project::text_in(&p.title, lang, def.project.default_locale())
        .map(str::to_owned)
        .or_else(|| p.sku.clone())
        .unwrap_or_else(|| p.id.to_string())
}

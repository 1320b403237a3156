//! Pages (docs/wire.md §6.13): the site tree of the project as storefronts read it.
//!
//! A page is served when it and every page above it are visible: hiding a section hides what
//! is inside it. A page that is not served answers exactly like a missing one (404), by URL and
//! by id, and is left out of every list, child list, search and menu.

mod wire;

use openentry_domain::project::PageDef;
use openentry_types::content::{Page, PageConfig, PageSearchHit};
use serde::Deserialize;

pub(crate) use wire::{first_text, page, title_in};

use crate::catalog::lang_or_default;
use crate::error::{ApiError, ApiResult};
use crate::project::{Entity, Project};

/// A page with its stored identity.
pub(crate) type PageEntity = Entity<PageDef>;

/// Hits of one quick search (the SDK then fetches each page by id).
const SEARCH_LIMIT: usize = 30;

/// `langCode` of the page calls.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageQuery {
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
}

/// Query of `searchPage`. Wire quirk: the SDK sends the language as `lang`, not `langCode`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchQuery {
    name: Option<String>,
    url: Option<String>,
    lang: Option<String>,
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
}

fn not_found_url(url: &str) -> ApiError {
    ApiError::NotFound(format!("Page \"{url}\" not found"))
}

/// Whether `page` is served: it and its ancestors are visible. The walk is bounded by the
/// number of pages, so even a cycle (refused by `project check`) ends.
pub(crate) fn is_served(project: &Project, page: &PageEntity) -> bool {
    let mut at = &page.def;
    for _ in 0..=project.pages.len() {
        if !at.visible {
            return false;
        }
        match &at.parent {
            None => return true,
            Some(parent) => match project.pages.by_marker(parent) {
                Some(p) => at = &p.def,
                None => return false,
            },
        }
    }
    false
}

/// The served page with this URL (for every `/pages/{url}/…` route).
pub(crate) fn served<'a>(project: &'a Project, url: &str) -> Option<&'a PageEntity> {
    project
        .pages
        .by_marker(url)
        .filter(|p| is_served(project, p))
}

/// The served page with this URL, or the 404 every page route answers.
pub(crate) fn served_or_404<'a>(project: &'a Project, url: &str) -> ApiResult<&'a PageEntity> {
    served(project, url).ok_or_else(|| not_found_url(url))
}

/// The pages above `page`, nearest first.
fn ancestors<'a>(project: &'a Project, page: &'a PageEntity) -> impl Iterator<Item = &'a str> {
    let mut next = page.def.parent.as_deref();
    std::iter::from_fn(move || {
        let at = next?;
        next = project
            .pages
            .by_marker(at)
            .and_then(|p| p.def.parent.as_deref());
        Some(at)
    })
    .take(project.pages.len())
}

/// Served children of a served page, in list order.
fn children<'a>(project: &'a Project, url: &'a str) -> impl Iterator<Item = &'a PageEntity> {
    project
        .pages
        .iter()
        .filter(move |p| p.def.visible && p.def.parent.as_deref() == Some(url))
}

fn list<'a>(
    project: &'a Project,
    lang: Option<&str>,
    pages: impl Iterator<Item = &'a PageEntity>,
) -> ApiResult<Vec<Page>> {
    let lang = lang_or_default(lang, project)?;
    pages.map(|p| page(project, p, lang)).collect()
}

/// `getPages`: every served page.
pub(crate) fn all(project: &Project, q: &PageQuery) -> ApiResult<Vec<Page>> {
    let served = project.pages.iter().filter(|p| is_served(project, p));
    list(project, q.lang_code.as_deref(), served)
}

/// `getRootPages`: the served pages without a parent.
pub(crate) fn roots(project: &Project, q: &PageQuery) -> ApiResult<Vec<Page>> {
    let roots = project
        .pages
        .iter()
        .filter(|p| p.def.parent.is_none() && p.def.visible);
    list(project, q.lang_code.as_deref(), roots)
}

/// `getChildPagesByParentUrl`: the served children of a served page.
pub(crate) fn children_of(project: &Project, url: &str, q: &PageQuery) -> ApiResult<Vec<Page>> {
    let parent = served_or_404(project, url)?;
    list(
        project,
        q.lang_code.as_deref(),
        children(project, &parent.def.url),
    )
}

/// `getPageByUrl`.
pub(crate) fn by_url(project: &Project, url: &str, q: &PageQuery) -> ApiResult<Page> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    page(project, served_or_404(project, url)?, lang)
}

/// `getPageById`.
pub(crate) fn by_id(project: &Project, id: i64, q: &PageQuery) -> ApiResult<Page> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    let found = project
        .pages
        .by_id(id)
        .filter(|p| is_served(project, p))
        .ok_or_else(|| ApiError::NotFound(format!("Page {id} not found")))?;
    page(project, found, lang)
}

/// `getConfigPageByUrl`.
pub(crate) fn config_of(project: &Project, url: &str) -> ApiResult<PageConfig> {
    let d = &served_or_404(project, url)?.def;
    Ok(PageConfig {
        rows_per_page: d.rows_per_page,
        products_per_row: d.products_per_row,
    })
}

/// `searchPage`: served pages whose title in the language contains `name` (case-insensitive),
/// below the page `url` when one is given. Wire quirk: the SDK post-processes this answer as an
/// array and throws on an error body, so a search below an unknown or hidden page finds
/// nothing rather than answering 404.
pub(crate) fn search(project: &Project, q: &SearchQuery) -> ApiResult<Vec<PageSearchHit>> {
    let lang = lang_or_default(q.lang_code.as_deref().or(q.lang.as_deref()), project)?;
    let Some(needle) = q
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_lowercase)
    else {
        return Ok(Vec::new());
    };
    let below = q.url.as_deref().filter(|u| !u.is_empty());
    if below.is_some_and(|u| served(project, u).is_none()) {
        return Ok(Vec::new());
    }
    Ok(project
        .pages
        .iter()
        .filter(|p| is_served(project, p))
        .filter(|p| below.is_none_or(|u| ancestors(project, p).any(|a| a == u)))
        .map(|p| (p, title_in(project, &p.def, lang)))
        .filter(|(_, title)| title.to_lowercase().contains(&needle))
        .take(SEARCH_LIMIT)
        .map(|(p, title)| PageSearchHit {
            id: p.id,
            page_url: p.def.url.clone(),
            title: title.to_owned(),
        })
        .collect())
}

//! Blocks: reusable pieces of content (banners, the storefront's UI dictionary, product
//! carousels) and the product lists they carry.
//!
//! Hidden blocks answer like missing ones. A block's product lists are rendered by the catalog
//! (the same products as the Products module, hidden ones left out) and capped by the block's
//! `quantity` when it sets one:
//! - `product_block`: the block's `products`, in their order;
//! - `similar_products_block`: the listed products that share a category page with the
//!   block's own (listed) products, the block's products excluded, the ones sharing the most
//!   pages first, then in catalog order (the SDK names no product to be similar to);
//! - `frequently_ordered_block`: the products most often in the same orders as a given
//!   product, from the stored orders (see `openentry_store::orders::list_ordered_with`).

use std::collections::{BTreeSet, HashSet};
use std::str::FromStr;

use openentry_domain::project::{BlockDef, GeneralType, ProjectDefinition};
use openentry_store::Db;
use openentry_types::blocks::{
    Block, BlockHit, BlockList, BlockTexts, CustomSettings, ProductConfig,
};
use openentry_types::catalog::ProductList;
use openentry_types::paging::Paging;
use serde::Deserialize;

use super::attributes::{self, ImageShape};
use crate::catalog::{Catalog, ProductQuery, Scope, lang_or_default};
use crate::error::{ApiError, ApiResult};
use crate::project::{Entity, Project};

/// Most hits a quick search returns (as for products).
const SEARCH_LIMIT: usize = 30;

/// Query keys of the block routes (`getBlocks`, `getBlockByMarker`, `searchBlock`, the blocks
/// of a page). Keys the server has no use for are ignored.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BlockQuery {
    /// Language of the answer; the project's default when absent.
    pub(crate) lang_code: Option<String>,
    /// `getBlocks`: only blocks of this general type; every type when empty.
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    /// Items to skip (default 0).
    pub(crate) offset: Option<usize>,
    /// Items to return (default 30, at most 1000).
    pub(crate) limit: Option<usize>,
    /// `searchBlock`: the text to find in titles and markers.
    pub(crate) name: Option<String>,
}

fn not_found(marker: &str) -> ApiError {
    ApiError::NotFound(format!("Block \"{marker}\" not found"))
}

/// The visible block with this marker.
fn visible<'a>(project: &'a Project, marker: &str) -> ApiResult<&'a Entity<BlockDef>> {
    project
        .blocks
        .by_marker(marker)
        .filter(|b| b.def.visible)
        .ok_or_else(|| not_found(marker))
}

fn title(project: &Project, d: &BlockDef, lang: &str) -> String {
    project
        .text_in(&d.title, lang)
        .unwrap_or(&d.identifier)
        .to_owned()
}

/// A block in `lang`.
fn wire(project: &Project, e: &Entity<BlockDef>, lang: &str) -> ApiResult<Block> {
    let d = &e.def;
    let attribute_values = attributes::render(
        project,
        d.attribute_set.as_deref(),
        &d.values,
        &d.localized_values,
        lang,
        ImageShape::Array,
    )?;
    let custom_settings = (d.per_row.is_some() || d.quantity.is_some()).then_some(CustomSettings {
        product_config: ProductConfig {
            count_elements_per_row: d.per_row,
            quantity: d.quantity,
        },
    });
    Ok(Block {
        id: e.id,
        attribute_set_identifier: d.attribute_set.clone(),
        localize_infos: BlockTexts {
            title: title(project, d, lang),
        },
        version: e.version,
        position: e.position,
        identifier: d.identifier.clone(),
        kind: d.kind.as_str().to_owned(),
        template_identifier: d.template.clone(),
        is_visible: d.visible,
        is_sync: false,
        attribute_values,
        custom_settings,
        count_elements_per_row: d.per_row,
        quantity: d.quantity,
    })
}

/// `getBlocks`: the visible blocks of a type (of every type when none is named), in list
/// order, paged like the catalog's lists.
pub(crate) fn list(project: &Project, q: &BlockQuery) -> ApiResult<BlockList> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(t) => Some(GeneralType::from_str(t).map_err(|_| {
            ApiError::BadRequest(format!(
                "Unknown block type \"{t}\"; use one of {}",
                GeneralType::names()
            ))
        })?),
    };
    let all: Vec<&Entity<BlockDef>> = project
        .blocks
        .iter()
        .filter(|b| b.def.visible && kind.is_none_or(|k| b.def.kind == k))
        .collect();
    let total = all.len();
    let items = Paging::from_unsigned_query(q.offset, q.limit)
        .slice(all)
        .into_iter()
        .map(|b| wire(project, b, lang))
        .collect::<ApiResult<_>>()?;
    Ok(BlockList { items, total })
}

/// `getBlockByMarker`.
pub(crate) fn by_marker(project: &Project, marker: &str, q: &BlockQuery) -> ApiResult<Block> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    wire(project, visible(project, marker)?, lang)
}

/// `searchBlock`: visible blocks whose title (in the requested language) or marker contains
/// `name`, case-insensitive, in list order; nothing for an empty `name`.
pub(crate) fn search(project: &Project, q: &BlockQuery) -> ApiResult<Vec<BlockHit>> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    let Some(needle) = q
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
    else {
        return Ok(Vec::new());
    };
    Ok(project
        .blocks
        .iter()
        .filter(|b| b.def.visible)
        .map(|b| (b, title(project, &b.def, lang)))
        .filter(|(b, name)| {
            name.to_lowercase().contains(&needle)
                || b.def.identifier.to_lowercase().contains(&needle)
        })
        .take(SEARCH_LIMIT)
        .map(|(b, name)| BlockHit {
            id: b.id,
            identifier: b.def.identifier.clone(),
            name,
        })
        .collect())
}

/// `Pages.getBlocksByPageUrl`: the visible blocks of a visible page, in the page's order.
pub(crate) fn of_page(project: &Project, url: &str, q: &BlockQuery) -> ApiResult<Vec<Block>> {
    let lang = lang_or_default(q.lang_code.as_deref(), project)?;
    // A page under a hidden one is hidden too: the one rule of the pages module.
    let page = crate::content::pages::served_or_404(project, url)?;
    page.def
        .blocks
        .iter()
        .filter_map(|m| project.blocks.by_marker(m))
        .filter(|b| b.def.visible)
        .map(|b| wire(project, b, lang))
        .collect()
}

/// The listed products among `ids` (in that order, each once), at most the block's
/// `quantity`, as a paged catalog list.
fn shown(
    cat: &Catalog<'_>,
    block: &BlockDef,
    ids: impl IntoIterator<Item = i64>,
    q: &ProductQuery,
) -> ApiResult<ProductList> {
    let cap = block
        .quantity
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(0));
    let mut seen = HashSet::new();
    let ids: Vec<i64> = ids
        .into_iter()
        .filter(|id| cat.listed(*id).is_ok() && seen.insert(*id))
        .take(cap)
        .collect();
    cat.list(Scope::Ids(&ids), &[], q)
}

/// `getProductsByBlockMarker`: the block's products.
pub(crate) fn products(
    project: &Project,
    marker: &str,
    q: &ProductQuery,
) -> ApiResult<ProductList> {
    let block = visible(project, marker)?;
    let cat = Catalog::new(project, q.lang_code.as_deref())?;
    shown(&cat, &block.def, block.def.products.iter().copied(), q)
}

/// `getSimilarProducts`: products sharing category pages with the block's products.
pub(crate) fn similar(project: &Project, marker: &str, q: &ProductQuery) -> ApiResult<ProductList> {
    let block = visible(project, marker)?;
    let cat = Catalog::new(project, q.lang_code.as_deref())?;
    let own: Vec<i64> = block
        .def
        .products
        .iter()
        .copied()
        .filter(|id| cat.listed(*id).is_ok())
        .collect();
    shown(&cat, &block.def, similar_to(&project.def, &own), q)
}

/// Products other than `own` on at least one page of `own`, the ones on the most of those
/// pages first, ties in catalog order.
fn similar_to(def: &ProjectDefinition, own: &[i64]) -> Vec<i64> {
    let pages: BTreeSet<&str> = own
        .iter()
        .filter_map(|id| def.product(*id))
        .flat_map(|p| p.pages.iter().map(String::as_str))
        .collect();
    let mut scored: Vec<(usize, usize, i64)> = def
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| !own.contains(&p.id))
        .filter_map(|(at, p)| {
            let shared = p
                .pages
                .iter()
                .filter(|u| pages.contains(u.as_str()))
                .count();
            (shared > 0).then_some((shared, at, p.id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, id)| id).collect()
}

/// `getFrequentlyOrderedProducts`: the products most often ordered together with
/// `product_id` (which must be listed), by shared orders, then by id.
pub(crate) async fn frequently_ordered(
    db: &Db,
    project: &Project,
    marker: &str,
    product_id: i64,
    q: &ProductQuery,
) -> ApiResult<ProductList> {
    let block = visible(project, marker)?;
    let cat = Catalog::new(project, q.lang_code.as_deref())?;
    cat.listed(product_id)?;
    let rows = openentry_store::orders::list_ordered_with(db, product_id).await?;
    shown(&cat, &block.def, rows.iter().map(|r| r.product_id), q)
}

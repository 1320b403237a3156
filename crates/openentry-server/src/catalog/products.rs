//! Product lists (docs/wire.md §6.5): the scope a list starts from, filtering, sorting, paging,
//! price ranges.

use openentry_domain::project::{ProductDef, ProjectDefinition};
use openentry_types::catalog::{
    PriceRange, Product, ProductCounts, ProductFilter, ProductGroup, ProductList, ProductPrice,
    ProductPriceList, SearchHit,
};
use serde_json::Value;

use super::decimal::{Decimal, price_decimal};
use super::filter::{Filter, ProductQuery, given};
use super::{lang_or_default, title_in, wire};
use crate::content;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;
use openentry_types::paging::{MAX_LIMIT, Paging};

/// Most hits a quick search returns.
const SEARCH_LIMIT: usize = 30;

/// A product with its 1-based place in the definition.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(super) position: i64,
    pub(super) index: usize,
    pub(super) product: &'a ProductDef,
}

/// Which products a list starts from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Every listed product.
    All,
    /// Products on the page with this id.
    PageId(i64),
    /// Products on the page with this URL.
    PageUrl(&'a str),
    /// Products on no page.
    NoPage,
    /// The related products of a product.
    Related(i64),
    /// These products, in this order (the listed ones, each once): a list the caller chose,
    /// such as a block's products, so it is not sorted.
    Ids(&'a [i64]),
}

/// The project's catalog as one request sees it.
#[derive(Debug)]
pub(crate) struct Catalog<'a> {
    pub(super) project: &'a Project,
    pub(super) lang: String,
}

fn not_found_product(id: i64) -> ApiError {
    ApiError::NotFound(format!("Product {id} not found"))
}

impl<'a> Catalog<'a> {
    /// The catalog of `project` in the language `lang` (or the default one).
    pub(crate) fn new(project: &'a Project, lang: Option<&str>) -> ApiResult<Self> {
        Ok(Self {
            project,
            lang: lang_or_default(lang, project)?.to_owned(),
        })
    }

    fn def(&self) -> &'a ProjectDefinition {
        &self.project.def
    }

    pub(super) fn page_id(&self, url: &str) -> Option<i64> {
        self.project
            .pages
            .by_marker(url)
            .filter(|p| content::pages::is_served(self.project, p))
            .map(|p| p.id)
    }

    fn entries(&self) -> impl Iterator<Item = Entry<'a>> + 'a {
        self.def()
            .products
            .iter()
            .enumerate()
            .filter(|(_, p)| p.visible)
            .map(|(index, product)| Entry {
                position: i64::try_from(index + 1).unwrap_or(i64::MAX),
                index,
                product,
            })
    }

    fn entry(&self, id: i64) -> ApiResult<Entry<'a>> {
        self.entries()
            .find(|e| e.product.id == id)
            .ok_or_else(|| not_found_product(id))
    }

    /// The product `id` if it is listed, else the 404 every product route answers.
    pub(crate) fn listed(&self, id: i64) -> ApiResult<&'a ProductDef> {
        self.entry(id).map(|e| e.product)
    }

    /// The listed products among `ids`, in that order, each once.
    fn picked(&self, ids: &[i64]) -> Vec<Entry<'a>> {
        let mut out: Vec<Entry<'a>> = Vec::new();
        for id in ids {
            if let Ok(e) = self.entry(*id)
                && !out.iter().any(|x| x.product.id == *id)
            {
                out.push(e);
            }
        }
        out
    }

    fn page_url(&self, id: i64) -> ApiResult<&'a str> {
        self.project
            .pages
            .by_id(id)
            .filter(|p| content::pages::is_served(self.project, p))
            .map(|p| p.def.url.as_str())
            .ok_or_else(|| ApiError::NotFound(format!("Page {id} not found")))
    }

    fn base(&self, scope: Scope<'_>) -> ApiResult<Vec<Entry<'a>>> {
        let on = |url: &str| {
            self.entries()
                .filter(|e| e.product.pages.iter().any(|p| p == url))
                .collect()
        };
        Ok(match scope {
            Scope::All => self.entries().collect(),
            Scope::NoPage => self
                .entries()
                .filter(|e| e.product.pages.is_empty())
                .collect(),
            Scope::PageId(id) => on(self.page_url(id)?),
            Scope::PageUrl(url) => {
                self.page_id(url)
                    .ok_or_else(|| ApiError::NotFound(format!("Page \"{url}\" not found")))?;
                on(url)
            }
            Scope::Related(id) => self.picked(&self.entry(id)?.product.related),
            Scope::Ids(ids) => self.picked(ids),
        })
    }

    /// Every product of `scope` that passes the filters, sorted (not paged).
    fn select(
        &self,
        scope: Scope<'_>,
        items: &[ProductFilter],
        q: &ProductQuery,
    ) -> ApiResult<Vec<Entry<'a>>> {
        let filter = Filter::new(items, q)?;
        let mut entries = self.base(scope)?;
        entries.retain(|e| filter.matches(self.def(), e.product, &self.lang));
        if !matches!(scope, Scope::Ids(_)) {
            super::sort::sort(self.def(), &mut entries, q, &self.lang)?;
        }
        Ok(entries)
    }

    /// Lowest and highest price among `entries`; `0` when none has a price.
    fn range(&self, entries: &[Entry<'_>]) -> ApiResult<PriceRange> {
        let prices: Vec<Decimal> = entries
            .iter()
            .filter_map(|e| price_decimal(self.def(), e.product))
            .collect();
        let pick = |want: std::cmp::Ordering| {
            prices
                .iter()
                .copied()
                .reduce(|a, b| if b.cmp_exact(a) == want { b } else { a })
                .unwrap_or(Decimal::new(0, 0))
                .to_number()
        };
        Ok(PriceRange {
            min: pick(std::cmp::Ordering::Less)?,
            max: pick(std::cmp::Ordering::Greater)?,
        })
    }

    fn products(&self, entries: &[Entry<'_>], range: &PriceRange) -> ApiResult<Vec<Product>> {
        entries
            .iter()
            .map(|e| wire::product(self, e, range.clone()))
            .collect()
    }

    /// `getProducts`, `getProductsByPageId`, `getProductsByPageUrl`, `getRelatedProductsById`.
    pub(crate) fn list(
        &self,
        scope: Scope<'_>,
        items: &[ProductFilter],
        q: &ProductQuery,
    ) -> ApiResult<ProductList> {
        let all = self.select(scope, items, q)?;
        let range = self.range(&all)?;
        let total = all.len();
        let page = Paging::from_unsigned_query(q.offset, q.limit).slice(all);
        Ok(ProductList {
            items: self.products(&page, &range)?,
            total,
        })
    }

    /// `getProductsEmptyPage`: one group (`attrValue` `""`) of the products on no page.
    pub(crate) fn empty_page(
        &self,
        items: &[ProductFilter],
        q: &ProductQuery,
    ) -> ApiResult<Vec<ProductGroup>> {
        let all = self.select(Scope::NoPage, items, q)?;
        let range = self.range(&all)?;
        let product_ids = all.iter().map(|e| e.product.id.to_string()).collect();
        let total = all.len();
        let page = Paging::from_unsigned_query(q.offset, q.limit).slice(all);
        Ok(vec![ProductGroup {
            attr_value: String::new(),
            items: self.products(&page, &range)?,
            product_ids,
            total,
        }])
    }

    /// `getProductsPriceByPageUrl`: the page's priced products.
    pub(crate) fn prices(&self, url: &str, q: &ProductQuery) -> ApiResult<ProductPriceList> {
        let rows: Vec<(i64, Decimal)> = self
            .select(Scope::PageUrl(url), &[], q)?
            .iter()
            .filter_map(|e| Some((e.product.id, price_decimal(self.def(), e.product)?)))
            .collect();
        let total = rows.len();
        let items = Paging::from_unsigned_query(q.offset, q.limit)
            .slice(rows)
            .into_iter()
            .map(|(id, d)| {
                Ok(ProductPrice {
                    id,
                    price: d.to_number()?,
                })
            })
            .collect::<ApiResult<_>>()?;
        Ok(ProductPriceList { items, total })
    }

    /// The `…/counts` routes.
    pub(crate) fn counts(
        &self,
        scope: Scope<'_>,
        items: &[ProductFilter],
    ) -> ApiResult<ProductCounts> {
        let q = ProductQuery::default();
        let in_scope = self.select(scope, items, &q)?.len();
        let all = self.select(Scope::All, items, &q)?.len();
        Ok(ProductCounts {
            total_all: all,
            total_in_category: in_scope,
            total_in_category_with_nested: in_scope,
        })
    }

    /// `getProductById`.
    pub(crate) fn product(&self, id: i64) -> ApiResult<Product> {
        let entry = self.entry(id)?;
        let range = self.range(&[entry])?;
        wire::product(self, &entry, range)
    }

    /// `getProductBlockById`: no product has blocks.
    pub(crate) fn blocks(&self, id: i64) -> ApiResult<Vec<Value>> {
        self.entry(id).map(|_| Vec::new())
    }

    /// `getProductsByIds`: the listed products among `ids`, in the order given (paging and
    /// sorting keys are ignored: the caller chose the products).
    pub(crate) fn by_ids(&self, ids: &str) -> ApiResult<Vec<Product>> {
        let ids = ids
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|part| {
                part.parse().map_err(|_| {
                    ApiError::BadRequest(format!("ids: \"{part}\" is not a product id"))
                })
            })
            .collect::<ApiResult<Vec<i64>>>()?;
        let mut entries = self.picked(&ids);
        entries.truncate(MAX_LIMIT as usize);
        let range = self.range(&entries)?;
        self.products(&entries, &range)
    }

    /// `searchProduct`'s quick search: titles containing `name`, case-insensitive.
    pub(crate) fn search(&self, name: Option<&str>) -> Vec<SearchHit> {
        let Some(needle) = given(name).map(str::to_lowercase) else {
            return Vec::new();
        };
        self.entries()
            .map(|e| (e.product.id, title_in(self.def(), e.product, &self.lang)))
            .filter(|(_, title)| title.to_lowercase().contains(&needle))
            .take(SEARCH_LIMIT)
            .map(|(id, title)| SearchHit { id, title })
            .collect()
    }
}

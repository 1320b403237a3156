//! The sitemap (docs/wire.md §6.16): one XML file per language the operator gave the
//! storefront's address for, listing the served pages and the visible products.
//!
//! Only the settings are stored (`openentry_store::sitemap`); a file is built from the project
//! served at the moment it is read, so it is never stale. Error pages and external pages are
//! not listed. A page's `lastmod` is the last change of its definition; products have no such
//! time and are listed without one. Links are `{base}{pageUrl}` and `{base}product/{id}`.

use std::fmt::Write as _;

use openentry_domain::clock::Timestamp;
use openentry_domain::project::GeneralType;
use openentry_store::Db;
use openentry_store::sitemap::{self as store, SitemapSettings};
use openentry_types::templates::SitemapQuery;

use super::pages;
use crate::error::{ApiError, ApiResult};
use crate::project::Project;

/// Where the files are served (outside the app-token guard: crawlers send no token).
pub(crate) const FILES: &str = "/sitemaps";

/// The protocol's limit of entries in one file.
const MAX_ENTRIES: usize = 50_000;

const CHANGEFREQ: &[&str] = &[
    "always", "hourly", "daily", "weekly", "monthly", "yearly", "never",
];

fn file_name(lang: &str) -> String {
    format!("sitemap-{lang}.xml")
}

/// Languages with a file: active locales of the project that have an address, in project order.
fn languages<'a>(project: &'a Project, s: &'a SitemapSettings) -> impl Iterator<Item = &'a str> {
    project
        .locales
        .iter()
        .filter(|l| l.def.active && s.base_urls.contains_key(&l.def.code))
        .map(|l| l.def.code.as_str())
}

fn links(project: &Project, s: &SitemapSettings) -> Vec<String> {
    languages(project, s)
        .map(|lang| format!("{FILES}/{}", file_name(lang)))
        .collect()
}

/// `getSitemap`: the links of the files (empty until an address was given).
pub(crate) async fn list(db: &Db, project: &Project) -> ApiResult<Vec<String>> {
    Ok(links(project, &store::get(db).await?))
}

/// `updateSitemap`: checks and stores the settings the body gives, keeps the others, and
/// answers the links of the files.
pub(crate) async fn update(db: &Db, project: &Project, q: SitemapQuery) -> ApiResult<Vec<String>> {
    let mut s = store::get(db).await?;
    if let Some(urls) = q.base_urls {
        s.base_urls = urls
            .into_iter()
            .map(|(lang, url)| checked_base(project, lang, &url))
            .collect::<ApiResult<_>>()?;
    }
    if let Some(f) = q.changefreq {
        if !CHANGEFREQ.contains(&f.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "changefreq must be one of {}",
                CHANGEFREQ.join(", ")
            )));
        }
        s.changefreq = Some(f);
    }
    if let Some(p) = q.priority {
        if !(0.0..=1.0).contains(&p) {
            return Err(ApiError::BadRequest("priority must be 0 to 1".to_owned()));
        }
        s.priority = Some(p);
    }
    store::set(db, &s).await?;
    Ok(links(project, &s))
}

/// A base address: for an active locale of the project, absolute http(s), no spaces, quotes
/// or angle brackets; a `/` is added at the end when missing.
fn checked_base(project: &Project, lang: String, url: &str) -> ApiResult<(String, String)> {
    if !project
        .locales
        .by_marker(&lang)
        .is_some_and(|l| l.def.active)
    {
        return Err(ApiError::BadRequest(format!(
            "baseUrls: \"{lang}\" is not an active locale of the project"
        )));
    }
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let plain = url
        .chars()
        .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\'));
    if url.len() > 2000 || !plain || host.is_none_or(|h| h.starts_with('/') || h.is_empty()) {
        return Err(ApiError::BadRequest(format!(
            "baseUrls.{lang}: give the storefront's absolute http(s) address, such as https://shop.example/"
        )));
    }
    let mut base = url.to_owned();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok((lang, base))
}

/// The XML of a file (`sitemap-<lang>.xml`), or 404 for a file that is not listed.
pub(crate) async fn file(db: &Db, project: &Project, name: &str) -> ApiResult<String> {
    let s = store::get(db).await?;
    let lang = languages(project, &s)
        .find(|lang| file_name(lang) == name)
        .ok_or_else(|| ApiError::NotFound(format!("Sitemap \"{name}\" not found")))?;
    let base = s.base_urls.get(lang).map_or("", String::as_str);
    Ok(xml(project, &s, base))
}

fn xml(project: &Project, s: &SitemapSettings, base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let listed =
        |kind: GeneralType| !matches!(kind, GeneralType::ErrorPage | GeneralType::ExternalPage);
    let pages = project
        .pages
        .iter()
        .filter(|p| listed(p.def.kind) && pages::is_served(project, p))
        .map(|p| (format!("{base}{}", p.def.url), Some(p.updated_at)));
    let products = project
        .def
        .products
        .iter()
        .filter(|p| p.visible)
        .map(|p| (format!("{base}product/{}", p.id), None));
    for (loc, lastmod) in pages.chain(products).take(MAX_ENTRIES) {
        entry(&mut out, s, &loc, lastmod);
    }
    out.push_str("</urlset>\n");
    out
}

fn entry(out: &mut String, s: &SitemapSettings, loc: &str, lastmod: Option<i64>) {
    let _ = write!(out, "  <url><loc>{}</loc>", escape(loc));
    if let Some(ms) = lastmod {
        let _ = write!(out, "<lastmod>{}</lastmod>", Timestamp(ms).to_rfc3339());
    }
    if let Some(f) = &s.changefreq {
        let _ = write!(out, "<changefreq>{f}</changefreq>");
    }
    if let Some(p) = s.priority {
        let _ = write!(out, "<priority>{p}</priority>");
    }
    out.push_str("</url>\n");
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
